import { setImmediate as nextTick } from 'node:timers/promises';
import { readAsOfDate } from '../../models/freshness.ts';
import { type PriceRow, priceRowSchema } from '../../models/price-sheet.ts';
import { fail, type InputIssue, ok, type Result } from '../../models/result.ts';
import { hostileText } from '../../models/validate.ts';
import type { PriceColumn } from './columns.ts';
import { fastPriceRow, TEXT_LIMITS } from './fast-row.ts';
import type { ParseContext, ParsedPriceSheet, PriceSheetFormat } from './types.ts';

/** At most this many issues are listed; the rest are counted in a last issue. */
export const MAX_ISSUES = 1000;

/** Where a value sits in the file. */
export interface Place {
  /** 1-based line (CSV, JSON) or sheet row (XLSX). */
  readonly row: number;
  /** 1-based column: position in the header (CSV, XLSX) or character in the line (JSON). */
  readonly column?: number | undefined;
  /** JSON path, for JSON documents. */
  readonly path?: readonly (string | number)[] | undefined;
  /** Put before messages, e.g. `cell D7: `. */
  readonly label?: string | undefined;
}

/** A cell of a known column: where it is and what it held, as text. */
export interface Cell extends Place {
  readonly raw: string;
}

/** One row as read from the file, before the schema has seen it. */
export interface SourceRecord {
  /** Where the record starts. */
  readonly at: Place;
  /** Non-empty values, already turned into the schema's text (prices as plain decimals). */
  readonly values: Partial<Record<PriceColumn, string>>;
  /** Every cell of a known column, empty ones included. */
  readonly cells: Partial<Record<PriceColumn, Cell>>;
  /** Problems found while reading cells (a bad number…); the schema does not repeat them. */
  readonly issues: readonly InputIssue[];
}

/** Collects issues, keeping the first {@link MAX_ISSUES} and counting the rest. */
export interface IssueLog {
  readonly add: (issue: Omit<InputIssue, 'file'>) => void;
  readonly count: () => number;
  readonly issues: () => InputIssue[];
}

export function issueLog(file: string): IssueLog {
  const kept: InputIssue[] = [];
  let total = 0;
  return {
    add(issue) {
      total += 1;
      if (kept.length < MAX_ISSUES) kept.push({ file, ...issue });
    },
    count: () => total,
    issues: () =>
      total > kept.length
        ? [...kept, { file, message: `… and ${total - kept.length} more problems` }]
        : [...kept],
  };
}

/** The location fields of an issue, without undefined members. */
export function placeOf(p: Place): Pick<InputIssue, 'row' | 'column' | 'path'> {
  return {
    row: p.row,
    ...(p.column === undefined ? {} : { column: p.column }),
    ...(p.path === undefined ? {} : { path: p.path }),
  };
}

/** An issue about one cell: location, canonical field name, raw value, message. */
export function cellIssue(
  field: PriceColumn,
  cell: Cell,
  message: string,
): Omit<InputIssue, 'file'> {
  return {
    ...placeOf(cell),
    field,
    ...(cell.raw === '' ? {} : { value: cell.raw }),
    message: `${cell.label ?? ''}${message}`,
  };
}

/** The longest x_AsOf text read as a date (longer ones the schema refuses as too long). */
const MAX_AS_OF = TEXT_LIMITS.x_AsOf?.max ?? 0;

/**
 * Validates one record against the price-row schema (through {@link fastPriceRow} when it is
 * plainly valid, which gives the same answer faster): the row, or `null` after logging every
 * problem, located at the offending cell (or at the record when the cell does not exist).
 * `ctx.provider` fills ProviderName where the record has none.
 */
