import { Decimal } from '../../../models/money.ts';
import type { PriceRow } from '../../../models/price-sheet.ts';
import { fail, ok, type Result } from '../../../models/result.ts';
import { PRICE_VALUE_COLUMNS, type PriceColumn } from '../columns.ts';
import { mapHeader } from '../header.ts';
import { numberText, parseLocaleDecimal } from '../numbers.ts';
import {
  type Cell,
  cellIssue,
  issueLog,
  type SourceRecord,
  tooManyRows,
  validateRecords,
} from '../rows.ts';
import type { ParseContext, ParsedPriceSheet, PriceRowBatch } from '../types.ts';
import { openBook } from './book-reader.ts';
import { sheetName as nameOf } from './sheet-name.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits, zipProblem } from './zip-guard.ts';

/** The sheet read when a workbook has it; else the first sheet. */
export const PRICES_SHEET = 'Prices';

/** Records read before they are checked and only the valid rows kept. */
const CHECK_ROWS = 5000;

/** Excel holds 15 significant digits; digits beyond are binary noise (0.1 + 0.2). */
const EXCEL_DIGITS = 15;

/**
 * A column number as Excel's letters.
 * @example columnLetters(4) //=> "D"
 * @example columnLetters(28) //=> "AB"
 */
export function columnLetters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** A spreadsheet number as decimal text, to Excel's 15 significant digits. */
export function excelNumber(n: number): string | null {
  const text = numberText(n);
  if (text === null) return null;
  const d = new Decimal(text);
  return d.sd() > EXCEL_DIGITS ? plain(d.toSignificantDigits(EXCEL_DIGITS)) : text;
}
const plain = (d: Decimal) => (d.isZero() ? '0' : d.toFixed());

/** A date as `2026-07-24` (with the time when it has one), in UTC as Excel stores it. */
function isoDate(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/** Excel's date serial (days since 1899-12-30, or 1904-01-01) as a date. */
function serialDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

interface Converted {
  readonly raw: string;
  readonly text?: string;
  readonly problem?: string;
  /** The problem names its cell itself. */
  readonly located?: boolean;
}

/** One cell value of a known column as schema text, or why it cannot be one. */
function convert(
  value: unknown,
  column: PriceColumn,
  address: string,
  date1904: boolean,
): Converted {
  const price = PRICE_VALUE_COLUMNS.includes(column);
  if (value === null || value === undefined) return { raw: '' };
  if (typeof value === 'number') {
    const raw = String(value);
    if (column === 'x_AsOf' && !(Number.isInteger(value) && value >= 1900 && value <= 2200))
      return Number.isFinite(value) && value > 0
        ? { raw, text: isoDate(serialDate(value, date1904)) }
        : { raw, problem: `${raw} is not a date` };
    const text = excelNumber(value);
    return text === null ? { raw, problem: `${raw} is not a finite number` } : { raw, text };
  }
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return { raw: value };
    if (!price) return { raw: value, text: t };
    const comma = t.includes(',') && (!t.includes('.') || t.lastIndexOf(',') > t.lastIndexOf('.'));
    const n = parseLocaleDecimal(t, comma ? ',' : '.');
    return n === null
      ? { raw: value, problem: `"${t}" is not a number (type it as a number, like 2.50)` }
      : { raw: value, text: n };
  }
  if (typeof value === 'boolean') {
    const raw = value ? 'TRUE' : 'FALSE';
    return price ? { raw, problem: `${raw} is not a number` } : { raw, text: raw };
  }
  if (value instanceof Date) {
    const raw = Number.isNaN(value.getTime()) ? 'Invalid Date' : isoDate(value);
    return price ? { raw, problem: `is a date (${raw}), not a number` } : { raw, text: raw };
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('formula' in v || 'sharedFormula' in v) {
      const formula = `=${String(v['formula'] ?? v['sharedFormula'] ?? '')}`;
      if (v['result'] === undefined)
        return {
          raw: formula,
          located: true,
          problem: `formula without a cached value in cell ${address}; save the file in Excel first or paste values`,
        };
      if (typeof v['result'] === 'number' && Number.isNaN(v['result']))
        return { raw: formula, problem: `the formula ${formula} gives an error` };
      return convert(v['result'], column, address, date1904);
    }
    if (Array.isArray(v['richText']))
      return convert(
        (v['richText'] as { text?: unknown }[]).map((r) => String(r.text ?? '')).join(''),
        column,
        address,
        date1904,
      );
    if ('error' in v) {
      const raw = String(v['error']);
      return { raw, problem: `holds the error ${raw}` };
    }
    if (typeof v['text'] === 'string') return convert(v['text'], column, address, date1904);
  }
  return { raw: String(value), problem: 'holds a value of an unknown kind' };
}

