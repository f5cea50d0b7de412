import { setImmediate as nextTick } from 'node:timers/promises';
import type { PriceRow } from '../../../models/price-sheet.ts';
import { fail, type InputIssue, ok, type Result } from '../../../models/result.ts';
import { PRICE_VALUE_COLUMNS, type PriceColumn } from '../columns.ts';
import { fastPriceRow, plainRowReader } from '../fast-row.ts';
import { mapHeader } from '../header.ts';
import { parseLocaleDecimal } from '../numbers.ts';
import {
  type Cell,
  cellIssue,
  issueLog,
  joinLogs,
  type SourceRecord,
  tooManyRows,
  validateRecords,
} from '../rows.ts';
import { type StreamDecoding, utf16Note, WINDOWS_1252_NOTE } from '../text.ts';
import type { ParseContext, ParsedPriceSheet, PriceRowBatch } from '../types.ts';
import {
  lfText,
  type RawRecord,
  type Separator,
  separatorScanner,
  unclosedQuoteLine,
} from './lines.ts';
import { type CsvSplitter, csvSplitter } from './split.ts';

/**
 * The longest header line read, in characters: a real one is a few hundred (one with 200
 * columns of 300 characters would still fit). Past it the file is refused at line 1 before
 * more is read.
 */
export const MAX_HEADER_CHARS = 64 * 1024;

/** The longest cell read, in characters: every text column of a price row allows at most 500. */
export const MAX_CELL_CHARS = 10_000;

/** Characters handed to the CSV parser at a time (bytes, when parsing a buffer). */
const CHUNK = 256 * 1024;

/** Valid rows per batch handed to {@link CsvStreamHandlers.onBatch} (the last may be shorter). */
export const CSV_BATCH_ROWS = 5000;

export interface CsvStreamHandlers {
  /**
   * Takes the next batch of valid rows. Parsing goes on while the promise is pending; the
   * next batch waits for it. A rejection ends the parse with that error.
   */
  readonly onBatch: (batch: PriceRowBatch) => Promise<void>;
  /**
   * Drops every row handed over so far: the file is read again from the start (it turned
   * out not to be UTF-8 after non-ASCII text, or a tab-separated file to use decimal commas).
   */
  readonly onRestart: () => Promise<void>;
  /** Rows per batch (default {@link CSV_BATCH_ROWS}). */
  readonly batchRows?: number | undefined;
}

/** What {@link parseCsvStream} answers once every row has been handed over. */
export interface CsvStreamSummary {
  readonly format: 'csv';
  readonly rowCount: number;
  readonly skipped: number;
  readonly notes: readonly string[];
}

/** How a pass reads the file: decided before it, or learnt by a pass that had to restart. */
interface Mode {
  readonly windows1252: boolean;
  /** The decimal separator of a tab-separated file, once known to be ",". */
  readonly decimal?: ',' | undefined;
}

type Pass =
  | { readonly result: Result<CsvStreamSummary> }
  | { readonly restart: Mode; readonly emitted: boolean };