export function validateRecord(
  record: SourceRecord,
  ctx: ParseContext,
  log: IssueLog,
): PriceRow | null {
  const values = { ...record.values };
  if (ctx.provider !== undefined && values.ProviderName === undefined)
    values.ProviderName = ctx.provider;
  for (const issue of record.issues) log.add(issue);
  // A NUL or a lone surrogate in a cell is text PostgreSQL cannot store or give back.
  let hostile = false;
  for (const [field, cell] of Object.entries(record.cells) as [PriceColumn, Cell][]) {
    const why = hostileText(cell.raw);
    if (why === null) continue;
    hostile = true;
    log.add(cellIssue(field, { ...cell, raw: JSON.stringify(cell.raw).slice(1, -1) }, why));
  }
  if (hostile) return null;
  const fast = record.issues.length === 0 ? fastPriceRow(values) : null;
  if (fast) return Object.freeze(fast);
  // x_AsOf must be a real date, ISO or day first; stored as ISO (see readAsOfDate).
  const reported = new Set(record.issues.map((x) => x.field));
  const asOfText = values.x_AsOf?.trim();
  const asOf =
    asOfText && !reported.has('x_AsOf') && asOfText.length <= MAX_AS_OF
      ? readAsOfDate(asOfText)
      : null;
  if (asOf && !asOf.ok) {
    const cell = record.cells.x_AsOf;
    log.add(
      cell
        ? cellIssue('x_AsOf', cell, asOf.message)
        : {
            ...placeOf(record.at),
            field: 'x_AsOf',
            value: asOfText ?? '',
            message: `${record.at.label ?? ''}${asOf.message}`,
          },
    );
    reported.add('x_AsOf');
  }
  const parsed = priceRowSchema.safeParse(values);
  if (parsed.success) {
    if (record.issues.length > 0 || reported.has('x_AsOf')) return null;
    return Object.freeze(asOf?.ok ? { ...parsed.data, x_AsOf: asOf.date } : parsed.data);
  }
  for (const zi of parsed.error.issues) {
    const field = String(zi.path[0] ?? '') as PriceColumn;
    if (reported.has(field)) continue;
    reported.add(field);
    const cell = record.cells[field];
    const message =
      values[field] !== undefined
        ? zi.message
        : cell
          ? `is empty; every row needs a ${field}`
          : `is missing; every row needs a ${field}`;
    log.add(
      cell
        ? cellIssue(field, cell, message)
        : { ...placeOf(record.at), field, message: `${record.at.label ?? ''}${message}` },
    );
  }
  return null;
}

/**
 * Validates records with {@link validateRecord}, letting other work run every 10 000: the
 * valid rows, with their lines; every problem goes to `log`.
 */
export async function validateRecords(
  records: readonly SourceRecord[],
  ctx: ParseContext,
  log: IssueLog,
): Promise<{ rows: PriceRow[]; lines: number[] }> {
  const rows: PriceRow[] = [];
  const lines: number[] = [];
  for (const [i, record] of records.entries()) {
    if (i > 0 && i % 10_000 === 0) await nextTick();
    const row = validateRecord(record, ctx, log);
    if (row) {
      rows.push(row);
      lines.push(record.at.row);
    }
  }
  return { rows, lines };
}

/** The parser's answer: the rows, or every issue logged (nothing partial). */
export function finish(
  format: PriceSheetFormat,
  result: { rows: readonly PriceRow[]; lines: readonly number[] },
  log: IssueLog,
  extra: { skipped?: number; notes?: readonly string[] } = {},
): Result<ParsedPriceSheet> {
  if (log.count() > 0) return fail(log.issues());
  if (result.rows.length === 0) {
    log.add({ message: 'has no price rows' });
    return fail(log.issues());
  }
  return ok({
    format,
    rows: result.rows,
    lines: result.lines,
    skipped: extra.skipped ?? 0,
    notes: extra.notes ?? [],
  });
}

/** The issue for a file with more rows than allowed. */
export function tooManyRows(ctx: ParseContext, row: number): Omit<InputIssue, 'file'> {
  return {
    row,
    message: `has more than ${ctx.maxRows.toLocaleString('en-US')} price row${ctx.maxRows === 1 ? '' : 's'}; split the file`,
  };
}

/** The issues of two logs as one log would list them: all of `first`'s, then `second`'s. */
export function joinLogs(file: string, first: IssueLog, second: IssueLog): InputIssue[] {
  const keptOf = (l: IssueLog) => l.issues().slice(0, Math.min(l.count(), MAX_ISSUES));
  const kept = [...keptOf(first), ...keptOf(second)].slice(0, MAX_ISSUES);
  const total = first.count() + second.count();
  return total > kept.length
    ? [...kept, { file, message: `… and ${total - kept.length} more problems` }]
    : kept;
}
