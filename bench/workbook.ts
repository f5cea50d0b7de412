// Workbook benchmark (issue 3): the sample model, and 1 000 workloads × 20 quarters × 2
// scenarios with its peak RSS; our time against exceljs writing the same cells with no
// logic of ours. `npm run bench -- workbook`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Forecast } from '../models/forecast.ts';
import { layouts, renderParts, renderWorkbook } from '../templates/index.ts';
import { col, type SheetLayout } from '../templates/layout.ts';
import { styleBook } from '../templates/styles.ts';
import { fixtureForecast, OPTIONS } from '../tests/templates/helpers.ts';
import { syntheticForecast } from '../tests/templates/synthetic.ts';
import { at, machine, ms, record } from './machine.ts';

async function timeAsync(fn: () => Promise<unknown>, runs: number, warmup = 3) {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  out.sort((a, b) => a - b);
  return { median: at(out, runs / 2), p90: at(out, runs * 0.9), runs };
}

interface Materialised {
  readonly name: string;
  readonly columns: readonly number[];
  readonly rows: readonly (readonly (ExcelJS.CellValue | null)[])[];
  readonly styles: readonly (readonly (Partial<ExcelJS.Style> | null)[])[];
  readonly cells: number;
}

/** Our layouts turned into plain values and style objects, outside any timing. */
function materialise(sheets: readonly SheetLayout[], currency: string): Materialised[] {
  const style = styleBook(currency);
  return sheets.map((s) => {
    const rows: (ExcelJS.CellValue | null)[][] = [];
    const styles: (Partial<ExcelJS.Style> | null)[][] = [];
    let cells = 0;
    let n = 0;
    for (const r of s.rows()) {
      n += 1;
      const [first, last] = r.shared ?? [0, 0];
      const master = `${col(first)}${n}`;
      rows.push(
        r.cells.map((c, i) => {
          if (!c) return null;
          cells += 1;
          if (c.f === undefined) return c.v ?? null;
          const k = i + 1;
          return (
            k === first
              ? {
                  formula: c.f,
                  result: c.r,
                  shareType: 'shared',
                  ref: `${master}:${col(last)}${n}`,
                }
              : k > first && k <= last
                ? { sharedFormula: master, result: c.r }
                : { formula: c.f, result: c.r }
          ) as ExcelJS.CellValue;
        }),
      );
      styles.push(r.cells.map((c) => (c?.s ? style(c.s) : null)));
    }
    return { name: s.name, columns: s.columns, rows, styles, cells };
  });
}

/** exceljs alone: the same sheets, rows, values, formulas and shared styles, streamed. */
async function bareExceljs(sheets: readonly Materialised[]): Promise<number> {
  const chunks: Buffer[] = [];
  const { Writable } = await import('node:stream');
  const stream = new Writable({
    write(c: Buffer, _e, done) {
      chunks.push(c);
      done();
    },
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: true,
  });
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.columns = s.columns.map((width) => ({ width }));
    // As in templates/render.ts: the streaming writer needs shared-formula ids counted.
    const writer = ws as unknown as { _siFormulae: number };
    let si = 0;
    s.rows.forEach((values, i) => {
      const row = ws.getRow(i + 1);
      const st = s.styles[i];
      if (!st) throw new Error(`sheet ${s.name}: row ${i + 1} has no styles`);
      for (let c = 0; c < values.length; c++) {
        const v = values[c];
        if (v === null || v === undefined) continue;
        const cell = row.getCell(c + 1);
        cell.value = v;
        const sc = st[c];
        if (sc) cell.style = sc as ExcelJS.Style;
      }
      writer._siFormulae = si;
      row.commit();
      if (values.some((v) => typeof v === 'object' && v !== null && 'shareType' in v)) si += 1;
    });
    ws.commit();
  }
  await wb.commit();
  return Buffer.concat(chunks).length;
}

/** The large case in a process of its own, so that its peak RSS is its own. */
function bigInChild(): {
  forecastMs: number;
  renderMs: number;
  bytes: number;
  rssMb: number;
  heapMb: number;
} {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').at(-1);
  if (last === undefined) throw new Error('bench child printed nothing');
  return JSON.parse(last);
}

