import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Decimal } from '../../models/money.ts';
import type { Result } from '../../models/result.ts';
import { PRICE_VALUE_COLUMNS, type PriceColumn } from './columns.ts';
import { mapHeader } from './header.ts';
import { numberText, parseLocaleDecimal } from './numbers.ts';
import {
  type Cell,
  cellIssue,
  finish,
  issueLog,
  type SourceRecord,
  tooManyRows,
  validateRecords,
} from './rows.ts';
import type { ParseContext, ParsedPriceSheet } from './types.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits, zipProblem } from './zip-guard.ts';

/** The sheet read when a workbook has it; else the first sheet. */
export const PRICES_SHEET = 'Prices';

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

/** What exceljs's streaming reader exposes beyond its typings. */
interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  readonly name?: string;
}
interface BookReader extends AsyncIterable<SheetReader> {
  readonly model?: { readonly sheets?: readonly { readonly name: string }[] };
  readonly properties?: { readonly model?: { readonly date1904?: boolean } };
}

/** A spreadsheet number as decimal text, to Excel's 15 significant digits. */
function excelNumber(n: number): string | null {
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

/**
 * Parses a price sheet from an XLSX workbook: the sheet named "Prices" if there is one, else
 * the first; the header is the first non-empty row. Numbers are read to Excel's 15
 * significant digits; text prices as in CSV ("1 250,50"); formulas by their cached result;
 * date cells in x_AsOf as ISO dates. The zip is checked for bombs before it is unpacked.
 * Issues name the cell ("cell D7") and keep `row`/`column` as numbers.
 * @example await parseXlsx(bytes, { file: 'prices.xlsx', maxRows: 1_000_000 })
 */
export async function parseXlsx(
  bytes: Uint8Array,
  ctx: ParseContext,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<Result<ParsedPriceSheet>> {
  const log = issueLog(ctx.file);
  const empty = { rows: [], lines: [] };
  const problem = await zipProblem(bytes, limits);
  if (problem) {
    log.add({ message: problem });
    return finish('xlsx', empty, log);
  }

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
    { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' },
  ) as unknown as BookReader;

  const records: SourceRecord[] = [];
  let sheetName: string | undefined;
  let header: { row: number; columns: (PriceColumn | null)[] } | undefined;
  let headerFailed = false;
  let tooMany = false;
  try {
    for await (const sheet of reader) {
      const names = reader.model?.sheets?.map((s) => s.name) ?? [];
      const target =
        names.find((n) => n.trim().toLowerCase() === PRICES_SHEET.toLowerCase()) ?? names[0];
      const wanted = sheetName === undefined && (target === undefined || sheet.name === target);
      if (wanted) sheetName = sheet.name ?? target ?? 'the first sheet';
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
        if (records.length >= ctx.maxRows) {
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
        records.push({
          at: { row: row.number, label: `row ${row.number}: ` },
          values: out,
          cells,
          issues,
        });
      }
    }
  } catch (e) {
    log.add({
      message: `could not be read as an XLSX workbook (${e instanceof Error ? e.message : String(e)})`,
    });
    return finish('xlsx', empty, log);
  }
  if (log.count() > 0) return finish('xlsx', empty, log);
  if (sheetName === undefined) {
    log.add({ message: 'has no worksheet' });
    return finish('xlsx', empty, log);
  }
  if (!header) {
    log.add({ message: `the sheet "${sheetName}" is empty: no header row and no price rows` });
    return finish('xlsx', empty, log);
  }
  const result = await validateRecords(records, ctx, log);
  return finish('xlsx', result, log, { notes: [`read the sheet "${sheetName}"`] });
}
