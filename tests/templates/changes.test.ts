import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import { type Scenario, scenarioSchema } from '../../models/scenarios.ts';
import { type Variance, variance } from '../../models/variance.ts';
import { renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { col } from '../../templates/layout.ts';
import { axisStart } from '../../templates/sheets/changes.ts';
import { assumptions, priceRow, sheet } from '../models/build.ts';
import { OPTIONS } from './helpers.ts';
import { readXlsx } from './xlsx-reader.ts';

// A tiny pair of forecasts, worked by hand. EUR throughout (no FX), 2027-Q1 × 2 quarters, no
// growth, no price decline.
//   Earlier: chat  100 units × 2.00 EUR = 200 a quarter →   400
//            store 1 000 units × 0.50 EUR = 500 a quarter → 1 000      total 1 400
//   New:     chat  150 units (volume)   × 2.00 = 300 a quarter →   600
//            store 1 000 units × 0.60 EUR (price) = 600 a quarter → 1 200  total 1 800
// Scenario "base" (no delay): volume effect (150 − 100) × 2.00 × 2 = +200 (chat),
//   price effect (0.60 − 0.50) × 1 000 × 2 = +200 (store); every other effect 0;
//   1 400 + 200 + 200 = 1 800.
// Scenario "late" (delay 4 quarters ≥ the horizon, shortage premium 0.5, availability 1, the
//   same in both): every price × 1.5, so 2 100 → volume +300, price +300 → 2 700.
const scenarios: Scenario[] = [
  scenarioSchema.parse({ id: 'base', name: 'Base', delayQuarters: 0 }),
  scenarioSchema.parse({
    id: 'late',
    name: 'Late',
    delayQuarters: 4,
    shortagePremium: '0.5',
    availability: '1',
  }),
];
const side = (chat: string, storePrice: string, file: string) => ({
  assumptions: assumptions(
    [
      { id: 'chat', name: 'Chat', skuId: 'chat', baseQuantity: chat },
      { id: 'store', name: 'Store', skuId: 'store', baseQuantity: '1000' },
    ],
    { horizonQuarters: 2 },
  ),
  sheets: [
    sheet(
      [
        priceRow({ SkuId: 'chat', ListUnitPrice: '2' }),
        priceRow({ SkuId: 'store', ListUnitPrice: storePrice }),
      ],
      file,
    ),
  ],
  scenarios,
});
const earlier = side('100', '0.5', 'old.csv');
const next = side('150', '0.6', 'new.csv');

function bridge(): Variance {
  const v = variance(earlier, next);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.value;
}

async function render(locale: 'en' | 'fr', withVariance: boolean): Promise<Buffer> {
  const f = forecast(next.assumptions, next.sheets, { draws: 0, scenarios });
  if (!f.ok) throw new Error(JSON.stringify(f.issues));
  return renderWorkbook(f.value, {
    ...OPTIONS,
    locale,
    ...(withVariance ? { variance: bridge() } : {}),
  });
}

async function changesSheet(bytes: Buffer, name: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  /** The row whose column A reads `label`. */
  const rowOf = (label: string) => {
    for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === label) return r;
    throw new Error(`no row "${label}"`);
  };
  // Numbers as the package holds them (exceljs reads a formula's cached 0 as no result).
  const cells = (await readXlsx(bytes)).sheet(name).cells;
  /** A cell's number: its value, or a formula's cached result. */
  const at = (r: number, c: number): unknown => cells.get(`${col(c)}${r}`)?.value;
  const formula = (r: number, c: number): string | undefined => {
    const v = ws.getCell(r, c).value;
    return v !== null && typeof v === 'object' && 'formula' in v ? v.formula : undefined;
  };
  return { wb, ws, rowOf, at, formula };
}

