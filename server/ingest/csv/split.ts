// Splitting CSV text into records: lines without a quote by hand, the rest through csv-parse.
import { csvCore, startLine } from './lines.ts';
import { QuoteScanner } from './quotes.ts';
import type { Separator } from './separator.ts';

/** An error of csv-parse's core, with the line it names counted from the start of the text. */
export type CsvParseError = Error & { lines?: number; code?: string };

/** Takes a record's fields and the 1-based line it starts on. */
export type RecordSink = (fields: string[], line: number) => void;

export interface CsvSplitter {
  /**
   * Splits the next piece of text (LF line ends only; `end` on the last piece, which may be
   * empty) and hands each record to `push`; answers csv-parse's error, if it met one.
   */
  feed(text: string, end: boolean, push: RecordSink): CsvParseError | undefined;
  /** The line of the quote left open at the end of the text, or `null` when every quote closed. */
  openQuoteLine(): number | null;
}

/**
 * The longest record held while its end is looked for, in characters: past it the splitter
 * stops with an error at the record's first line instead of handing csv-parse (about 1 µs a
 * character on one long field) megabytes to block the event loop with.
 */
export const MAX_RECORD_CHARS = 256 * 1024;

/**
 * Records as csv-parse's core gives them with `relax_column_count`, `relax_quotes` and
 * `skip_empty_lines`, and the same errors, but cheaper: a whole line without a quote, met at
 * the start of a record, is one record whose fields are the line split at the delimiter (an
 * empty line is none). Anything else — from a line with a quote, or a line cut by the end of a
 * piece, up to the next record boundary followed by a whole quote-free line — goes whole to a
 * fresh csv-parse core. Where a record ends is found by the {@link QuoteScanner}, which
 * follows quotes as csv-parse does.
 * @example csvSplitter(',').feed('a,b\n"c\nd",e\n', true, (f, line) => …) // ["a","b"] line 1; ["c\nd","e"] line 2
 */
export function csvSplitter(delimiter: Separator): CsvSplitter {
  const quotes = new QuoteScanner(delimiter);
  /** The line the next record starts on. */
  let line = 1;
  /** Quoted mode: following quotes from a record boundary to the next one. */
  let quoted = false;
  /** Quoted mode: the segment's text from earlier pieces, already scanned. */
  let held: string[] = [];
  let heldLength = 0;
  /** Quoted mode: the line the segment starts on. */
  let segmentLine = 1;

  /** Parses a segment of whole records (the file's end, when `end`) with a fresh core. */
  function parseSegment(text: string, push: RecordSink): CsvParseError | undefined {
    const core = csvCore({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    });
    const offset = segmentLine - 1;
    const error = core.parse(
      Buffer.from(text, 'utf8'),
      true,
      (record) => push(record, offset + startLine(core.info.lines, record)),
      () => {},
    );
    if (error) error.lines = (error.lines ?? 0) + offset;
    return error;
  }

  return {
    openQuoteLine: () => quotes.openQuoteLine(),
    feed(text, end, push) {
      const s = text;
      const n = s.length;
      let pos = 0;
      let segmentStart = 0;
      // Next quote at or after `pos` (-1: none left in `s`), looked up again once passed.
      let quoteAt = -2;
      const nextQuote = (from: number) => {
        if (quoteAt !== -1 && quoteAt < from) quoteAt = s.indexOf('"', from);
        return quoteAt === -1 ? Number.POSITIVE_INFINITY : quoteAt;
      };
      for (;;) {
        if (!quoted) {
          if (pos === n && !end) return undefined;
          const nl = s.indexOf('\n', pos);
          const lineEnd = nl === -1 ? n : nl;
          if ((nl === -1 && !end) || nextQuote(pos) < lineEnd) {
            quoted = true;
            segmentStart = pos;
            segmentLine = line;
            quotes.startRecord(line);
            continue;
          }
          if (lineEnd > pos) push(s.slice(pos, lineEnd).split(delimiter), line);
          if (nl === -1) return undefined;
          line += 1;
          pos = nl + 1;
          continue;
        }
        // Quoted mode: follow the quotes from `pos` to a record boundary.
        let boundary = -1;
        // The last record end met in this piece, and the line after it.
        let last = -1;
        let lastLine = 0;
        for (let i = pos; ; ) {
          const at = quotes.next(s, i);
          if (at === -1) break;
          i = at + 1;
          // A record ends here; the segment goes on while the next line has a quote.
          const nl = s.indexOf('\n', i);
          if (nextQuote(i) < (nl === -1 ? n : nl)) {
            last = i;
            lastLine = quotes.line;
            continue;
          }
          boundary = i;
          break;
        }
        if (boundary === -1 && !end) {
          // Records complete so far go now, as csv-parse would hand them over; the rest waits.
          if (last !== -1) {
            parseSegment(held.join('') + s.slice(segmentStart, last), push);
            held = [];
            heldLength = 0;
            segmentStart = last;
            segmentLine = lastLine;
          }
          held.push(s.slice(segmentStart));
          heldLength += n - segmentStart;
          pos = 0;
          if (heldLength > MAX_RECORD_CHARS) {
            const error: CsvParseError = new Error(
              `the record starting on this line is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (check for a missing line break or quote)`,
            );
            error.code = 'CSV_RECORD_TOO_LONG';
            error.lines = segmentLine;
            held = [];
            heldLength = 0;
            return error;
          }
          return undefined;
        }
        const stop = boundary === -1 ? n : boundary;
        const segment = held.join('') + s.slice(segmentStart, stop);
        held = [];
        heldLength = 0;
        quoted = false;
        const error = parseSegment(segment, push);
        if (error) return error;
        if (boundary === -1) return undefined;
        line = quotes.line;
        pos = boundary;
      }
    },
  };
}
