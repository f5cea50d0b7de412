// The Changes sheet recalculated and drawn by LibreOffice: the bank sample's workbook rendered
// with the bridge from an earlier version of it (a quantity, a price, the USD rate and the
// delayed scenario's delay changed, one workload gone, one added), in English and French.
// Every formula cell of the sheet must come back to its cached value, each check to 0, and its
// page must print with the waterfall (the PNG is left for a person to look at).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../models/money.ts';
import { type Variance, variance } from '../../models/variance.ts';
import { renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { fixtureInputs, forecastOf, OPTIONS } from '../templates/helpers.ts';
import {
  convert,
  type Dump,
  dump,
  hasLibreOffice,
  isError,
  recalcProfile,
  sheetOf,
} from '../templates/libreoffice.ts';

const near = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;

type Inputs = Awaited<ReturnType<typeof fixtureInputs>>;

/** An earlier version of the sample: what the bridge starts from. */
function earlierOf(now: Inputs): Inputs {
  const a = now.assumptions;
  const [first] = a.workloads;
  if (!first) throw new Error('the sample has workloads');
  return {
    ...now,
    assumptions: {
      ...a,
      fx: { ...a.fx, USD: new Decimal(a.fx.USD ?? '1').times('0.97').toFixed(4) },
      workloads: [
        ...a.workloads
          .filter((w) => w.id !== 'egress')
          .map((w) => (w.id === 'chatbot-input' ? { ...w, baseQuantity: '2000' } : w)),
        { ...first, id: 'legacy-chat', name: 'Legacy chatbot', baseQuantity: '300' },
      ],
    },
    sheets: now.sheets.map((s) => ({
      ...s,
      rows: s.rows.map((r) => (r.SkuId === 'gpt-4o-output' ? { ...r, ListUnitPrice: '12.00' } : r)),
    })),
    scenarios: (now.scenarios ?? []).map((s) =>
      s.id === 'delayed' ? { ...s, delayQuarters: Math.max(0, s.delayQuarters - 1) } : s,
    ),
  };
}

describe.skipIf(!hasLibreOffice)('the Changes sheet in LibreOffice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costcast-changes-'));
  const locales = ['en', 'fr'] as const;
  let v: Variance;
  let before: Record<string, Dump>;
  let after: Record<string, Dump>;
  let pdfs: string[];

  beforeAll(async () => {
    const now = await fixtureInputs('bank-ma');
    const bridged = variance(earlierOf(now), now);
    if (!bridged.ok) throw new Error(JSON.stringify(bridged.issues));
    v = bridged.value;
    const f = forecastOf(now, 200);
    const files: string[] = [];
    for (const locale of locales) {
      const file = join(dir, `changes-${locale}.xlsx`);
      writeFileSync(file, await renderWorkbook(f, { ...OPTIONS, locale, variance: v }));
      files.push(file);
    }
    const profile = recalcProfile();
    const recalculated = convert(files, 'xlsx', join(dir, 'recalc'), profile);
    pdfs = convert(files, 'pdf', join(dir, 'pdf'), profile);
    before = Object.fromEntries(locales.map((l, i) => [l, dump(files[i]!)]));
    after = Object.fromEntries(locales.map((l, i) => [l, dump(recalculated[i]!)]));
  });

  it.each(locales)('recalculates every formula of the sheet to its cached value (%s)', (locale) => {
    const name = LABELS[locale].sheet.changes;
    const b = sheetOf(before[locale]!, name);
    const a = sheetOf(after[locale]!, name);
    let formulas = 0;
    for (const [ref, c] of Object.entries(b.cells)) {
      if (!c.f) continue;
      formulas += 1;
      const recalc = a.cells[ref]?.v ?? null;
      expect(isError(recalc), `${ref} ${c.f}: ${recalc}`).toBe(false);
      if (typeof c.v === 'number')
        expect(near(c.v, recalc as number), `${ref} ${c.f}: ${c.v} vs ${recalc}`).toBe(true);
      else expect(recalc ?? '', `${ref} ${c.f}`).toBe(c.v ?? '');
    }
    // Per scenario: 7 × 4 effect-row formulas, 2 + 2 on the totals, the check, the change
    // and its %; then the movers' changes, the linked prices and the FX row.
    expect(formulas).toBeGreaterThan(v.scenarios.length * 36);
  });

  it.each(locales)('has each check at 0 after LibreOffice recalculated it (%s)', (locale) => {
    const L = LABELS[locale].changes;
    const a = sheetOf(after[locale]!, LABELS[locale].sheet.changes);
    const checks = Object.entries(a.cells).filter(
      ([ref, c]) => /^A\d+$/.test(ref) && c.v === L.check,
    );
    expect(checks).toHaveLength(v.scenarios.length);
    for (const [ref] of checks) expect(a.cells[`B${ref.slice(1)}`]?.v).toBe(0);
    // And each new total is the engine's, to the cent.
    const totals = Object.entries(a.cells).filter(
      ([ref, c]) => /^A\d+$/.test(ref) && c.v === L.newTotal,
    );
    expect(totals.map(([ref]) => a.cells[`B${ref.slice(1)}`]?.v)).toEqual(
      v.scenarios.map((s) => Number(s.total.new)),
    );
  });

  it.each(locales)('prints the sheet with its waterfall (%s)', (locale) => {
    const pdf = pdfs[locales.indexOf(locale)]!;
    const pages = Number(
      /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1],
    );
    const title = LABELS[locale].changes.title;
    let page = 0;
    for (let k = 1; k <= pages && page === 0; k++) {
      const text = execFileSync('pdftotext', ['-f', String(k), '-l', String(k), pdf, '-'], {
        encoding: 'utf8',
      });
      if (text.includes(title)) page = k;
    }
    expect(page, `the page titled "${title}"`).toBeGreaterThan(0);
    const png = join(dir, 'png');
    mkdirSync(png, { recursive: true });
    const prefix = join(png, `changes-${locale}`);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      pdf,
      prefix,
    ]);
    // A page with a chart on it is far from blank.
    expect(statSync(`${prefix}.png`).size).toBeGreaterThan(20_000);
    process.stdout.write(`Changes page (${locale}): ${prefix}.png\n`);
  });
});