describe('the Changes sheet', () => {
  it('is present only with a variance, right after the Summary', async () => {
    const without = new ExcelJS.Workbook();
    await without.xlsx.load((await render('en', false)) as unknown as ArrayBuffer);
    expect(without.worksheets.map((w) => w.name)).not.toContain('Changes');
    const { wb } = await changesSheet(await render('en', true), 'Changes');
    expect(wb.worksheets.map((w) => w.name).slice(0, 3)).toEqual(['Summary', 'Changes', 'Inputs']);
  });

  it('bridges each scenario: earlier total, the effects in order, the new total, a zero check', async () => {
    const bytes = await render('en', true);
    const { rowOf, at, formula } = await changesSheet(bytes, 'Changes');
    const amounts = (first: number) => Array.from({ length: 9 }, (_, k) => at(first + k, 2));
    // Rows: earlier total, removed, horizon, volume, price, FX, scenario, new workloads, new total.
    const base = rowOf('Earlier total (Base)');
    expect(amounts(base)).toEqual([1400, 0, 0, 200, 200, 0, 0, 0, 1800]);
    const late = rowOf('Earlier total (Late)');
    expect(amounts(late)).toEqual([2100, 0, 0, 300, 300, 0, 0, 0, 2700]);
    // The new total is this workbook's own, linked to its Calc sheet.
    expect(formula(base + 8, 2)).toMatch(/^ROUND\('Calc — Base'!\$F\$\d+,2\)$/);
    // The check: a live formula over the effect cells, 0.
    expect(formula(base + 9, 2)).toBe(
      `ROUND(B${base}+SUM(B${base + 1}:B${base + 7})-B${base + 8},2)`,
    );
    expect(at(base + 9, 2)).toBe(0);
    // The change: 1 800 − 1 400 = 400, 400 / 1 400 = 28.571…%.
    expect(formula(base + 10, 2)).toBe(`B${base + 8}-B${base}`);
    expect(at(base + 10, 2)).toBe(400);
    expect(at(base + 10, 3)).toBeCloseTo(400 / 1400, 12);
    // The chart's columns, live: running total; base, increase, decrease; totals.
    // Running: 1 400 → 1 400, 1 400, 1 600 (volume), 1 800 (price), 1 800, 1 800, 1 800.
    expect(Array.from({ length: 9 }, (_, k) => at(base + k, 3))).toEqual([
      1400, 1400, 1400, 1600, 1800, 1800, 1800, 1800, 1800,
    ]);
    // Base of each step = the lower of the running totals before and after it.
    expect(Array.from({ length: 9 }, (_, k) => at(base + k, 4))).toEqual([
      0, 1400, 1400, 1400, 1600, 1800, 1800, 1800, 0,
    ]);
    expect(Array.from({ length: 9 }, (_, k) => at(base + k, 5))).toEqual([
      0, 0, 0, 200, 200, 0, 0, 0, 0,
    ]);
    expect(Array.from({ length: 9 }, (_, k) => at(base + k, 6))).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(Array.from({ length: 9 }, (_, k) => at(base + k, 7))).toEqual([
      1400, 0, 0, 0, 0, 0, 0, 0, 1800,
    ]);
    expect(formula(base + 3, 4)).toBe(`MIN(C${base + 2},C${base + 3})`);
    expect(formula(base + 3, 5)).toBe(`MAX(B${base + 3},0)`);
  });

  it('lists the largest movers with their effects, and says the amounts are values', async () => {
    const { ws, rowOf, at, formula } = await changesSheet(await render('en', true), 'Changes');
    const note = String(ws.getCell(4, 1).value);
    expect(note).toMatch(/values computed by costcast/);
    expect(note).toMatch(/do not recalculate/);
    // Base: chat +200 (volume) and store +200 (price); a tie keeps the forecast's order.
    const chat = rowOf('Chat');
    expect(ws.getCell(chat - 1, 1).value).toBe('Workload');
    expect([at(chat, 3), at(chat, 4), at(chat, 5)]).toEqual([400, 600, 200]);
    expect(formula(chat, 5)).toBe(`D${chat}-C${chat}`);
    // Effects F–L in order: removed, horizon, volume, price, FX, scenario, new.
    expect(Array.from({ length: 7 }, (_, k) => at(chat, 6 + k))).toEqual([0, 0, 200, 0, 0, 0, 0]);
    expect(ws.getCell(chat + 1, 1).value).toBe('Store');
    expect([at(chat + 1, 3), at(chat + 1, 4)]).toEqual([1000, 1200]);
    expect(Array.from({ length: 7 }, (_, k) => at(chat + 1, 6 + k))).toEqual([
      0, 0, 0, 200, 0, 0, 0,
    ]);
  });

  it('shows the price behind the price effect, the new one linked to Prices', async () => {
    const { ws, at, formula } = await changesSheet(await render('en', true), 'Changes');
    let r = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(2).value === 'primary') r = n;
    });
    expect(r).toBeGreaterThan(0);
    // Only store's price moved: 0.50 → 0.60 EUR (+20 %), lines 3 of old.csv and new.csv.
    expect(ws.getCell(r, 1).value).toBe('Store');
    expect([ws.getCell(r, 3).value, ws.getCell(r, 4).value]).toEqual(['Acme', 'store']);
    expect([at(r, 6), at(r, 7), at(r, 9), at(r, 10)]).toEqual([0.5, 0.6, 0.5, 0.6]);
    expect(formula(r, 7)).toMatch(/^'Prices'!\$H\$\d+$/);
    expect(formula(r, 10)).toMatch(/^'Prices'!\$J\$\d+$/);
    expect(at(r, 11)).toBeCloseTo(0.2, 12);
    expect([ws.getCell(r, 12).value, ws.getCell(r, 13).value]).toEqual([
      'old.csv (3)',
      'new.csv (3)',
    ]);
    // Its price effect in each scenario: +200 (base), +300 (late).
    expect([at(r, 14), at(r, 15)]).toEqual([200, 300]);
    // Chat's price did not move: no row.
    let rows = 0;
    ws.eachRow((row) => {
      if (row.getCell(2).value === 'primary' || row.getCell(2).value === 'fallback') rows++;
    });
    expect(rows).toBe(1);
  });

  it('draws a native waterfall per scenario: stacked columns on an unpainted base', async () => {
    const zip = await JSZip.loadAsync(await render('en', true));
    const charts = Object.keys(zip.files).filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n));
    const xmls = await Promise.all(charts.map((n) => zip.file(n)?.async('string') ?? ''));
    const waterfalls = xmls.filter((x) =>
      x.includes('<c:barDir val="col"/><c:grouping val="stacked"/>'),
    );
    expect(waterfalls).toHaveLength(2);
    // Python's XML parser reads it (well-formed) and reports its series.
    const script = `
import json, sys
from xml.dom import minidom
root = minidom.parseString(sys.stdin.read().encode('utf-8')).documentElement
out = []
for s in root.getElementsByTagName('c:ser'):
    sp = [c for c in s.childNodes if c.nodeType == 1 and c.tagName == 'c:spPr'][0]
    fill = [c.tagName for c in sp.childNodes if c.nodeType == 1][0]
    name = s.getElementsByTagName('c:tx')[0].getElementsByTagName('c:v')[0].firstChild.data
    val = s.getElementsByTagName('c:val')[0]
    f = val.getElementsByTagName('c:f')[0].firstChild.data
    pts = [float(p.getElementsByTagName('c:v')[0].firstChild.data) for p in val.getElementsByTagName('c:pt')]
    out.append({'name': name, 'fill': fill, 'f': f, 'values': pts})
legend = [int(e.getElementsByTagName('c:idx')[0].getAttribute('val')) for e in root.getElementsByTagName('c:legendEntry')]
json.dump({'series': out, 'hidden': legend}, sys.stdout)
`;
    const read = JSON.parse(
      execFileSync('python3', ['-c', script], { input: waterfalls[0], encoding: 'utf8' }),
    ) as {
      series: { name: string; fill: string; f: string; values: number[] }[];
      hidden: number[];
    };
    expect(read.series.map((s) => [s.name, s.fill])).toEqual([
      ['Chart: base', 'a:noFill'],
      ['Total', 'a:solidFill'],
      ['Increase', 'a:solidFill'],
      ['Decrease', 'a:solidFill'],
    ]);
    expect(read.hidden).toEqual([0]);
    expect(read.series[0]?.f).toMatch(/^'Changes'!\$D\$\d+:\$D\$\d+$/);
    // Cached values, from the cells: the base and the increases of the steps, the totals.
    expect(read.series[0]?.values).toEqual([0, 1400, 1400, 1400, 1600, 1800, 1800, 1800, 0]);
    expect(read.series[1]?.values).toEqual([1400, 0, 0, 0, 0, 0, 0, 0, 1800]);
    expect(read.series[2]?.values).toEqual([0, 0, 0, 200, 200, 0, 0, 0, 0]);
    // The value axis starts below the lowest level by half the span, by the span's magnitude:
    // Base 1 400…1 800 → 1 400 − 200 = 1 200 (by 100); Late 2 100…2 700 → 2 100 − 300 = 1 800.
    expect(
      waterfalls.map((x) => /<c:scaling>.*?<\/c:scaling>/.exec(x.split('<c:valAx>')[1]!)?.[0]),
    ).toEqual([
      '<c:scaling><c:orientation val="minMax"/><c:min val="1200"/></c:scaling>',
      '<c:scaling><c:orientation val="minMax"/><c:min val="1800"/></c:scaling>',
    ]);
  });

  it("starts a waterfall's value axis where its steps can be seen", () => {
    // The bank sample's size: 1 549 133.93 → 1 601 000.50, lowest 1 540 000.00: span
    // 61 000.50, half 30 500.25, 1 540 000 − 30 500.25 = 1 509 499.75, by 10 000 → 1 500 000.
    expect(axisStart(['1549133.93', '1540000.00', '1601000.50'])).toBe('1500000');
    // 95 → 105: span 10, 95 − 5 = 90, by 10 → 90.
    expect(axisStart(['95', '105'])).toBe('90');
    // 100 → 300: 100 − 100 = 0: from 0, as before.
    expect(axisStart(['100', '300'])).toBeUndefined();
    // Nothing moves, or a level below 0: the automatic axis.
    expect(axisStart(['500', '500'])).toBeUndefined();
    expect(axisStart(['-50', '200'])).toBeUndefined();
  });

  it('speaks French', async () => {
    const { wb, rowOf, at } = await changesSheet(await render('fr', true), 'Écarts');
    expect(wb.worksheets.map((w) => w.name).slice(0, 2)).toEqual(['Synthèse', 'Écarts']);
    const base = rowOf('Total précédent (Base)');
    expect(at(base + 4, 2)).toBe(200);
    expect(rowOf('Prix (prix unitaires aux nouvelles quantités)')).toBe(base + 4);
  });

  it('lists the scenario parameters that changed, with their effect in the bridge', async () => {
    // Earlier "late" had a shortage premium of 0.25: its prices × 1.25, so
    //   earlier 1 400 × 1.25 = 1 750; volume 200 × 1.25 = +250; price +250 → 2 250;
    //   scenario: 1 800 × 1.5 − 2 250 = +450 → 2 700.
    const lower = {
      ...earlier,
      scenarios: [
        scenarios[0]!,
        scenarioSchema.parse({ ...scenarios[1], shortagePremium: '0.25' }),
      ],
    };
    const v = variance(lower, next);
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const f = forecast(next.assumptions, next.sheets, { draws: 0, scenarios });
    if (!f.ok) throw new Error(JSON.stringify(f.issues));
    for (const locale of ['en', 'fr'] as const) {
      const bytes = await renderWorkbook(f.value, { ...OPTIONS, locale, variance: v.value });
      const L = LABELS[locale];
      const { rowOf, at, ws } = await changesSheet(bytes, L.sheet.changes);
      const late = rowOf(L.changes.oldTotal('Late'));
      expect(Array.from({ length: 9 }, (_, k) => at(late + k, 2))).toEqual([
        1750, 0, 0, 250, 250, 0, 450, 0, 2700,
      ]);
      const r = rowOf(L.inputs.premium);
      expect([2, 3, 4].map((c) => ws.getCell(r, c).value)).toEqual(
        locale === 'en' ? ['0.25', '0.5', 'Late'] : ['0,25', '0,5', 'Late'],
      );
    }
  });

  it('leaves a workbook without a variance as it was (no Changes in About)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await render('en', false)) as unknown as ArrayBuffer);
    const about = wb.getWorksheet('About');
    const texts: string[] = [];
    about?.eachRow((row) => {
      texts.push(String(row.getCell(1).value));
    });
    expect(texts).not.toContain('Changes');
  });
});
