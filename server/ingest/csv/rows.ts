// CSV records into price rows: the header, then each record checked and validated, the valid
// rows handed over in batches.
import type { PriceRow } from '../../../models/price-sheet.ts';
import type { InputIssue } from '../../../models/result.ts';
import { PRICE_VALUE_COLUMNS, type PriceColumn } from '../columns.ts';
import { plainRowReader } from '../fast-row.ts';
import { mapHeader } from '../header.ts';
import { parseLocaleDecimal } from '../numbers.ts';
import {
  type Cell,
  cellIssue,
  type IssueLog,
  issueLog,
  type SourceRecord,
  tooManyRows,
  validateRecord,
} from '../rows.ts';
import type { ParseContext, PriceRowBatch } from '../types.ts';
import type { RawRecord } from './lines.ts';
import type { Separator } from './separator.ts';

type Columns = readonly (PriceColumn | null)[];

/**
 * The one validator of CSV records, built once per header: a record's fields as a price row,
 * or `null` after logging every problem at its line, column and field. Most records are plain
 * and read straight from their fields ({@link plainRowReader}); any other goes through the
 * price-row schema ({@link validateRecord}), which words the issues. Both take their limits
 * from the schema.
 * @example csvRowValidator(columns, '.', ctx, log)({ line: 2, fields: ['A', 's', 'GB', '2.50', 'USD'] }) //=> { ProviderName: "A", …, ListUnitPrice: "2.50", … }
 */
export function csvRowValidator(
  columns: Columns,
  decimal: ',' | '.',
  ctx: ParseContext,
  log: IssueLog,
): (r: RawRecord) => PriceRow | null {
  const plain = plainRowReader(columns, decimal, ctx.provider);
  const example = decimal === ',' ? '2,50 or 1 250,50' : '2.50 or 1,250.50';

  /** A record's values as the schema takes them, and the cells that would not read. */
  function valuesOf(r: RawRecord) {
    const values: SourceRecord['values'] = {};
    const issues: ReturnType<typeof cellIssue>[] = [];
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j];
      if (c === null || c === undefined) continue;
      const raw = r.fields[j] ?? '';
      const t = raw.trim();
      // FOCUS exports write a missing value as NULL.
      if (t === '' || t === 'NULL') continue;
      if (!PRICE_VALUE_COLUMNS.includes(c)) {
        values[c] = t;
        continue;
      }
      const n = parseLocaleDecimal(t, decimal);
      if (n === null) {
        const cell: Cell = { row: r.line, column: j + 1, raw };
        issues.push(cellIssue(c, cell, `"${t}" is not a number (write it like ${example})`));
      } else values[c] = n;
    }
    return { values, issues };
  }

  /** Every cell of a known column, for locating issues. */
  function cellsOf(r: RawRecord) {
    const cells: Partial<Record<PriceColumn, Cell>> = {};
    columns.forEach((c, j) => {
      if (c !== null) cells[c] = { row: r.line, column: j + 1, raw: r.fields[j] ?? '' };
    });
    return cells;
  }

  return (r) => {
    const row = plain(r.fields);
    if (row) return Object.freeze(row);
    const { values, issues } = valuesOf(r);
    return validateRecord({ at: { row: r.line }, values, cells: cellsOf(r), issues }, ctx, log);
  };
}

/**
 * Valid rows gathered into batches of `size` and handed to `onBatch` one at a time: the next
 * batch waits for the one before; none is handed over once `blocked()` (an invalid row was met).
 */
class Batches {
  /** Rows gathered into batches so far. */
  count = 0;
  /** A batch was handed over. */
  emitted = false;
  private rows: PriceRow[] = [];
  private lines: number[] = [];
  private emitting: Promise<void> = Promise.resolve();
  private readonly size: number;
  private readonly onBatch: (batch: PriceRowBatch) => Promise<void>;
  private readonly blocked: () => boolean;

  constructor(
    size: number,
    onBatch: (batch: PriceRowBatch) => Promise<void>,
    blocked: () => boolean,
  ) {
    this.size = size;
    this.onBatch = onBatch;
    this.blocked = blocked;
  }

  /** Adds a valid row; whether a full batch is waiting to be {@link flush}ed. */
  add(row: PriceRow, line: number): boolean {
    this.rows.push(row);
    this.lines.push(line);
    return this.full();
  }

  /** Whether a full batch is waiting to be {@link flush}ed. */
  full(): boolean {
    return this.rows.length >= this.size;
  }

