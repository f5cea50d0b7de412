// CSV price sheets: read as a stream into batches of rows, or whole.
import type { PriceRow } from '../../../models/price-sheet.ts';
import { ok, type Result } from '../../../models/result.ts';
import type { ParseContext, ParsedPriceSheet, PriceRowBatch } from '../types.ts';
import { type CsvStreamSummary, csvPass, type Mode } from './pass.ts';

export type { CsvStreamSummary } from './pass.ts';

/** Bytes handed to the parser at a time, when parsing a buffer. */
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

/**
 * Parses a price sheet saved as CSV, read from `open()` piece by piece, handing the valid rows
 * to `handlers.onBatch` in batches as it goes; memory stays bounded by a batch, whatever the
 * file's size. Same rules and messages as {@link parseCsv}. Rows are handed over only while
 * no row has been found invalid, but the answer is what counts: when it is not ok, the caller
 * must drop every row it was given (a service rolls back its transaction). `open` may be
 * called again (a file read a second time as Windows-1252, or with decimal commas).
 * @example await parseCsvStream(() => createReadStream(path), { file: 'prices.csv', maxRows: 1_000_000 }, { onBatch: insert, onRestart: truncate }) //=> { ok: true, value: { format: 'csv', rowCount: 2, skipped: 0, notes: [] } }
 */
export async function parseCsvStream(
  open: () => AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  handlers: CsvStreamHandlers,
): Promise<Result<CsvStreamSummary>> {
  const batchRows = handlers.batchRows ?? CSV_BATCH_ROWS;
  let mode: Mode = { windows1252: false };
  for (;;) {
    const pass = await csvPass(open, { ctx, mode, batchRows, onBatch: handlers.onBatch });
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
