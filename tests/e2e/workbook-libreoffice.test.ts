// The workbook recalculated by an independent spreadsheet engine: LibreOffice opens each
// generated file with recalculation forced on load; every formula must come back to its
// cached value and the totals to the engine's JSON, also after an analyst changes an input.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Forecast } from '../../models/forecast.ts';
import { renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { addr, col } from '../../templates/layout.ts';
import { plan, tcol } from '../../templates/plan.ts';
import {
  AWKWARD,
  awkwardForecast,
  edgeForecast,
  fixtureForecast,
  fixtureInputs,
  forecastOf,
  OPTIONS,
} from '../templates/helpers.ts';
import {
  convert,
  type Dump,
  dump,
  gnumericRecalc,
  hasGnumeric,
  hasLibreOffice,
  isError,
  recalcProfile,
  sheetOf,
} from '../templates/libreoffice.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';

const near = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;
/** Within half a cent of an amount the JSON rounded half away from zero. */
const toTheCent = (x: unknown, amount: string) =>
  Math.abs((x as number) - Number(amount)) <= 0.005 + 1e-9;
/** Fewer formula cells than this means a sheet went missing. */
const MIN_FORMULAS: Record<string, number> = {
  'tiny-en': 300,
  'bank-ma-en': 2000,
  'bank-ma-fr': 2000,
  'edge-fr': 50,
  'awkward-en': 500,
};

/**
 * Every formula cell of the generated workbook against the same cell after an engine
 * recalculated it: numbers within 1e-9 relative, text and booleans equal. Returns how many.
 */
function expectRecalculated(before: Dump, after: Dump): number {
  let checked = 0;
  for (const s of before.sheets) {
    const t = sheetOf(after, s.name);
    for (const [ref, c] of Object.entries(s.cells)) {
      if (!c.f) continue;
      checked += 1;
      const cached = c.v;
      const recalc = t.cells[ref]?.v ?? null;
      if (typeof cached === 'number') {
        expect(typeof recalc, `${s.name}!${ref} ${c.f}`).toBe('number');
        expect(
          near(cached, recalc as number),
          `${s.name}!${ref} ${c.f}: ${cached} vs ${recalc}`,
        ).toBe(true);
      } else expect(recalc ?? '', `${s.name}!${ref} ${c.f}`).toBe(cached ?? '');
    }
  }
  return checked;
}

const cases = [
  { key: 'tiny-en', fixture: 'tiny', locale: 'en' },
  { key: 'bank-ma-en', fixture: 'bank-ma', locale: 'en' },
  { key: 'bank-ma-fr', fixture: 'bank-ma', locale: 'fr' },
  // one quarter, one scenario with a name to quote, a rupture window, no Monte Carlo
  { key: 'edge-fr', fixture: 'edge', locale: 'fr' },
  // providers named *, =HYPERLINK(…), a?c and <5; names starting with =; overlapping windows
  { key: 'awkward-en', fixture: 'awkward', locale: 'en' },
] as const;

type Case = (typeof cases)[number];

/** The forecast of a case's fixture. */
async function forecastOfCase(fixture: Case['fixture']): Promise<Forecast> {
  if (fixture === 'edge') return edgeForecast();
  if (fixture === 'awkward') return awkwardForecast();
  return fixtureForecast(fixture);
}

/** Writes each case's workbook into `dir`; returns the files, in case order, and the forecasts. */
async function writeCases(dir: string) {
  const forecasts = new Map<string, Forecast>();
  const files: string[] = [];
  for (const c of cases) {
    const f = forecasts.get(c.fixture) ?? (await forecastOfCase(c.fixture));
    forecasts.set(c.fixture, f);
    const file = join(dir, `${c.key}.xlsx`);
    writeFileSync(file, await renderWorkbook(f, { ...OPTIONS, locale: c.locale }));
    files.push(file);
  }
  return { files, forecasts };
}

/** The recalculated totals against the forecast JSON, to the cent. */
function expectJsonTotals(f: Forecast, locale: 'en' | 'fr', after: Dump): void {
  const p = plan(f, LABELS[locale]);
  f.json.scenarios.forEach((js, s) => {
    const calc = sheetOf(after, p.sheets.calc[s]!).cells;
    const v = (c: number, r: number) => calc[addr(c, r)]?.v;
    expect(toTheCent(v(6, p.calc.total), js.total), `${js.id} total`).toBe(true);
    js.byQuarter.forEach((q, t) => {
      expect(toTheCent(v(tcol(t), p.calc.total), q.total), q.quarter).toBe(true);
    });
    for (const [fy, y] of Object.entries(js.byFiscalYear))
      expect(toTheCent(v(6, p.calc.fiscalYears.get(fy)!), y.total), fy).toBe(true);
    for (const [c, y] of Object.entries(js.byCategory))
      expect(toTheCent(v(6, p.calc.category[c as keyof typeof p.calc.category]), y.total), c).toBe(
        true,
      );
    for (const [name, y] of Object.entries(js.byProvider))
      expect(toTheCent(v(6, p.calc.provider.get(name)!), y.total), name).toBe(true);
    js.byWorkload.forEach((w, i) => {
      expect(toTheCent(v(6, p.calc.cost + i), w.total), w.workloadId).toBe(true);
      w.quarters.forEach((q, t) => {
        expect(toTheCent(v(tcol(t), p.calc.cost + i), q)).toBe(true);
      });
    });
  });
  // The Summary's totals are links to the same figures: column C of each scenario's row.
  const summary = sheetOf(after, p.sheets.summary).cells;
  for (const js of f.json.scenarios) {
    const ref = Object.keys(summary).find((r) => /^B\d+$/.test(r) && summary[r]!.v === js.name);
    expect(ref, js.name).toBeDefined();
    expect(toTheCent(summary[`C${ref!.slice(1)}`]?.v, js.total), js.id).toBe(true);
  }
}

describe.skipIf(!hasLibreOffice)('the workbook recalculated by LibreOffice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costcast-workbook-'));
  const profile = recalcProfile();
  const generated = new Map<string, Dump>();
  const recalculated = new Map<string, Dump>();

  let forecasts = new Map<string, Forecast>();
  beforeAll(async () => {
    const written = await writeCases(dir);
    forecasts = written.forecasts;
    const out = convert(written.files, 'xlsx', join(dir, 'recalculated'), profile);
    cases.forEach((c, i) => {
      generated.set(c.key, dump(written.files[i]!));
      recalculated.set(c.key, dump(out[i]!));
    });
  });

  it.each(cases)(
    'recalculates every formula cell of $key to its cached value (1e-9 relative)',
    ({ key }) => {
      const checked = expectRecalculated(generated.get(key)!, recalculated.get(key)!);
      expect(checked).toBeGreaterThan(MIN_FORMULAS[key]!);
    },
  );

  it('passes every check of the Summary', () => {
    for (const key of ['tiny-en', 'bank-ma-en', 'awkward-en'])
      expect(allChecks(recalculated.get(key)!), key).toBe(true);
  });

  it.each(cases)('leaves no error value (#REF!, #VALUE!, #NAME?…) in $key', ({ key }) => {
    for (const s of recalculated.get(key)!.sheets)
      for (const [ref, c] of Object.entries(s.cells))
        expect(isError(c.v), `${s.name}!${ref} = ${c.v}`).toBe(false);
  });

  it.each(cases)(
    'agrees with the forecast JSON to the cent after recalculation ($key)',
    ({ key, fixture, locale }) => {
      expectJsonTotals(forecasts.get(fixture)!, locale, recalculated.get(key)!);
    },
  );

  it.each(cases)(
    'opens $key with every sheet visible, frozen panes and a fit-to-width print setup',
    ({ key }) => {
      const d = generated.get(key)!;
      for (const s of d.sheets) {
        expect(s.state, s.name).toBe('visible');
        expect(s.freeze, s.name).toMatch(/^[A-Z]+\d+$/);
        expect(['landscape', 'portrait'], s.name).toContain(s.orientation);
        expect(s.fitToPage, s.name).toBe(true);
        expect(s.fitToWidth, s.name).toBe(1);
      }
      expect(
        sheetOf(d, key.endsWith('fr') ? 'Hypothèses' : 'Inputs').validations,
      ).toBeGreaterThanOrEqual(12);
    },
  );

  it('names the sheets of the French workbook in French', () => {
    expect(generated.get('bank-ma-fr')!.sheets.map((s) => s.name)).toEqual([
      'Synthèse',
      'Hypothèses',
      'Prix',
      'Calcul — Build-out on time',
      'Calcul — Build-out delayed',
      'Calcul — provider-rupture',
      'Scénarios',
      'Sensibilité — Tornade',
      'Sensibilité — Grille',
      'Monte-Carlo',
      'Fournisseurs',
      'À propos',
    ]);
  });

  it('keeps names that look like wildcards, comparisons or formulas as text that matches only itself', () => {
    const f = forecasts.get('awkward')!;
    const p = plan(f, LABELS.en);
    const after = recalculated.get('awkward-en')!;
    // Each provider's row on the calculation sheet holds that provider's spend only.
    f.json.scenarios.forEach((js, s) => {
      const calc = sheetOf(after, p.sheets.calc[s]!).cells;
      for (const name of Object.values(AWKWARD))
        expect(
          toTheCent(calc[addr(6, p.calc.provider.get(name)!)]?.v, js.byProvider[name]!.total),
          `${js.id} ${name}`,
        ).toBe(true);
    });
    // The names are text cells, never formulas, after recalculation too.
    const inputs = sheetOf(after, p.sheets.inputs).cells;
    const texts = Object.values(inputs)
      .filter((c) => !c.f)
      .map((c) => c.v);
    for (const name of [...Object.values(AWKWARD), '=1+1', '=SUM(1,2)', '>EU'])
      expect(texts, name).toContain(name);
  });
});