  /** Hands the rows gathered over as a batch, once the batch before has been taken. */
  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const batch = { first: this.count, rows: this.rows, lines: this.lines };
    this.count += this.rows.length;
    this.rows = [];
    this.lines = [];
    if (this.blocked()) return;
    await this.emitting;
    this.emitting = this.onBatch(batch);
    // Handled at the next await of `emitting`; this only keeps it from being "unhandled".
    this.emitting.catch(() => {});
    this.emitted = true;
  }

  /** Waits for the last batch handed over; rejects as `onBatch` did. */
  settle(): Promise<void> {
    return this.emitting;
  }

  /** Waits for the last batch handed over, whatever its outcome. */
  async drain(): Promise<void> {
    await this.emitting.catch(() => {});
  }
}

/** What the rows of a CSV pass need to know. */
export interface RowReaderOptions {
  readonly ctx: ParseContext;
  readonly separator: Separator;
  /** The decimal separator of a tab-separated file, once a pass has found it to be ",". */
  readonly tabDecimal: ',' | undefined;
  readonly batchRows: number;
  readonly onBatch: (batch: PriceRowBatch) => Promise<void>;
  /** Issues of the records' cells and rows (shared with the {@link RecordReader}). */
  readonly log: IssueLog;
}

/**
 * Takes the records of a pass in file order: the first is the header; each later one is
 * counted against `maxRows`, checked for width (and, in a tab-separated file whose decimal
 * separator is not known yet, for a price only a decimal comma reads), and validated.
 */
export class RowReader {
  header: RawRecord | undefined;
  /** The price column of each header field, or `null` when the header is refused. */
  columns: Columns | null = null;
  /** The file's decimal separator, once the header is read. */
  decimal: ',' | '.' = '.';
  /** The data rows went past `maxRows`. */
  tooMany: Omit<InputIssue, 'file'> | undefined;
  /** A tab-separated file turned out to write decimal commas: it must be read again. */
  commaDecimal = false;
  readonly headerLog: IssueLog;
  readonly widthLog: IssueLog;
  readonly batches: Batches;
  private readonly options: RowReaderOptions;
  private validate: ((r: RawRecord) => PriceRow | null) | null = null;
  private priceIndexes: number[] = [];
  private dataCount = 0;

  constructor(options: RowReaderOptions) {
    this.options = options;
    this.headerLog = issueLog(options.ctx.file);
    this.widthLog = issueLog(options.ctx.file);
    this.batches = new Batches(
      options.batchRows,
      options.onBatch,
      () => options.log.count() > 0 || this.widthLog.count() > 0,
    );
  }

  /** Takes the next records, in file order. */
  async take(records: readonly RawRecord[]): Promise<void> {
    const { ctx, separator, tabDecimal } = this.options;
    const decimalUnknown = separator === '\t' && tabDecimal === undefined;
    for (const r of records) {
      if (!this.header) {
        this.startRows(r);
        continue;
      }
      if (!this.validate || this.tooMany || this.commaDecimal) continue;
      this.dataCount += 1;
      if (this.dataCount > ctx.maxRows) {
        this.tooMany = tooManyRows(ctx, r.line);
        continue;
      }
      if (decimalUnknown && this.needsComma(r)) {
        this.commaDecimal = true;
        continue;
      }
      if (r.fields.length !== this.header.fields.length && !this.widthOk(r)) continue;
      const row = this.validate(r);
      // Awaited only when a batch is full: an await per row would cost more than the row.
      if (row ? this.batches.add(row, r.line) : this.batches.full()) await this.batches.flush();
    }
  }

  private startRows(r: RawRecord): void {
    const { ctx, separator, tabDecimal, log } = this.options;
    this.header = r;
    const columns = mapHeader(r.fields, r.line, ctx, this.headerLog, (j) => `column ${j + 1}`);
    this.columns = columns;
    if (!columns) return;
    this.priceIndexes = columns.flatMap((c, j) =>
      c && PRICE_VALUE_COLUMNS.includes(c) ? [j] : [],
    );
    this.decimal = separator === ';' ? ',' : separator === ',' ? '.' : (tabDecimal ?? '.');
    this.validate = csvRowValidator(columns, this.decimal, ctx, log);
  }

  /** Whether a record has a price that only reads with a decimal comma. */
  private needsComma(r: RawRecord): boolean {
    return this.priceIndexes.some((j) => {
      const v = r.fields[j]?.trim() ?? '';
      return v !== '' && parseLocaleDecimal(v, '.') === null && parseLocaleDecimal(v, ',') !== null;
    });
  }

  /** Whether a record has the header's width (empty fields past it are allowed); logs it when not. */
  private widthOk(r: RawRecord): boolean {
    const width = this.header?.fields.length ?? 0;
    let extra = false;
    for (let j = width; j < r.fields.length && !extra; j++) extra = r.fields[j]?.trim() !== '';
    if (r.fields.length >= width && !extra) return true;
    this.widthLog.add({
      row: r.line,
      message: `has ${r.fields.length} fields but the header has ${width}; check the separators and quotes on this line`,
    });
    return false;
  }
}