/** One read of the file: the answer, or the mode to read it again in. */
async function csvPass(
  open: () => AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  mode: Mode,
  handlers: CsvStreamHandlers,
): Promise<Pass> {
  const file = ctx.file;
  const batchRows = handlers.batchRows ?? CSV_BATCH_ROWS;
  const decoding: StreamDecoding = { windows1252: mode.windows1252 };
  const limit = ctx.maxRows + 2;

  // Reading: the text up to the end of the header, then the splitter.
  let head: string[] = [];
  let headLength = 0;
  const scanner = separatorScanner();
  let headerTooLong = false;
  let skip = 0;
  let shift = 0;
  let separator = ',' as Separator;
  let splitter: CsvSplitter | undefined;
  let seen = 0;
  let full = false;
  let parseError: (Error & { lines?: number; code?: string }) | undefined;
  const queue: RawRecord[] = [];

  // Rows: the header, then records turned into batches of valid rows.
  let header: RawRecord | undefined;
  let columns: (PriceColumn | null)[] | null = null;
  const headerLog = issueLog(file);
  const widthLog = issueLog(file);
  const log = issueLog(file);
  let priceIndexes: number[] = [];
  let decimal = '.' as ',' | '.';
  let example = '';
  let readPlain: ((fields: readonly string[]) => PriceRow | null) | null = null;
  let tooMany: Omit<InputIssue, 'file'> | undefined;
  let commaDecimal = false;
  let dataCount = 0;
  let rowCount = 0;
  let rows: PriceRow[] = [];
  let lines: number[] = [];
  let emitting: Promise<void> = Promise.resolve();
  let emitted = false;

  const stopped = () =>
    full || parseError !== undefined || tooMany !== undefined || commaDecimal || headerTooLong;

  function start(text: string): string {
    // Excel reads, and some tools write, a first line "sep=;" naming the separator.
    const sep = /^sep=([,;\t])\n/i.exec(text);
    if (sep) {
      separator = sep[1] as Separator;
      skip = sep[0].length;
      shift = 1;
    } else separator = scanner.result().separator;
    splitter = csvSplitter(separator);
    return text.slice(skip);
  }

  function startRows(r: RawRecord): void {
    header = r;
    columns = mapHeader(r.fields, r.line, ctx, headerLog, (j) => `column ${j + 1}`);
    if (!columns) return;
    priceIndexes = columns.flatMap((c, j) => (c && PRICE_VALUE_COLUMNS.includes(c) ? [j] : []));
    decimal = separator === ';' ? ',' : separator === ',' ? '.' : (mode.decimal ?? '.');
    example = decimal === ',' ? '2,50 or 1 250,50' : '2.50 or 1,250.50';
    readPlain = plainRowReader(columns, decimal, ctx.provider);
  }

  /** Whether a tab-separated record has a price that only reads with a decimal comma. */
  const needsComma = (r: RawRecord) =>
    priceIndexes.some((j) => {
      const v = r.fields[j]?.trim() ?? '';
      return v !== '' && parseLocaleDecimal(v, '.') === null && parseLocaleDecimal(v, ',') !== null;
    });

  /** A record's values as the schema takes them, and the cells that would not read. */
  function valuesOf(r: RawRecord, cols: readonly (PriceColumn | null)[]) {
    const values: SourceRecord['values'] = {};
    const issues: ReturnType<typeof cellIssue>[] = [];
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j];
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
  function cellsOf(r: RawRecord, cols: readonly (PriceColumn | null)[]) {
    const cells: Partial<Record<PriceColumn, Cell>> = {};
    cols.forEach((c, j) => {
      if (c !== null) cells[c] = { row: r.line, column: j + 1, raw: r.fields[j] ?? '' };
    });
    return cells;
  }

  /** Validates a record: by hand when plainly valid, else by the schema, which logs why not. */
  async function validate(r: RawRecord, cols: readonly (PriceColumn | null)[]): Promise<void> {
    const { values, issues } = valuesOf(r, cols);
    if (issues.length === 0) {
      if (ctx.provider !== undefined && values.ProviderName === undefined)
        values.ProviderName = ctx.provider;
      const fast = fastPriceRow(values);
      if (fast) {
        rows.push(Object.freeze(fast));
        lines.push(r.line);
        return;
      }
    }
    const record: SourceRecord = { at: { row: r.line }, values, cells: cellsOf(r, cols), issues };
    const checked = await validateRecords([record], ctx, log);
    for (const row of checked.rows) rows.push(row);
    for (const line of checked.lines) lines.push(line);
  }

  async function flush(): Promise<void> {
    if (rows.length === 0) return;
    const batch = { first: rowCount, rows, lines };
    rowCount += rows.length;
    rows = [];
    lines = [];
    if (log.count() > 0 || widthLog.count() > 0) return;
    await emitting;
    emitting = handlers.onBatch(batch);
    // Handled at the next await of `emitting`; this only keeps it from being "unhandled".
    emitting.catch(() => {});
    emitted = true;
  }

  async function take(): Promise<void> {
    for (const raw of queue.splice(0)) {
      const r = shift === 0 ? raw : { line: raw.line + shift, fields: raw.fields };
      if (!header) {
        startRows(r);
        continue;
      }
      if (!columns || tooMany || commaDecimal) continue;
      dataCount += 1;
      if (dataCount > ctx.maxRows) {
        tooMany = tooManyRows(ctx, r.line);
        continue;
      }
      if (separator === '\t' && mode.decimal === undefined && needsComma(r)) {
        commaDecimal = true;
        continue;
      }
      const width = header.fields.length;
      let extra = false;
      for (let j = width; j < r.fields.length && !extra; j++) extra = r.fields[j]?.trim() !== '';
      if (r.fields.length < width || extra) {
        widthLog.add({
          row: r.line,
          message: `has ${r.fields.length} fields but the header has ${width}; check the separators and quotes on this line`,
        });
        continue;
      }
      // Most rows are plain: read them without building their values first.
      const plain = readPlain?.(r.fields);
      if (plain) {
        rows.push(Object.freeze(plain));
        lines.push(r.line);
      } else await validate(r, columns);
      if (rows.length >= batchRows) await flush();
    }
  }

  function push(fields: string[], line: number): void {
    if (full || fields.every((f) => f.trim() === '')) return;
    const long = fields.findIndex((f) => f.length > MAX_CELL_CHARS);
    if (long !== -1) {
      const f = fields[long] as string;
      log.add({
        row: line + shift,
        column: long + 1,
        value: `${f.slice(0, 40)}…`,
        message: `this cell is ${f.length.toLocaleString('en-US')} characters long; a cell may have at most ${MAX_CELL_CHARS.toLocaleString('en-US')}`,
      });
      if (!header) headerTooLong = true;
      return;
    }
    queue.push({ line, fields });
    seen += 1;
    if (seen >= limit) full = true;
  }

  async function feed(text: string, end: boolean): Promise<void> {
    let piece = text;
    if (!splitter) {
      // Each character of the header is scanned once, however many pieces it spans.
      head.push(text);
      headLength += text.length;
      const complete = scanner.push(text);
      if (!complete && headLength > MAX_HEADER_CHARS) {
        headerTooLong = true;
        return;
      }
      if (!end && !complete) return;
      piece = start(head.join(''));
      head = [];
    }
    const error = (splitter as CsvSplitter).feed(piece, end, push);
    if (error) parseError = error;
    await take();
    // Let other requests run between pieces.
    if (!end) await nextTick();
  }

  try {
    const text = lfText(open(), decoding);
    try {
      for (;;) {
        const next = await text.next();
        if (next.done) {
          if (next.value === 'restart') return { restart: { ...mode, windows1252: true }, emitted };
          if (!stopped()) await feed('', true);
          break;
        }
        // Stopped early: read on only while later bytes could still make it Windows-1252.
        if (stopped()) {
          if (decoding.windows1252) break;
          continue;
        }
        for (let i = 0; i < next.value.length && !stopped(); i += CHUNK)
          await feed(next.value.slice(i, i + CHUNK), false);
      }
    } finally {
      await text.return(undefined);
    }
    await flush();
    await emitting;
  } finally {
    await emitting.catch(() => {});
  }

  if (commaDecimal && !parseError)
    return { restart: { windows1252: decoding.windows1252, decimal: ',' }, emitted };
  const only = (issue: Omit<InputIssue, 'file'>) => ({ result: fail([{ file, ...issue }]) });
  if (parseError) {
    const e = parseError;
    const opened =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? await unclosedQuoteLine(open, decoding.windows1252, skip, separator)
        : null;
    return only(
      opened === null
        ? { row: (e.lines ?? 0) + shift, message: `is not valid CSV: ${e.message}` }
        : {
            row: opened + shift,
            message: `is not valid CSV: the quote opened on line ${opened} is never closed`,
          },
    );
  }
  if (headerTooLong && !header)
    return log.count() > 0
      ? { result: fail(log.issues()) }
      : only({
          row: 1 + shift,
          message: `the header line is longer than ${MAX_HEADER_CHARS.toLocaleString('en-US')} characters (a price-sheet header names a few columns); is this a CSV file?`,
        });
  if (!header) return only({ message: 'is empty: no header line and no price rows' });
  if (!columns) return { result: fail(headerLog.issues()) };
  if (tooMany) return only(tooMany);
  const issues = joinLogs(file, widthLog, log);
  if (issues.length > 0) return { result: fail(issues) };
  if (rowCount === 0) return only({ message: 'has no price rows' });
  const notes: string[] = [];
  if (decoding.windows1252) notes.push(WINDOWS_1252_NOTE);
  if (decoding.utf16) notes.push(utf16Note(decoding.utf16));
  if (separator === ';') notes.push('French locale: ";" separator, decimal comma');
  if (separator === '\t')
    notes.push(`tab separator, decimal ${decimal === ',' ? 'comma' : 'point'}`);
  return { result: ok({ format: 'csv', rowCount, skipped: 0, notes }) };
}