describe.skipIf(!hasGnumeric)('the workbook recalculated by Gnumeric', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costcast-gnumeric-'));
  const generated = new Map<string, Dump>();
  const recalculated = new Map<string, Dump>();
  let forecasts = new Map<string, Forecast>();

  beforeAll(async () => {
    const written = await writeCases(dir);
    forecasts = written.forecasts;
    const out = gnumericRecalc(written.files, join(dir, 'recalculated'));
    cases.forEach((c, i) => {
      generated.set(c.key, dump(written.files[i]!));
      recalculated.set(c.key, dump(out[i]!));
    });
  });

  it.each(cases)(
    'recalculates every formula cell of $key to its cached value (1e-9 relative)',
    ({ key }) => {
      const checked = expectRecalculated(generated.get(key)!, recalculated.get(key)!);
      expect(checked).toBeGreaterThan(MIN_FORMULAS[key]!);
    },
  );

  it('passes every check of the Summary', () => {
    for (const key of ['tiny-en', 'bank-ma-en', 'awkward-en'])
      expect(allChecks(recalculated.get(key)!), key).toBe(true);
  });

  it.each(cases)('leaves no error value (#VALUE!, #NAME?…) in $key', ({ key }) => {
    for (const s of recalculated.get(key)!.sheets)
      for (const [ref, c] of Object.entries(s.cells))
        expect(isError(c.v), `${s.name}!${ref} = ${c.v}`).toBe(false);
  });

  it.each(cases)(
    'agrees with the forecast JSON to the cent after recalculation ($key)',
    ({ key, fixture, locale }) => {
      expectJsonTotals(forecasts.get(fixture)!, locale, recalculated.get(key)!);
    },
  );
});

