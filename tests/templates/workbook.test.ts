import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../models/fields.ts';
import type { Forecast } from '../../models/forecast.ts';
import { layouts, renderParts, renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { col } from '../../templates/layout.ts';
import { plan, tcol } from '../../templates/plan.ts';
import { AWKWARD, awkwardForecast, fixtureForecast, OPTIONS } from './helpers.ts';
import { colNumber, readXlsx, type XBook, type XCell, type XSheet } from './xlsx-reader.ts';

let tiny: Forecast;
let bank: Forecast;
let tinyBook: XBook;
let bankBook: XBook;
let bankFr: XBook;

beforeAll(async () => {
  tiny = await fixtureForecast('tiny', 200);
  bank = await fixtureForecast('bank-ma', 200);
  tinyBook = await readXlsx(await renderWorkbook(tiny, OPTIONS));
  bankBook = await readXlsx(await renderWorkbook(bank, OPTIONS));
  bankFr = await readXlsx(await renderWorkbook(bank, { ...OPTIONS, locale: 'fr' }));
});

const cell = (s: XSheet, ref: string): XCell => {
  const c = s.cells.get(ref);
  if (!c) throw new Error(`${s.name}!${ref} is empty`);
  return c;
};
/** Cells holding a formula: its text, or a share of a formula written once on its row. */
const formulaCells = (b: XBook) =>
  b.sheets.flatMap((s) => [...s.cells.values()].filter((c) => c.formula !== undefined || c.shared));
/** The cells of column B (labels) → row number, on a sheet. */
const rowOf = (s: XSheet, column: number, label: string): number => {
  const c = [...s.cells.values()].find((x) => x.col === column && x.value === label);
  if (!c) throw new Error(`${s.name}: no "${label}" in column ${column}`);
  return c.row;
};
const near = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;

describe('the tiny workbook opens with the figures of fixtures/tiny/EXPECTED.md', () => {
  it('shows the horizon totals worked by hand on the Summary', () => {
    const s = tinyBook.sheet('Summary');
    // EXPECTED.md: on-time 2908.014462, delayed 4181.653368 (EUR)
    expect(cell(s, `C${rowOf(s, 2, 'Build-out on time')}`).value).toBeCloseTo(2908.014462, 9);
    expect(cell(s, `C${rowOf(s, 2, 'Build-out delayed')}`).value).toBeCloseTo(4181.653368, 9);
  });

  it('splits the delayed chat cost between Acme and Backup as the hand computation does', () => {
    const s = tinyBook.sheet('Calc — Build-out delayed');
    const g = plan(tiny, LABELS.en).calc;
    // chat (workload 0), t = 0: primary 80 × 8.7975 = 703.8, fallback 80 × 2.2356 = 178.848
    expect(cell(s, `${col(tcol(0))}${g.primary}`).value).toBeCloseTo(703.8, 9);
    expect(cell(s, `${col(tcol(0))}${g.fallback}`).value).toBeCloseTo(178.848, 9);
    // Backup over the horizon: 830.033568; Acme 3351.6198
    expect(cell(s, `F${g.provider.get('Backup')}`).value).toBeCloseTo(830.033568, 9);
    expect(cell(s, `F${g.provider.get('Acme')}`).value).toBeCloseTo(3351.6198, 9);
  });
});

describe('every formula cell carries the engine’s number as its cached result', () => {
  it('has a cached value and no error in every formula cell', () => {
    for (const b of [tinyBook, bankBook, bankFr])
      for (const c of formulaCells(b)) {
        expect(c.error, c.ref).toBeUndefined();
        expect(c.value, `${c.ref} ${c.formula}`).toBeDefined();
      }
  });

  it('caches each calculation cell at the projection’s value', () => {
    const p = plan(bank, LABELS.en);
    const g = p.calc;
    bank.projections.forEach((pr, s) => {
      const sheet = bankBook.sheet(p.sheets.calc[s]!);
      pr.workloads.forEach((w, i) => {
        for (let t = 0; t < p.horizon; t++) {
          const at = (row: number) => cell(sheet, `${col(tcol(t))}${row}`).value as number;
          expect(near(at(g.quantity + i), w.quantity[t]!.toNumber())).toBe(true);
          expect(near(at(g.served + i), w.served[t]!.toNumber())).toBe(true);
          expect(near(at(g.primary + i), w.primary[t]!.toNumber())).toBe(true);
          expect(near(at(g.fallback + i), w.fallback[t]!.toNumber())).toBe(true);
          expect(near(at(g.cost + i), w.cost[t]!.toNumber())).toBe(true);
        }
      });
      for (const c of CATEGORIES)
        pr.index[c].forEach((x, t) => {
          expect(
            near(cell(sheet, `${col(tcol(t))}${g.index[c]}`).value as number, x.toNumber()),
          ).toBe(true);
        });
    });
  });

  it('caches totals that round to the forecast JSON, to the cent', () => {
    const p = plan(bank, LABELS.en);
    bank.json.scenarios.forEach((js, s) => {
      const sheet = bankBook.sheet(p.sheets.calc[s]!);
      // Within half a cent of the JSON's amount (rounded half away from zero from exact decimals).
      const cents = (ref: string, amount: string) =>
        expect(
          Math.abs((cell(sheet, ref).value as number) - Number(amount)),
          ref,
        ).toBeLessThanOrEqual(0.005 + 1e-9);
      cents(`F${p.calc.total}`, js.total);
      js.byQuarter.forEach((q, t) => {
        cents(`${col(tcol(t))}${p.calc.total}`, q.total);
      });
      for (const [fy, v] of Object.entries(js.byFiscalYear))
        cents(`F${p.calc.fiscalYears.get(fy)}`, v.total);
      for (const [c, v] of Object.entries(js.byCategory))
        cents(`F${p.calc.category[c as (typeof CATEGORIES)[number]]}`, v.total);
      for (const [name, v] of Object.entries(js.byProvider))
        cents(`F${p.calc.provider.get(name)}`, v.total);
    });
  });
});

describe('formulas follow the modelling conventions', () => {
  const calcSheets = () =>
    bankBook.sheets.filter((s) => s.name.startsWith('Calc — ') || s.name === 'Scenarios');
  /** A formula with every relative column written as an offset from its own column. */
  const relative = (formula: string, column: number) =>
    formula.replace(
      /(?<![$A-Za-z_.])([A-Z]{1,3})(?=\$?\d)/g,
      (letters) => `C[${colNumber(letters) - column}]`,
    );

  it('writes one formula per row, the same across the timeline', () => {
    for (const sheet of layouts(bank, OPTIONS)) {
      let r = 0;
      for (const row of sheet.rows()) {
        r += 1;
        if (!row.shared) continue;
        const [first, last] = row.shared;
        const forms = new Set<string>();
        for (let c = first; c <= last; c++) forms.add(relative(row.cells[c - 1]!.f!, c));
        expect([...forms], `${sheet.name} row ${r}`).toHaveLength(1);
      }
    }
  });

  it('stores each timeline row as one shared formula over the whole timeline', () => {
    const last = col(tcol(bank.model.quarters.length - 1));
    for (const s of calcSheets()) {
      const byRow = new Map<number, XCell[]>();
      for (const c of s.cells.values())
        if (c.col >= tcol(0) && (c.formula !== undefined || c.shared))
          byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
      expect(byRow.size).toBeGreaterThan(10);
      for (const [row, cells] of byRow) {
        const master = cells.find((c) => c.shared?.ref);
        const from = master?.col === tcol(0) ? col(tcol(0)) : col(tcol(1));
        expect(master?.shared?.ref, `${s.name} row ${row}`).toBe(`${from}${row}:${last}${row}`);
        for (const c of cells) expect(c.shared?.si, `${s.name}!${c.ref}`).toBe(master!.shared!.si);
      }
    }
  });

  it('keeps constants out of the calculation formulas (0 and 1 only)', () => {
    for (const s of calcSheets())
      for (const c of s.cells.values()) {
        if (c.formula === undefined) continue;
        const bare = c.formula
          .replace(/'[^']*'!/g, '')
          .replace(/\$?[A-Z]{1,3}\$?\d+/g, 'R')
          .replace(/[A-Za-z_][A-Za-z0-9_.]*/g, 'N');
        for (const k of bare.match(/\d+(\.\d+)?/g) ?? [])
          expect(['0', '1'], `${s.name}!${c.ref} ${c.formula}`).toContain(k);
      }
  });

  it('uses only functions that Excel 2010 and LibreOffice 7 share', () => {
    const allowed = new Set([
      'SUM',
      'SUMPRODUCT',
      'ABS',
      'IF',
      'MIN',
      'MAX',
      'AND',
      'ISBLANK',
      'ISNUMBER',
      'VALUE',
      'LEFT',
      'RIGHT',
      'MID',
    ]);
    for (const c of formulaCells(bankBook))
      for (const [, fn] of (c.formula ?? '').matchAll(/([A-Z][A-Z0-9.]*)\(/g))
        expect(allowed, c.formula).toContain(fn);
  });

  it('refers from the calculation sheets to Inputs and Prices, never to a typed number', () => {
    const p = plan(bank, LABELS.en);
    const s = bankBook.sheet(p.sheets.calc[1]!);
    const q = cell(s, `${col(tcol(0))}${p.calc.quantity}`).formula!;
    expect(q).toMatch(
      /^'Inputs'!\$H\$\d+\*\(1\+'Inputs'!\$I\$\d+\)\^H\$7\*\(1-'Inputs'!\$J\$\d+\)$/,
    );
    const cost = cell(s, `${col(tcol(0))}${p.calc.primary}`).formula!;
    expect(cost).toContain("'Prices'!$J$");
    const index = cell(s, `${col(tcol(0))}${p.calc.index['llm-inference']}`).formula!;
    expect(index).toBe(
      'IF(H$7<Delay_delayed,1+Premium_delayed,(1-Decline_llm_inference_delayed)^MAX(0,H$7-Delay_delayed))',
    );
  });
});

describe('the Checks block on the Summary', () => {
  it('checks each scenario’s breakdowns and budget rows with live formulas, all TRUE, and one cell for all', () => {
    const s = bankBook.sheet('Summary');
    const first = rowOf(s, 2, 'Σ by category = scenario total');
    const all = rowOf(s, 2, 'All checks pass');
    expect(all - first).toBe(5);
    const tolerance = cell(s, `C${first - 1}`);
    expect(tolerance.value).toBe(0.005);
    for (let r = first; r < all; r++)
      for (const c of ['C', 'D', 'E']) {
        const x = cell(s, `${c}${r}`);
        expect(x.formula, `${c}${r}`).toMatch(/ABS\(/);
        expect(x.formula, `${c}${r}`).toContain(`<$C$${first - 1}`);
        expect(x.value, `${c}${r}`).toBe(1);
      }
    // Each scenario's checks look at its own calculation sheet.
    expect(cell(s, `D${first}`).formula).toContain("'Calc — Build-out delayed'!");
    expect(cell(s, `C${first + 4}`).formula).toContain('Budget_FY2028');
    expect(cell(s, `C${all}`).formula).toBe(`AND(C${first}:E${all - 1})`);
    expect(cell(s, `C${all}`).value).toBe(1);
  });

  it('labels the checks in French in the French workbook', () => {
    const s = bankFr.sheet('Synthèse');
    expect(rowOf(s, 2, 'Tous les contrôles passent')).toBe(
      rowOf(s, 2, 'Σ par catégorie = total du scénario') + 5,
    );
  });
});

describe('names a spreadsheet could misread', () => {
  let awkward: XBook;
  beforeAll(async () => {
    awkward = await readXlsx(await renderWorkbook(awkwardForecast(), OPTIONS));
  });

  it('matches names with = inside SUMPRODUCT, never as a SUMIF criterion, and nests no array in a function', () => {
    for (const c of [...formulaCells(bankBook), ...formulaCells(awkward)]) {
      const f = c.formula ?? '';
      expect(f, c.ref).not.toMatch(/SUMIFS?\(|COUNTIFS?\(|MATCH\(|LOOKUP\(/);
      // Gnumeric evaluates a function's arguments one cell at a time, even inside SUMPRODUCT.
      expect(f, c.ref).not.toMatch(/SUMPRODUCT\([A-Z]+\(/);
    }
  });

  it('writes names that start with =, or hold * ? < >, as text cells and never inside a formula', () => {
    const names = [...Object.values(AWKWARD), '=1+1', '=SUM(1,2)', '>EU', '=on time'];
    const texts = new Set<string>();
    for (const s of awkward.sheets)
      for (const c of s.cells.values()) {
        if (c.formula === undefined && !c.shared && typeof c.value === 'string') texts.add(c.value);
        // No name is typed into a formula: its only text literals are the empty string and
        // the "T" that tells a French quarter (T3 2027) from 2027-Q3 in the window formulas.
        for (const [literal] of (c.formula ?? '').matchAll(/"(?:[^"]|"")*"/g))
          expect(['""', '"T"'], `${s.name}!${c.ref} ${c.formula}`).toContain(literal);
      }
    for (const name of names) expect(texts, name).toContain(name);
  });
});

describe('presentation', () => {
  it('names the sheets in English, or in French with --locale fr, within Excel’s limits', () => {
    expect(bankBook.sheets.map((s) => s.name).filter((n) => !n.startsWith('Chart'))).toEqual([
      'Summary',
      'Inputs',
      'Prices',
      'Calc — Build-out on time',
      'Calc — Build-out delayed',
      'Calc — provider-rupture',
      'Scenarios',
      'Sensitivity — Tornado',
      'Sensitivity — Grid',
      'Monte Carlo',
      'Providers',
      'About',
    ]);
    expect(bankFr.sheets.map((s) => s.name).slice(0, 7)).toEqual([
      'Synthèse',
      'Hypothèses',
      'Prix',
      'Calcul — Build-out on time',
      'Calcul — Build-out delayed',
      'Calcul — provider-rupture',
      'Scénarios',
    ]);
    for (const b of [bankBook, bankFr])
      for (const s of b.sheets) {
        expect(s.name.length).toBeLessThanOrEqual(31);
        expect(s.name).not.toMatch(/[[\]:*?/\\]/);
      }
  });

  it('writes French labels in the French workbook', () => {
    const s = bankFr.sheet('Synthèse');
    const texts = [...s.cells.values()].map((c) => c.value);
    expect(texts).toContain('Budget et prévision (MAD)');
    expect(texts).toContain('Totaux par scénario (MAD)');
    expect(bankFr.sheet('Hypothèses').cells.get('A8')?.value).toBe('Horizon (trimestres)');
  });

  it('hides none of its sheets, the fan charts drawing their band from visible cells', async () => {
    const own = await readXlsx((await renderParts(bank, OPTIONS)).xlsx);
    for (const s of own.sheets) expect(s.state, s.name).toBe('visible');
    for (const b of [tinyBook, bankBook, bankFr]) {
      expect(b.sheets.map((s) => s.name)).not.toContain('Chart data');
      for (const s of b.sheets) expect(s.state, s.name).toBe('visible');
    }
  });

  it('freezes panes and sets up printing (fit to width) on every sheet', () => {
    for (const s of bankBook.sheets.filter((x) => x.name !== 'Chart data')) {
      expect(s.xml, s.name).toMatch(/<pane\b[^>]*state="frozen"/);
      expect(s.xml, s.name).toMatch(/<pageSetup\b[^>]*orientation="(landscape|portrait)"/);
      expect(s.xml, s.name).toMatch(/<pageSetup\b[^>]*fitToWidth="1"/);
      expect(s.xml, s.name).toMatch(/<pageSetUpPr\b[^>]*fitToPage="1"/);
    }
  });

  it('formats amounts in the reporting currency, red only for bad, green never', async () => {
    const styles = await (await import('jszip')).default
      .loadAsync(await renderWorkbook(bank, OPTIONS))
      .then((z) => z.file('xl/styles.xml')!.async('string'));
    const q = '&quot;MAD&quot;';
    // A plain amount: a minus sign, no colour.
    expect(styles).toContain(`formatCode="#,##0.00 ${q};-#,##0.00 ${q}"`);
    // A change in cost: an increase red, a saving in ink; budget left: an overrun red.
    expect(styles).toContain(`formatCode="[Red]+#,##0.00 ${q};-#,##0.00 ${q};0.00 ${q}"`);
    expect(styles).toContain(`formatCode="#,##0.00 ${q};[Red]-#,##0.00 ${q};0.00 ${q}"`);
    expect(styles.match(/\[Red\]/g)).toHaveLength(2);
    // Links are purple: no green figure reads as good news.
    expect(styles).not.toMatch(/rgb="FF008000"/);
  });

  it('colours the differences to the base scenario and the budget headroom by what they mean', async () => {
    const styles = await (await import('jszip')).default
      .loadAsync(await renderWorkbook(bank, OPTIONS))
      .then((z) => z.file('xl/styles.xml')!.async('string'));
    const codes = new Map(
      [...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map(([, id, code]) => [
        Number(id),
        code!.replace(/&quot;/g, '"'),
      ]),
    );
    const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)![1]!;
    const numFmt = [...xfs.matchAll(/<xf\b[^>]*numFmtId="(\d+)"/g)].map(([, id]) => Number(id));
    const format = (sheet: XSheet, ref: string) => codes.get(numFmt[cell(sheet, ref).style]!) ?? '';
    const s = bankBook.sheet('Summary');
    const delayed = rowOf(s, 2, 'Build-out delayed');
    // Delayed − on time costs more: red when positive, a saving (negative) in ink.
    expect(format(s, `C${rowOf(s, 2, 'Build-out delayed − Build-out on time')}`)).toMatch(
      /^\[Red\]\+[^;]*;-/,
    );
    // The budget table's headroom (column F): an overrun red, money left in ink.
    const headroom = [...s.cells.values()].find(
      (c) => c.col === 6 && c.row > delayed && c.formula?.includes('-E'),
    )!;
    expect(format(s, headroom.ref)).toMatch(/^#[^;]*;\[Red\]-/);
    // A total is plain.
    expect(format(s, `C${delayed}`)).not.toMatch(/Red|Color/);
  });

  it('validates the inputs and names the key ones', () => {
    const inputs = bankBook.sheet('Inputs');
    expect(inputs.xml).toMatch(
      /<dataValidation type="whole"[^>]*sqref="B8"[\s\S]*?<formula1>1<\/formula1><formula2>8<\/formula2>/,
    );
    expect(inputs.xml).toMatch(
      /<dataValidation type="decimal"[^>]*sqref="C\d+:E\d+"[\s\S]*?<formula1>0<\/formula1><formula2>1<\/formula2>/,
    );
    expect((inputs.xml.match(/<dataValidation /g) ?? []).length).toBeGreaterThanOrEqual(12);
    expect(bankBook.names.get('Horizon')).toBe('Inputs!$B$8');
    expect(bankBook.names.get('FX_USD')).toMatch(/^Inputs!\$B\$\d+$/);
    expect(bankBook.names.get('Delay_delayed')).toMatch(/^Inputs!\$D\$\d+$/);
    expect(bankBook.names.get('Window_Availability')).toMatch(/^Inputs!\$E\$\d+:\$E\$\d+$/);
    expect(bankFr.names.get('Horizon')).toBe("'Hypothèses'!$B$8");
  });

  it('styles inputs alike: every base quantity shares one style, distinct from calculations', () => {
    const inputs = bankBook.sheet('Inputs');
    const g = plan(bank, LABELS.en).inputs;
    const styles = new Set(
      bank.model.workloads.map((_, i) => cell(inputs, `H${g.workloadFirst + i}`).style),
    );
    expect(styles.size).toBe(1);
    const calc = bankBook.sheet('Calc — Build-out on time');
    expect(styles.has(cell(calc, `H${plan(bank, LABELS.en).calc.quantity}`).style)).toBe(false);
  });
});

describe('the Monte Carlo sheet', () => {
  const M = LABELS.en.monteCarlo;
  const texts = () => [...bankBook.sheet('Monte Carlo').cells.values()];
  const rowCells = (row: number) =>
    texts()
      .filter((c) => c.row === row)
      .sort((a, b) => a.col - b.col)
      .map((c) => c.value);

  it("states the ranges drawn: efficiency scaled around each workload's own value", () => {
    const mc = bankBook.sheet('Monte Carlo');
    const top = rowOf(mc, 1, M.ranges);
    const efficiency = rowOf(mc, 1, LABELS.en.driver.efficiency);
    expect(efficiency).toBeGreaterThan(top);
    expect(rowCells(efficiency)).toEqual([
      LABELS.en.driver.efficiency,
      '× 0.5',
      '× 1.5',
      M.aroundScale,
    ]);
    expect(rowCells(rowOf(mc, 1, LABELS.en.driver.delay))).toEqual([
      LABELS.en.driver.delay,
      '0 q',
      '+4 q',
      M.aroundSet,
    ]);
  });

  it('says where each forecast falls and which asymmetric ranges skew the draws', () => {
    const mc = bankBook.sheet('Monte Carlo');
    const values = texts().map((c) => c.value);
    for (const m of bank.monteCarlo)
      expect(values).toContain(M.position(m.forecastPosition, m.shareBelowForecast));
    // on time: delay 0…0…4, premium 0…0…30 %, availability 70 %…100 %…100 %; delayed: none
    const onTime = bank.monteCarlo.find((m) => m.id === 'on-time')!;
    const skewTop = rowOf(mc, 1, M.skew);
    expect(rowCells(skewTop + 2)).toEqual([
      LABELS.en.driver.delay,
      '0 q',
      '0 q',
      '4 q',
      expect.any(Number),
    ]);
    // the delay's effect is its tornado bar's lopsidedness: (low − base) + (high − base)
    const bar = bank.tornado.find((b) => b.scenarioId === 'on-time' && b.driver === 'delay')!;
    const base = bank.projections[0]!.total;
    const effect = bar.totalAtLow.minus(base).plus(bar.totalAtHigh.minus(base)).toNumber();
    expect(near(rowCells(skewTop + 2)[4] as number, effect)).toBe(true);
    expect(onTime.skewedBy.map((d) => d.driver)).toEqual(['delay', 'premium', 'availability']);
    expect(rowCells(skewTop + 3)[0]).toBe(LABELS.en.driver.premium);
    expect(values.filter((v) => v === M.noSkew)).toHaveLength(1); // delayed only
  });

  it('draws the forecast beside P50 and the band in every fan chart', async () => {
    const { charts } = await renderParts(bank, OPTIONS);
    const mc = bankBook.sheet('Monte Carlo');
    const fans = charts.filter((c) => c.kind === 'fan');
    for (const [k, c] of fans.entries()) {
      expect(c.forecast?.name).toBe(M.forecast);
      const [, first, last] = /!\$E\$(\d+):\$E\$(\d+)$/.exec(c.forecast!.values)!;
      const p = bank.projections.find((x) => x.scenario.id === bank.monteCarlo[k]!.id)!;
      expect(Number(last) - Number(first) + 1).toBe(p.byQuarter.length);
      for (const [t, q] of p.byQuarter.entries())
        expect(cell(mc, `E${Number(first) + t}`).value).toBe(q.toNumber());
    }
  });
});

describe('charts and packaging', () => {
  it('adds a line chart on the Summary, a tornado per scenario and a fan per scenario', async () => {
    const { charts } = await renderParts(bank, OPTIONS);
    expect(charts.filter((c) => c.kind === 'line').map((c) => c.sheet)).toEqual(['Summary']);
    expect(charts.filter((c) => c.kind === 'bar')).toHaveLength(3);
    expect(charts.filter((c) => c.kind === 'fan')).toHaveLength(3);
    expect(bankBook.files.filter((f) => /^xl\/charts\/chart\d+\.xml$/.test(f))).toHaveLength(7);
  });

  it('points every chart series at numbers on its sheet', async () => {
    const { charts } = await renderParts(bank, OPTIONS);
    for (const c of charts) {
      const s = bankBook.sheet(c.sheet);
      for (const series of c.series) {
        const [, a, b] = /!\$([A-Z]+\$\d+):\$([A-Z]+\$\d+)$/.exec(series.values)!;
        for (const ref of [a!, b!].map((x) => x.replace('$', '')))
          expect(typeof cell(s, ref).value, `${c.title} ${ref}`).toBe('number');
      }
    }
  });

  it('gives byte-identical files for the same inputs and generation time', async () => {
    const a = await renderWorkbook(bank, OPTIONS);
    const b = await renderWorkbook(bank, OPTIONS);
    expect(a.equals(b)).toBe(true);
    const later = await renderWorkbook(bank, {
      ...OPTIONS,
      generatedAt: new Date('2026-11-23T09:30:00Z'),
    });
    expect(a.equals(later)).toBe(false);
  });
});
