import { describe, expect, it } from 'vitest';
import { renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { fixtureInputs, forecastOf, OPTIONS } from './helpers.ts';
import { readXlsx } from './xlsx-reader.ts';

const fr = LABELS.fr.text;
const en = LABELS.en.text;

describe('French text forms', () => {
  it('write quarters T1 2027, fiscal years EX2027 and fiscal quarters EX2027-T1', () => {
    expect(fr.quarter('2027-Q1')).toBe('T1 2027');
    expect(fr.quarter('2028-Q4')).toBe('T4 2028');
    expect(fr.fiscalYear('FY2027')).toBe('EX2027');
    expect(fr.fiscalQuarter('FY2028-Q3')).toBe('EX2028-T3');
    expect([en.quarter('2027-Q1'), en.fiscalYear('FY2027'), en.fiscalQuarter('FY2027-Q1')]).toEqual(
      ['2027-Q1', 'FY2027', 'FY2027-Q1'],
    );
  });

  it('count quarters with French plurals: 0 and 1 are singular', () => {
    expect([0, 1, 2, 8].map(fr.quarterCount)).toEqual([
      '0 trimestre',
      '1 trimestre',
      '2 trimestres',
      '8 trimestres',
    ]);
    expect([0, 1, 2].map(en.quarterCount)).toEqual(['0 quarters', '1 quarter', '2 quarters']);
  });

  it('write numbers with a decimal comma and no-break-space thousands', () => {
    expect(fr.decimal('9.65')).toBe('9,65');
    expect(fr.amount('850000.00')).toBe('850\u00A0000,00');
    expect(fr.amount('-1549133.93')).toBe('-1\u00A0549\u00A0133,93');
    expect(fr.amount('999.5')).toBe('999,5');
    expect(en.amount('1549133.93')).toBe('1,549,133.93');
  });

  it('name the default scenarios in French, and only the defaults', () => {
    expect(fr.scenarioName('on-time', 'Stargate on time')).toBe('Stargate à l’heure');
    expect(fr.scenarioName('delayed', 'Stargate delayed')).toBe('Stargate retardé');
    // A user's own name is the user's words.
    expect(fr.scenarioName('on-time', 'Build-out on time')).toBe('Build-out on time');
    expect(en.scenarioName('delayed', 'Stargate delayed')).toBe('Stargate delayed');
  });
});

describe('the French workbook of bank-ma with the default scenarios', async () => {
  const inputs = await fixtureInputs('bank-ma');
  // Without the fixture's scenarios file: the defaults, on-time and delayed.
  const f = forecastOf({ ...inputs, scenarios: undefined, ranges: undefined } as never, 200);
  const book = await readXlsx(await renderWorkbook(f, { ...OPTIONS, locale: 'fr' }));
  const strings = (sheet: string) =>
    [...book.sheet(sheet).cells.values()].flatMap((c) =>
      typeof c.value === 'string' ? [c.value] : [],
    );
  const S = LABELS.fr.sheet;

  it('keeps the forecast JSON in English, with the same ids', () => {
    expect(f.json.scenarios.map((s) => [s.id, s.name])).toEqual([
      ['on-time', 'Stargate on time'],
      ['delayed', 'Stargate delayed'],
    ]);
  });

  it('names the calculation sheets and every scenario in French', () => {
    const names = book.sheets.map((s) => s.name);
    expect(names).toContain('Calcul — Stargate à l’heure');
    expect(names).toContain('Calcul — Stargate retardé');
    expect(strings(S.summary)).toContain('Stargate à l’heure');
    expect(strings(S.summary)).toContain('Stargate retardé − Stargate à l’heure');
    // The ids stay as they are in the Inputs (formulas and windows use them).
    expect(strings(S.inputs)).toEqual(expect.arrayContaining(['on-time', 'delayed']));
  });

  it('writes quarters and fiscal years the French way on every sheet', () => {
    const calc = strings('Calcul — Stargate retardé');
    expect(calc).toEqual(expect.arrayContaining(['T1 2027', 'T4 2028', 'EX2027-T1', 'EX2028']));
    expect(strings(S.summary)).toEqual(expect.arrayContaining(['T1 2027', 'EX2027', 'EX2028']));
    expect(strings(S.monteCarlo)).toEqual(
      expect.arrayContaining(['T3 2027', 'Probabilité de dépasser le budget EX2027']),
    );
    // No English quarter or fiscal year is shown anywhere, the Inputs' first quarter included.
    for (const sheet of book.sheets) {
      const shown = strings(sheet.name).filter((v) => /FY\d{4}|\d{4}-Q\d/.test(v));
      expect(shown, sheet.name).toEqual([]);
    }
    expect(strings(S.inputs)).toContain('T1 2027');
  });

  it('keeps the fiscal-year sums comparing like with like', () => {
    const calc = book.sheet('Calcul — Stargate à l’heure');
    // The timeline's fiscal-year row: the one labelled "Exercice".
    const fyRow = [...calc.cells.values()].find((c) => c.col === 1 && c.value === 'Exercice')!.row;
    const sumifs = [...calc.cells.values()].filter((c) =>
      new RegExp(`^SUMPRODUCT\\(\\(\\$[A-Z]+\\$${fyRow}:`).test(c.formula ?? ''),
    );
    expect(sumifs.length).toBe(2);
    for (const c of sumifs) {
      // SUMPRODUCT(($H$4:$O$4=$F<row>)*…): the key cell holds the label the timeline row holds.
      const key = /=\$([A-Z]+)(\d+)\)/.exec(c.formula!)!;
      expect(['EX2027', 'EX2028']).toContain(calc.cells.get(`${key[1]}${key[2]}`)?.value);
    }
  });

  it('writes rupture windows T3 2027 in the Inputs, their t read from either form', async () => {
    const withWindow = forecastOf({ ...inputs, ranges: undefined } as never, 0);
    const b = await readXlsx(await renderWorkbook(withWindow, { ...OPTIONS, locale: 'fr' }));
    const cells = [...b.sheet(S.inputs).cells.values()];
    // bank-ma's rupture: OpenAI from 2027-Q3 to 2028-Q2, t = 2 to 5 from 2027-Q1.
    const from = cells.find((c) => c.value === 'T3 2027')!;
    const to = cells.find((c) => c.row === from.row && c.col === from.col + 1)!;
    expect(to.value).toBe('T2 2028');
    const fromT = cells.find((c) => c.row === from.row && c.col === from.col + 3)!;
    const toT = cells.find((c) => c.row === from.row && c.col === from.col + 4)!;
    expect([fromT.value, toT.value]).toEqual([2, 5]);
    expect(fromT.formula).toContain('IF(LEFT(C');
  });

  it('writes the About page’s numbers and counts in French', () => {
    const about = strings(S.about).join('\n');
    expect(about).toContain('Taux de change\u00A0: 1 USD = 9,65 MAD\u00A0; 1 EUR = 10,75 MAD');
    expect(about).toContain(
      'Budgets\u00A0: EX2027 850\u00A0000,00 MAD\u00A0; EX2028 900\u00A0000,00 MAD',
    );
    expect(about).toContain('Retard du déploiement\u00A0: 0 trimestre');
    expect(about).toContain('Retard du déploiement\u00A0: 4 trimestres');
    expect(about).toContain('T1 2027 → T4 2028 (8 trimestres)');
    expect(about).not.toMatch(/\b0 trimestres/);
  });
});