async function child() {
  const t0 = performance.now();
  const f = syntheticForecast(1000, 20, 1000);
  const forecastMs = performance.now() - t0;
  let heapMb = 0;
  const timer = setInterval(() => {
    heapMb = Math.max(heapMb, process.memoryUsage().heapUsed / 2 ** 20);
  }, 20);
  const t1 = performance.now();
  const bytes = (await renderWorkbook(f, OPTIONS)).length;
  const renderMs = performance.now() - t1;
  clearInterval(timer);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ forecastMs, renderMs, bytes, rssMb, heapMb })}\n`);
}

async function ratio(f: Forecast, runs: number) {
  const sheets = materialise(layouts(f, OPTIONS), f.model.currency);
  const cells = sheets.reduce((n, s) => n + s.cells, 0);
  const ours = await timeAsync(() => renderWorkbook(f, OPTIONS), runs);
  const parts = await timeAsync(() => renderParts(f, OPTIONS), runs);
  const bare = await timeAsync(() => bareExceljs(sheets), runs);
  return { cells, ours, parts, bare };
}

export async function run(): Promise<string> {
  const sample = await fixtureForecast('bank-ma', 1000);
  const small = await ratio(sample, 15);
  const big = bigInChild();
  const bigForecast = syntheticForecast(1000, 20, 0);
  const large = await ratio(bigForecast, 3);
  const mb = (x: number) => `${x.toFixed(0)} MB`;
  const md = `
## Workbook — fixtures/bank-ma (9 workloads × 8 quarters × 3 scenarios) and 1 000 workloads × 20 quarters × 2 scenarios

Machine: ${machine()}. Run: ${new Date().toISOString().slice(0, 10)}, \`npm run bench -- workbook\`. Times are \`renderWorkbook\` (layouts → exceljs stream → charts and deterministic zip), the forecast itself excluded.

| what | cells | median | p90 | runs | target |
| --- | --- | --- | --- | --- | --- |
| sample model (bank-ma), whole workbook | ${small.cells} | ${ms(small.ours.median)} | ${ms(small.ours.p90)} | ${small.ours.runs} | ≤ 500 ms |
| sample model, exceljs part only (before charts and zip) | | ${ms(small.parts.median)} | ${ms(small.parts.p90)} | ${small.parts.runs} | |
| sample model, bare exceljs writing the same cells | | ${ms(small.bare.median)} | ${ms(small.bare.p90)} | ${small.bare.runs} | |
| 1 000 × 20 × 2, whole workbook | ${large.cells} | ${ms(large.ours.median)} | ${ms(large.ours.p90)} | ${large.ours.runs} | ≤ 10 s |
| 1 000 × 20 × 2, exceljs part only | | ${ms(large.parts.median)} | ${ms(large.parts.p90)} | ${large.parts.runs} | |
| 1 000 × 20 × 2, bare exceljs writing the same cells | | ${ms(large.bare.median)} | ${ms(large.bare.p90)} | ${large.bare.runs} | |

1 000 × 20 × 2 in a fresh process: forecast ${ms(big.forecastMs)} (engine, 1 000 Monte Carlo draws), workbook ${ms(big.renderMs)}, ${(big.bytes / 2 ** 20).toFixed(1)} MiB; **peak RSS ${mb(big.rssMb)}** for the whole process (target ≤ 600 MB), peak heap during rendering ${mb(big.heapMb)}.

Ours / bare exceljs: **${(small.ours.median / small.bare.median).toFixed(2)}×** on the sample model, **${(large.ours.median / large.bare.median).toFixed(2)}×** at 1 000 × 20 × 2 (aim ≤ 1.5×); without the charts and the deterministic re-zip of \`finalizeXlsx\`, ${(small.parts.median / small.bare.median).toFixed(2)}× and ${(large.parts.median / large.bare.median).toFixed(2)}×. The rest is \`finalizeXlsx\` (templates/package.ts: about ${ms(small.ours.median - small.parts.median)} and ${ms(large.ours.median - large.parts.median)}), which reads the package (yauzl), places the charts and re-zips every part deterministically with Node's zlib (yazl), deflate and yazl's JavaScript CRC-32 being most of it. The workbook hands it uncompressed parts (exceljs writes with \`store\`) and shared formulas (one per timeline row) to keep that work small.
`;
  record('workbook', md);
  return md;
}

if (process.argv.includes('--child')) await child();
else if (process.argv[1] === fileURLToPath(import.meta.url))
  process.stdout.write(`${await run()}\n`);
