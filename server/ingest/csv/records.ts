// CSV text into records: split, numbered on the file's lines, over-long cells logged.
import type { IssueLog } from '../rows.ts';
import type { RawRecord } from './lines.ts';
import type { Separator } from './separator.ts';
import { type CsvParseError, type CsvSplitter, csvSplitter } from './split.ts';

/** The longest cell read, in characters: every text column of a price row allows at most 1 000. */
export const MAX_CELL_CHARS = 10_000;

/**
 * Splits the text after the head into records, queued until {@link take}n: blank records are
 * dropped, a record with a cell over {@link MAX_CELL_CHARS} is logged (at its line and column)
 * instead, and once `cap` records are queued in all the rest are left unread.
 */
export class RecordReader {
  /** `cap` records were met: the pass reads no further. */
  full = false;
  /** A cell over the limit came before any record was taken (in the header's piece): the pass stops. */
  longBeforeHeader = false;
  private readonly splitter: CsvSplitter;
  private readonly shift: number;
  private readonly cap: number;
  private readonly log: IssueLog;
  private queue: RawRecord[] = [];
  private seen = 0;
  private taken = false;
  private readonly push = (fields: string[], line: number): void => this.add(fields, line);

  /**
   * @param shift lines before the text's first line (a `sep=` line), added to every line
   * @param cap records read at most
   * @param log takes the over-long cells
   */
  constructor(separator: Separator, shift: number, cap: number, log: IssueLog) {
    this.splitter = csvSplitter(separator);
    this.shift = shift;
    this.cap = cap;
    this.log = log;
  }

  /** Splits the next piece (`end` on the last); csv-parse's error, if it met one. */
  feed(text: string, end: boolean): CsvParseError | undefined {
    return this.splitter.feed(text, end, this.push);
  }

  /** The records queued since the last call, in file order. */
  take(): RawRecord[] {
    const records = this.queue;
    this.queue = [];
    if (records.length > 0) this.taken = true;
    return records;
  }

  /** The line (in the text after the head) of the quote left open at its end, or `null`. */
  openQuoteLine(): number | null {
    return this.splitter.openQuoteLine();
  }

  private add(fields: string[], line: number): void {
    if (this.full || fields.every((f) => f.trim() === '')) return;
    const long = fields.findIndex((f) => f.length > MAX_CELL_CHARS);
    if (long !== -1) {
      const f = fields[long] as string;
      this.log.add({
        row: line + this.shift,
        column: long + 1,
        value: `${f.slice(0, 40)}…`,
        message: `this cell is ${f.length.toLocaleString('en-US')} characters long; a cell may have at most ${MAX_CELL_CHARS.toLocaleString('en-US')}`,
      });
      if (!this.taken) this.longBeforeHeader = true;
      return;
    }
    this.queue.push({ line: line + this.shift, fields });
    this.seen += 1;
    if (this.seen >= this.cap) this.full = true;
  }
}
