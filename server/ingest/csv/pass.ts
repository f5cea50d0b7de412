// One read of a CSV file, from its bytes to its answer: the head, the records, the rows.
import { setImmediate as nextTick } from 'node:timers/promises';
import { fail, type InputIssue, ok, type Result } from '../../../models/result.ts';
import { issueLog, joinLogs } from '../rows.ts';
import { type StreamDecoding, utf16Note, WINDOWS_1252_NOTE } from '../text.ts';
import type { ParseContext, PriceRowBatch } from '../types.ts';
import { type Head, headReader, MAX_HEADER_CHARS } from './head.ts';
import { lfText } from './lines.ts';
import { RecordReader } from './records.ts';
import { RowReader } from './rows.ts';
import type { CsvParseError } from './split.ts';

/** Characters handed to the CSV splitter at a time. */
const CHUNK = 256 * 1024;

/** What {@link parseCsvStream} answers once every row has been handed over. */
export interface CsvStreamSummary {
  readonly format: 'csv';
  readonly rowCount: number;
  readonly skipped: number;
  readonly notes: readonly string[];
}

/** How a pass reads the file: decided before it, or learnt by a pass that had to restart. */
export interface Mode {
  readonly windows1252: boolean;
  /** The decimal separator of a tab-separated file, once known to be ",". */
  readonly decimal?: ',' | undefined;
}

/** The answer of a pass, or the mode to read the file again in. */
export type Pass =
  | { readonly result: Result<CsvStreamSummary> }
  | { readonly restart: Mode; readonly emitted: boolean };

export interface PassOptions {
  readonly ctx: ParseContext;
  readonly mode: Mode;
  readonly batchRows: number;
  readonly onBatch: (batch: PriceRowBatch) => Promise<void>;
}

/** What a pass has learnt so far: the head, then the records and the rows read after it. */
interface PassState {
  readonly decoding: StreamDecoding;
  /** Issues of cells and rows, in file order. */
  readonly log: ReturnType<typeof issueLog>;
  readonly head: ReturnType<typeof headReader>;
  /** The head found: its separator and the lines before the records. */
  found?: Extract<Head, { kind: 'found' }>;
  /** The header line ran past {@link MAX_HEADER_CHARS} before it ended. */
  headTooLong: boolean;
  records?: RecordReader;
  rows?: RowReader;
  parseError?: CsvParseError;
}

/** Whether the pass has read all it needs: it has an answer, or must start again. */
function stopped(s: PassState): boolean {
  return (
    s.headTooLong ||
    s.parseError !== undefined ||
    s.records?.full === true ||
    s.records?.longBeforeHeader === true ||
    s.rows?.tooMany !== undefined ||
    s.rows?.commaDecimal === true
  );
}

/** Reads the next piece of text: into the head until the header line is whole, then as records. */
async function feed(s: PassState, o: PassOptions, piece: string, end: boolean): Promise<void> {
  let text = piece;
  if (!s.found) {
    const head = s.head.push(piece, end);
    if (head.kind === 'too-long') {
      s.headTooLong = true;
      return;
    }
    if (head.kind === 'more') return;
    s.found = head;
    s.records = new RecordReader(head.separator, head.shift, o.ctx.maxRows + 2, s.log);
    s.rows = new RowReader({
      ctx: o.ctx,
      separator: head.separator,
      tabDecimal: o.mode.decimal,
      batchRows: o.batchRows,
      onBatch: o.onBatch,
      log: s.log,
    });
    text = head.text;
  }
  const error = s.records?.feed(text, end);
  if (error) s.parseError = error;
  await s.rows?.take(s.records?.take() ?? []);
  // Let other requests run between pieces.
  if (!end) await nextTick();
}

/** The answer of a pass that has read all it needs, or the mode to read the file again in. */
function outcome(s: PassState, file: string): Pass {
  const { found, rows, records, parseError: e, decoding } = s;
  const emitted = rows?.batches.emitted ?? false;
  if (rows?.commaDecimal && !e)
    return { restart: { windows1252: decoding.windows1252, decimal: ',' }, emitted };
  const only = (issue: Omit<InputIssue, 'file'>) => ({ result: fail([{ file, ...issue }]) });
  const shift = found?.shift ?? 0;
  if (e) {
    const opened = e.code === 'CSV_QUOTE_NOT_CLOSED' ? (records?.openQuoteLine() ?? null) : null;
    return only(
      opened === null
        ? { row: (e.lines ?? 0) + shift, message: `is not valid CSV: ${e.message}` }
        : {
            row: opened + shift,
            message: `is not valid CSV: the quote opened on line ${opened} is never closed`,
          },
    );
  }
  if ((s.headTooLong || records?.longBeforeHeader) && !rows?.header)
    return s.log.count() > 0
      ? { result: fail(s.log.issues()) }
      : only({
          row: 1 + shift,
          message: `the header line is longer than ${MAX_HEADER_CHARS.toLocaleString('en-US')} characters (a price-sheet header names a few columns); is this a CSV file?`,
        });
  if (!rows?.header) return only({ message: 'is empty: no header line and no price rows' });
  if (!rows.columns) return { result: fail(rows.headerLog.issues()) };
  if (rows.tooMany) return only(rows.tooMany);
  const issues = joinLogs(file, rows.widthLog, s.log);
  if (issues.length > 0) return { result: fail(issues) };
  const rowCount = rows.batches.count;
  if (rowCount === 0) return only({ message: 'has no price rows' });
  const notes: string[] = [];
  if (decoding.windows1252) notes.push(WINDOWS_1252_NOTE);
  if (decoding.utf16) notes.push(utf16Note(decoding.utf16));
  const separator = found?.separator;
  if (separator === ';') notes.push('French locale: ";" separator, decimal comma');
  if (separator === '\t')
    notes.push(`tab separator, decimal ${rows.decimal === ',' ? 'comma' : 'point'}`);
  return { result: ok({ format: 'csv', rowCount, skipped: 0, notes }) };
}

/** One read of the file: the answer, or the mode to read it again in. */
export async function csvPass(
  open: () => AsyncIterable<Uint8Array>,
  o: PassOptions,
): Promise<Pass> {
  const s: PassState = {
    decoding: { windows1252: o.mode.windows1252 },
    log: issueLog(o.ctx.file),
    head: headReader(),
    headTooLong: false,
  };
  try {
    const text = lfText(open(), s.decoding);
    try {
      for (;;) {
        const next = await text.next();
        if (next.done) {
          if (next.value === 'restart')
            return {
              restart: { ...o.mode, windows1252: true },
              emitted: s.rows?.batches.emitted ?? false,
            };
          if (!stopped(s)) await feed(s, o, '', true);
          break;
        }
        // Stopped early: read on only while later bytes could still make it Windows-1252.
        if (stopped(s)) {
          if (s.decoding.windows1252) break;
          continue;
        }
        for (let i = 0; i < next.value.length && !stopped(s); i += CHUNK)
          await feed(s, o, next.value.slice(i, i + CHUNK), false);
      }
    } finally {
      await text.return(undefined);
    }
    await s.rows?.batches.flush();
    await s.rows?.batches.settle();
  } finally {
    await s.rows?.batches.drain();
  }
  return outcome(s, o.ctx.file);
}