/**
 * Parses a price sheet saved as CSV, read from `open()` piece by piece, handing the valid rows
 * to `handlers.onBatch` in batches as it goes; memory stays bounded by a batch, whatever the
 * file's size. Same rules and messages as {@link parseCsv}. Rows are handed over only while
 * no row has been found invalid, but the answer is what counts: when it is not ok, the caller
 * must drop every row it was given (a service rolls back its transaction). `open` may be
 * called again (a file read a second time as Windows-1252, or to locate an unclosed quote).
 * @example await parseCsvStream(() => createReadStream(path), { file: 'prices.csv', maxRows: 1_000_000 }, { onBatch: insert, onRestart: truncate }) //=> { ok: true, value: { format: 'csv', rowCount: 2, skipped: 0, notes: [] } }
 */
export async function parseCsvStream(
  open: () => AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  handlers: CsvStreamHandlers,
): Promise<Result<CsvStreamSummary>> {
  let mode: Mode = { windows1252: false };
  for (;;) {
    const pass = await csvPass(open, ctx, mode, handlers);
    if ('result' in pass) return pass.result;
    if (pass.emitted) await handlers.onRestart();
    mode = pass.restart;
  }
}

async function* piecesOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

/**
 * Parses a price sheet saved as CSV by Excel in English (`,`, decimal point) or French
 * (`;`, decimal comma, thousands grouped by spaces), with or without BOM, in UTF-8 or
 * Windows-1252. Every row must be valid, or the answer is the list of issues.
 * @example await parseCsv(bytes, { file: 'prices.csv', maxRows: 1_000_000 })
 */
export async function parseCsv(
  bytes: Uint8Array,
  ctx: ParseContext,
): Promise<Result<ParsedPriceSheet>> {
  let rows: PriceRow[] = [];
  let lines: number[] = [];
  const parsed = await parseCsvStream(() => piecesOf(bytes), ctx, {
    async onBatch(batch) {
      for (const r of batch.rows) rows.push(r);
      for (const l of batch.lines) lines.push(l);
    },
    async onRestart() {
      rows = [];
      lines = [];
    },
  });
  if (!parsed.ok) return parsed;
  const { format, skipped, notes } = parsed.value;
  return ok({ format, rows, lines, skipped, notes });
}