/** The text of a header cell. */
function headerText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['richText']))
      return (v['richText'] as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('');
    if ('result' in v) return headerText(v['result']);
    if (typeof v['text'] === 'string') return v['text'];
  }
  return String(value);
}

const isEmpty = (values: readonly unknown[]) =>
  values.every((v) => v === null || v === undefined || (typeof v === 'string' && v.trim() === ''));

/** A failure of `onBatch` (the database's), passed through the reading loop unchanged. */
class BatchError {
  constructor(readonly cause: unknown) {}
}

/** What {@link parseXlsxStream} answers once every row has been handed over. */
export interface XlsxStreamSummary {
  readonly format: 'xlsx';
  readonly rowCount: number;
  readonly skipped: number;
  readonly notes: readonly string[];
}

/**
 * Parses a price sheet from an XLSX workbook: the sheet named "Prices" (any case) if there is
 * one, else the first tab, by the tab names of the workbook whoever wrote it (Excel,
 * LibreOffice, openpyxl: {@link nameOf}); the header is the first non-empty row. Numbers are read to Excel's 15
 * significant digits; text prices as in CSV ("1 250,50"); formulas by their cached result;
 * date cells in x_AsOf as ISO dates. The zip is checked for bombs before it is unpacked.
 * Issues name the cell ("cell D7") and keep `row`/`column` as numbers.
 *
 * The sheet is read as a stream and its valid rows handed to `onBatch` 5 000 at a time, so
 * that memory stays bounded by a batch (and the file's own bytes). Rows are handed over only
 * while no problem has been found, but the answer is what counts: when it is not ok, the
 * caller must drop every row it was given (a service rolls back its transaction).
 * @example await parseXlsxStream(bytes, { file: 'prices.xlsx', maxRows: 1_000_000 }, { onBatch: insert }) //=> { ok: true, value: { format: 'xlsx', rowCount: 2, skipped: 0, notes: ['read the sheet "Prices"'] } }
 */