/** Sets a number in a worksheet part, as an analyst typing into the cell. */
async function setNumbers(
  xlsx: Buffer,
  sheet: string,
  values: Record<string, number | string>,
): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const workbook = await zip.file('xl/workbook.xml')!.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  const rid = new RegExp(`<sheet\\b[^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(workbook)![1];
  const rel = new RegExp(`<Relationship\\b[^>]*Id="${rid}"[^>]*/>`).exec(rels)![0];
  const target = /Target="([^"]+)"/.exec(rel)![1]!;
  const part = `xl/${target.replace(/^\/?xl\//, '')}`;
  let xml = await zip.file(part)!.async('string');
  for (const [ref, value] of Object.entries(values)) {
    const cell = new RegExp(`<c r="${ref}"([^>]*?)(?:/>|>[\\s\\S]*?</c>)`);
    const m = cell.exec(xml);
    if (!m) throw new Error(`${sheet}!${ref} not found`);
    const attrs = m[1]!.replace(/\s*t="[^"]*"/, '');
    const body = typeof value === 'number' ? `<v>${value}</v>` : `<is><t>${value}</t></is>`;
    xml = xml.replace(
      cell,
      `<c r="${ref}"${attrs}${typeof value === 'number' ? '' : ' t="inlineStr"'}>${body}</c>`,
    );
  }
  zip.file(part, xml);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe.skipIf(!hasLibreOffice)(
  'an analyst changes an input and the workbook recalculates to the engine’s figures',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'costcast-whatif-'));
    const profile = recalcProfile();
    let inputs: Awaited<ReturnType<typeof fixtureInputs>>;
    let base: Forecast;
    let xlsx: Buffer;

    beforeAll(async () => {
      inputs = await fixtureInputs('bank-ma');
      base = forecastOf(inputs, 0);
      xlsx = await renderWorkbook(base, OPTIONS);
    });

    const p = () => plan(base, LABELS.en);
    const workloadRow = (id: string) =>
      p().inputs.workloadFirst + base.model.workloads.findIndex((w) => w.id === id);
    const scenarioCol = (id: string) => col(3 + base.scenarios.findIndex((s) => s.id === id));
    const fxRow = (currency: string) => p().inputs.fx.find((x) => x.currency === currency)!.row;
    const a = () => inputs.assumptions;
    const scenarios = () => inputs.scenarios!;

    const variants = () => [
      {
        name: 'a workload’s base quantity and another’s growth',
        cells: { [`H${workloadRow('chatbot-input')}`]: 3000, [`I${workloadRow('routing')}`]: 0.2 },
        inputs: {
          ...inputs,
          assumptions: {
            ...a(),
            workloads: a().workloads.map((w) =>
              w.id === 'chatbot-input'
                ? { ...w, baseQuantity: '3000' }
                : w.id === 'routing'
                  ? { ...w, growthPerQuarter: '0.2' }
                  : w,
            ),
          },
        },
      },
      {
        name: 'the USD exchange rate',
        cells: { [`B${fxRow('USD')}`]: 10.1 },
        inputs: { ...inputs, assumptions: { ...a(), fx: { ...a().fx, USD: '10.1' } } },
      },
      {
        name: 'the delayed scenario’s delay and availability',
        cells: {
          [`${scenarioCol('delayed')}${p().inputs.param.delay}`]: 2,
          [`${scenarioCol('delayed')}${p().inputs.param.availability}`]: 0.7,
        },
        inputs: {
          ...inputs,
          scenarios: scenarios().map((s) =>
            s.id === 'delayed' ? { ...s, delayQuarters: 2, availability: '0.7' } : s,
          ),
        },
      },
      {
        name: 'a rupture window’s availability and end',
        cells: { [`E${p().inputs.windowFirst}`]: 0.25, [`D${p().inputs.windowFirst}`]: '2028-Q4' },
        inputs: {
          ...inputs,
          scenarios: scenarios().map((s) =>
            s.id === 'provider-rupture'
              ? {
                  ...s,
                  providerAvailability: s.providerAvailability.map((w) => ({
                    ...w,
                    availability: '0.25',
                    to: '2028-Q4',
                  })),
                }
              : s,
          ),
        },
      },
      {
        // The French workbook writes quarters T4 2028; either form reads the same.
        name: 'a rupture window’s end written the French way',
        cells: { [`E${p().inputs.windowFirst}`]: 0.25, [`D${p().inputs.windowFirst}`]: 'T4 2028' },
        inputs: {
          ...inputs,
          scenarios: scenarios().map((s) =>
            s.id === 'provider-rupture'
              ? {
                  ...s,
                  providerAvailability: s.providerAvailability.map((w) => ({
                    ...w,
                    availability: '0.25',
                    to: '2028-Q4',
                  })),
                }
              : s,
          ),
        },
      },
      {
        name: 'a shorter horizon',
        cells: { [`B${p().inputs.horizon}`]: 6 },
        inputs: { ...inputs, assumptions: { ...a(), horizonQuarters: 6 } },
      },
    ];

    it('matches the engine run on the changed inputs, scenario by scenario, to the cent', async () => {
      const vs = variants();
      const files: string[] = [];
      for (const [i, v] of vs.entries()) {
        const file = join(dir, `whatif-${i}.xlsx`);
        writeFileSync(file, await setNumbers(xlsx, 'Inputs', v.cells));
        files.push(file);
      }
      const out = convert(files, 'xlsx', join(dir, 'recalculated'), profile);
      const g = p();
      vs.forEach((v, i) => {
        const expected = forecastOf(v.inputs, 0).json;
        const after = dump(out[i]!);
        let moved = 0;
        expected.scenarios.forEach((js, s) => {
          const calc = sheetOf(after, g.sheets.calc[s]!).cells;
          const total = calc[`F${g.calc.total}`]?.v;
          expect(toTheCent(total, js.total), `${v.name}: ${js.id} ${total} vs ${js.total}`).toBe(
            true,
          );
          if (js.total !== base.json.scenarios[s]!.total) moved += 1;
          for (const [fy, y] of Object.entries(js.byFiscalYear))
            expect(
              toTheCent(calc[`F${g.calc.fiscalYears.get(fy)}`]?.v, y.total),
              `${v.name}: ${js.id} ${fy}`,
            ).toBe(true);
        });
        expect(moved, `${v.name} changes a total`).toBeGreaterThan(0);
        for (const s of after.sheets)
          for (const [ref, c] of Object.entries(s.cells))
            expect(isError(c.v), `${v.name}: ${s.name}!${ref}`).toBe(false);
        // Inputs changed, formulas intact: every check still ties out.
        expect(allChecks(after), v.name).toBe(true);
      });
    });

    it('turns a check FALSE when a typed number breaks a breakdown', async () => {
      const g = p();
      // An analyst types over the on-time sheet's first LLM-inference cell.
      const broken = await setNumbers(xlsx, g.sheets.calc[0]!, {
        [`${col(tcol(0))}${g.calc.category['llm-inference']}`]: 1,
      });
      const file = join(dir, 'broken.xlsx');
      writeFileSync(file, broken);
      const [out] = convert([file], 'xlsx', join(dir, 'broken'), profile);
      const summary = sheetOf(dump(out!), g.sheets.summary).cells;
      const row = (label: string) =>
        Object.keys(summary)
          .find((r) => /^B\d+$/.test(r) && summary[r]!.v === label)!
          .slice(1);
      expect(summary[`C${row('Σ by category = scenario total')}`]?.v).toBe(false);
      expect(summary[`D${row('Σ by category = scenario total')}`]?.v).toBe(true);
      expect(summary[`C${row('Σ by provider = scenario total')}`]?.v).toBe(true);
      expect(summary[`C${row('All checks pass')}`]?.v).toBe(false);
    });
  },
);

