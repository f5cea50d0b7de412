import { describe, expect, it } from 'vitest';
import { renderParts, renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { addr, col, definedName, sheetName, sheetRef } from '../../templates/layout.ts';
import { plan } from '../../templates/plan.ts';
import { driverValue } from '../../templates/sheets/drivers.ts';
import { numberFormat } from '../../templates/styles.ts';
import { edgeForecast, OPTIONS } from './helpers.ts';
import { syntheticForecast } from './synthetic.ts';
import { readXlsx } from './xlsx-reader.ts';

describe('addresses and names', () => {
  it('writes column letters and A1 addresses', () => {
    expect([1, 26, 27, 52, 53, 702, 703].map(col)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(addr(8, 12)).toBe('H12');
    expect(addr(8, 12, true)).toBe('$H$12');
  });

  it('quotes sheet names in formulas, doubling apostrophes', () => {
    expect(sheetRef('Inputs')).toBe("'Inputs'");
    expect(sheetRef("L'attente")).toBe("'L''attente'");
  });

  it('makes valid, unique worksheet names of 31 characters at most', () => {
    const taken = new Set<string>();
    expect(sheetName('Calc — a/b:c*d?[e]\\f', taken)).toBe('Calc — a-b-c-d--e--f');
    expect(sheetName("'quoted'", taken)).toBe('quoted');
    const long = 'Calc — OpenAI rupture 2027-Q3 to 2028-Q2';
    const a = sheetName(long, taken);
    const b = sheetName(long, taken);
    expect(a).toHaveLength(31);
    expect(b).toMatch(/ \(2\)$/);
    expect(b.length).toBeLessThanOrEqual(31);
    expect(sheetName('QUOTED', taken)).toBe('QUOTED (2)');
  });

  it('makes defined names of letters, digits and underscores, unique without regard to case', () => {
    const taken = new Set<string>();
    expect(definedName('Delay', 'on-time', taken)).toBe('Delay_on_time');
    expect(definedName('Delay', 'on.time', taken)).toBe('Delay_on_time_2');
    expect(definedName('Delay', 'ON_TIME', taken)).toBe('Delay_ON_TIME_3');
  });
});

describe('what the workbook shows', () => {
  it('formats amounts in the reporting currency, red only where it means bad', () => {
    expect(numberFormat('money', 'EUR')).toBe('#,##0.00 "EUR";-#,##0.00 "EUR"');
    // A change in cost: +12.00 in red (it costs more), -12.00 in ink (a saving is not red).
    expect(numberFormat('delta', 'EUR')).toBe('[Red]+#,##0.00 "EUR";-#,##0.00 "EUR";0.00 "EUR"');
    // Budget left: an overrun red, money left in ink.
    expect(numberFormat('headroom', 'EUR')).toBe('#,##0.00 "EUR";[Red]-#,##0.00 "EUR";0.00 "EUR"');
    for (const f of ['qty', 'pct', 'rate', 'int', 'num', 'price', 'native'] as const)
      expect(numberFormat(f, 'EUR'), f).not.toMatch(/Red|Color/);
  });

  it('reads driver values as people do, in both languages', () => {
    expect(driverValue(LABELS.en, 'en', 'efficiency', 'set', '0.40')).toBe('40%');
    expect(driverValue(LABELS.fr, 'fr', 'efficiency', 'set', '0.40')).toBe('40 %');
    expect(driverValue(LABELS.fr, 'fr', 'growth', 'scale', '1.5')).toBe('× 1,5');
    expect(driverValue(LABELS.en, 'en', 'delay', 'set', '+4')).toBe('+4 q');
  });
});

describe('edges', () => {
  it('renders one quarter, one scenario with an awkward name, no Monte Carlo', async () => {
    const f = edgeForecast();
    const p = plan(f, LABELS.en);
    expect(p.sheets.calc).toEqual(["Calc — L'attente- -pire--délai"]);
    const { charts } = await renderParts(f, OPTIONS);
    expect(charts.map((c) => c.kind)).toEqual(['line', 'bar']);
    const book = await readXlsx(await renderWorkbook(f, OPTIONS));
    const summary = book.sheet('Summary');
    const link = [...summary.cells.values()].find((c) => c.formula?.includes('attente'))!;
    expect(link.formula).toContain("'Calc — L''attente- -pire--délai'!");
    const texts = [...book.sheet('Monte Carlo').cells.values()].map((c) => c.value);
    expect(texts).toContain(LABELS.en.monteCarlo.notRun);
    expect([...book.sheet('About').cells.values()].map((c) => c.value)).toContain(
      'Budget FY2031 is outside the horizon (FY2027)',
    );
  });

  it('writes every planned row where the plan says, at scale (300 workloads × 12 quarters)', async () => {
    const f = syntheticForecast(300, 12);
    const { xlsx } = await renderParts(f, OPTIONS);
    const book = await readXlsx(xlsx);
    const p = plan(f, LABELS.en);
    const calc = book.sheet(p.sheets.calc[0]!);
    const lastRow = Math.max(...[...calc.cells.values()].map((c) => c.row));
    expect(lastRow).toBe(p.calc.last);
    expect(calc.cells.get(`B${p.calc.cost + 299}`)?.value).toBe('w299');
  });
});