export async function parseXlsxStream(
  bytes: Uint8Array,
  ctx: ParseContext,
  handlers: { readonly onBatch: (batch: PriceRowBatch) => Promise<void> },
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<Result<XlsxStreamSummary>> {
  const log = issueLog(ctx.file);
  const problem = await zipProblem(bytes, limits);
  if (problem) return fail([{ file: ctx.file, message: problem }]);

  const reader = openBook(bytes);

  // Records are checked CHECK_ROWS at a time as they are read, and the valid rows handed
  // over: kept whole, a record with a cell object per column took about 1.5 kB a row. The
  // rows' own problems (`checks`) count only once the sheet has been read whole, after any
  // problem with the sheet itself (`log`).
  const checks = issueLog(ctx.file);
  let pending: SourceRecord[] = [];
  let recordCount = 0;
  let rowCount = 0;
  const check = async () => {
    const { rows, lines } = await validateRecords(pending, ctx, checks);
    pending = [];
    if (rows.length === 0 || checks.count() > 0 || log.count() > 0) return;
    const first = rowCount;
    rowCount += rows.length;
    try {
      await handlers.onBatch({ first, rows, lines });
    } catch (e) {
      throw new BatchError(e);
    }
  };
  let sheetName: string | undefined;
  let header: { row: number; columns: (PriceColumn | null)[] } | undefined;
  let headerFailed = false;
  let tooMany = false;
  try {
    for await (const sheet of reader) {
      const names = reader.model?.sheets?.map((s) => s.name) ?? [];
      const target =
        names.find((n) => n.trim().toLowerCase() === PRICES_SHEET.toLowerCase()) ?? names[0];
      // The sheet's tab name from the workbook's relationships, whoever wrote the file
      // (exceljs alone misnames the sheets of a workbook openpyxl saved).
      const name = nameOf(reader, sheet);
      const wanted = sheetName === undefined && (target === undefined || name === target);
      if (wanted) sheetName = name ?? target ?? 'the first sheet';
      const date1904 = reader.properties?.model?.date1904 === true;
      for await (const row of sheet) {
        if (!wanted || headerFailed || tooMany) continue;
        const values = (row.values as unknown[]).slice(1);
        if (isEmpty(values)) continue;
        if (!header) {
          const columns = mapHeader(values.map(headerText), row.number, ctx, log, (j) => {
            return `cell ${columnLetters(j + 1)}${row.number}`;
          });
          if (columns) header = { row: row.number, columns };
          else headerFailed = true;
          continue;
        }
        if (recordCount >= ctx.maxRows) {
          log.add(tooManyRows(ctx, row.number));
          tooMany = true;
          continue;
        }
        const cells: Partial<Record<PriceColumn, Cell>> = {};
        const out: SourceRecord['values'] = {};
        const issues: ReturnType<typeof cellIssue>[] = [];
        header.columns.forEach((column, j) => {
          if (column === null) return;
          const address = `${columnLetters(j + 1)}${row.number}`;
          const c = convert(values[j], column, address, date1904);
          const cell: Cell = {
            row: row.number,
            column: j + 1,
            raw: c.raw,
            label: `cell ${address}: `,
          };
          cells[column] = cell;
          if (c.problem !== undefined)
            issues.push(cellIssue(column, c.located ? { ...cell, label: '' } : cell, c.problem));
          else if (c.text !== undefined) out[column] = c.text;
        });
        recordCount += 1;
        pending.push({
          at: { row: row.number, label: `row ${row.number}: ` },
          values: out,
          cells,
          issues,
        });
        if (pending.length >= CHECK_ROWS) await check();
      }
    }
    await check();
  } catch (e) {
    if (e instanceof BatchError) throw e.cause;
    log.add({
      message: `could not be read as an XLSX workbook (${e instanceof Error ? e.message : String(e)})`,
    });
  }
  if (log.count() > 0) return fail(log.issues());
  if (sheetName === undefined) return fail([{ file: ctx.file, message: 'has no worksheet' }]);
  if (!header)
    return fail([
      {
        file: ctx.file,
        message: `the sheet "${sheetName}" is empty: no header row and no price rows`,
      },
    ]);
  if (checks.count() > 0) return fail(checks.issues());
  if (rowCount === 0) return fail([{ file: ctx.file, message: 'has no price rows' }]);
  return ok({ format: 'xlsx', rowCount, skipped: 0, notes: [`read the sheet "${sheetName}"`] });
}

/**
 * {@link parseXlsxStream}'s rows, all at once.
 * @example await parseXlsx(bytes, { file: 'prices.xlsx', maxRows: 1_000_000 })
 */
export async function parseXlsx(
  bytes: Uint8Array,
  ctx: ParseContext,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<Result<ParsedPriceSheet>> {
  const rows: PriceRow[] = [];
  const lines: number[] = [];
  const parsed = await parseXlsxStream(
    bytes,
    ctx,
    {
      async onBatch(batch) {
        for (const r of batch.rows) rows.push(r);
        for (const l of batch.lines) lines.push(l);
      },
    },
    limits,
  );
  if (!parsed.ok) return parsed;
  const { format, skipped, notes } = parsed.value;
  return ok({ format, rows, lines, skipped, notes });
}