/** The "all checks pass" cell of an English workbook's Summary. */
function allChecks(d: Dump): unknown {
  const summary = sheetOf(d, 'Summary').cells;
  const ref = Object.keys(summary).find(
    (r) => /^B\d+$/.test(r) && summary[r]!.v === LABELS.en.checks.all,
  );
  return ref ? summary[`C${ref.slice(1)}`]?.v : undefined;
}

describe.skipIf(!hasLibreOffice)('the workbook rendered to PDF by LibreOffice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costcast-pdf-'));
  const text = (pdf: string, page?: number) =>
    execFileSync('pdftotext', [
      ...(page ? ['-f', `${page}`, '-l', `${page}`] : []),
      '-layout',
      pdf,
      '-',
    ]).toString('utf8');

  const pageCount = (pdf: string) =>
    Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())![1]);

  /**
   * Each sheet prints on the pages its row breaks plan and no more — LibreOffice added no
   * page of its own, so no table ran past the foot of a page — with the forecast's name and
   * status at the top of each page and its sheet's name at the foot.
   */
  async function expectPlannedPages(xlsx: Buffer, pdf: string, f: Forecast, locale: 'en' | 'fr') {
    const book = await readXlsx(xlsx);
    const planned = book.sheets.map((s) => ({
      name: s.name,
      pages: 1 + (s.xml.match(/<brk /g) ?? []).length,
    }));
    const pages = pageCount(pdf);
    expect(pages).toBe(planned.reduce((n, s) => n + s.pages, 0));
    const footers: string[] = [];
    for (let i = 1; i <= pages; i++) {
      const lines = text(pdf, i)
        .split('\n')
        .filter((l) => l.trim() !== '');
      expect(lines[0], `page ${i}`).toContain(f.model.name);
      expect(lines[0], `page ${i}`).toContain(locale === 'en' ? 'Not reviewed' : 'Non revue');
      const foot = /^\s*(.+?)\s{2,}(\d+) \/ (\d+)\s*$/.exec(lines.at(-1)!);
      expect(foot, `page ${i}: ${lines.at(-1)}`).not.toBeNull();
      expect([Number(foot![2]), Number(foot![3])]).toEqual([i, pages]);
      footers.push(foot![1]!);
      // No page holds a lone row: a header, a footer and at least three lines between.
      expect(lines.length, `page ${i} (${foot![1]})`).toBeGreaterThanOrEqual(5);
    }
    // The sheets in tab order, each on its planned number of pages, its name printed whole.
    expect(footers).toEqual(planned.flatMap((s) => Array.from({ length: s.pages }, () => s.name)));
    return pages;
  }

  it.each(['en', 'fr'] as const)('prints every sheet with its charts (%s)', async (locale) => {
    const f = await fixtureForecast('bank-ma');
    const file = join(dir, `bank-ma-${locale}.xlsx`);
    const xlsx = await renderWorkbook(f, { ...OPTIONS, locale });
    writeFileSync(file, xlsx);
    const [pdf] = convert([file], 'pdf', join(dir, 'pdf'), recalcProfile());
    // 12 sheets; before the print layout LibreOffice printed 20 pages, tables and a chart cut
    // across pages. Now 30 with this fixture (the Checks block and the price sheets' ages
    // included): the planned ones (checked below) and no more.
    const pages = await expectPlannedPages(xlsx, pdf!, f, locale);
    expect(pages).toBeGreaterThanOrEqual(15);
    expect(pages).toBeLessThanOrEqual(32);
    const L = LABELS[locale];
    // The Summary: totals and budget on its first page, the Checks on the second, the chart
    // whole on the third.
    const first = text(pdf!, 1);
    expect(first).toContain(f.model.name);
    expect(first).toContain(L.summary.budget(f.model.currency));
    expect(text(pdf!, 2)).toContain(L.checks.section.slice(0, 25));
    expect(text(pdf!, 3)).toContain(L.summary.chartTitle);
    const all = text(pdf!);
    for (const s of f.scenarios) {
      expect(all).toContain(L.tornado.chart(s.name).slice(0, 30));
      expect(all).toContain(L.monteCarlo.chart(s.name).slice(0, 30));
    }
    expect(all).not.toMatch(/#REF!|#VALUE!|#NAME\?|#DIV\/0!|Err:\d/);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      pdf!,
      join(dir, `page-${locale}`),
    ]);
    const png = join(dir, `page-${locale}-01.png`);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });

  it('prints the tiny workbook on its planned pages too, in both languages', async () => {
    const f = await fixtureForecast('tiny');
    const books = await Promise.all(
      (['en', 'fr'] as const).map(async (locale) => {
        const file = join(dir, `tiny-${locale}.xlsx`);
        const xlsx = await renderWorkbook(f, { ...OPTIONS, locale });
        writeFileSync(file, xlsx);
        return { locale, file, xlsx };
      }),
    );
    const pdfs = convert(
      books.map((b) => b.file),
      'pdf',
      join(dir, 'pdf'),
      recalcProfile(),
    );
    for (const [i, b] of books.entries()) {
      const pages = await expectPlannedPages(b.xlsx, pdfs[i]!, f, b.locale);
      expect(pages).toBeGreaterThanOrEqual(12);
      expect(pages).toBeLessThanOrEqual(25);
    }
  });
});
