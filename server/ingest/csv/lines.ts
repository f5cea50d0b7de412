// Reading CSV text: its separator, its records (through csv-parse's core) and its quotes.
import { type Options, Parser } from 'csv-parse';
import { decodeStream, type StreamDecoding } from '../text.ts';

export type Separator = ',' | ';' | '\t';

/** The separator of the first non-blank line, and whether that line was complete in `text`. */
export function scanSeparator(text: string): { separator: Separator; complete: boolean } {
  const scanner = separatorScanner();
  scanner.push(text);
  return scanner.result();
}

/**
 * {@link scanSeparator} fed piece by piece: each character is looked at once, so finding the
 * header of a file cut into pieces is linear in its length (scanning the text so far again at
 * each piece made a 20 MB header line take 98 s).
 * @example const s = separatorScanner(); s.push('a;b'); s.push(';c\n'); s.result() //=> { separator: ';', complete: true }
 */
export function separatorScanner(): {
  push(text: string): boolean;
  result(): { separator: Separator; complete: boolean };
} {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  let started = false;
  let complete = false;
  return {
    push(text) {
      for (let i = 0; i < text.length && !complete; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x22) quoted = !quoted;
        else if (!quoted && c === 0x0a) {
          if (started) complete = true;
          continue;
        } else if (!quoted && c === 0x2c) counts[','] += 1;
        else if (!quoted && c === 0x3b) counts[';'] += 1;
        else if (!quoted && c === 0x09) counts['\t'] += 1;
        if (!started && text[i]?.trim() !== '') started = true;
      }
      return complete;
    },
    result() {
      const separator =
        counts['\t'] > counts[','] && counts['\t'] > counts[';']
          ? '\t'
          : counts[';'] > counts[',']
            ? ';'
            : ',';
      return { separator, complete };
    },
  };
}

/**
 * The field separator of a CSV text: whichever of `;`, `,` and tab is most frequent outside
 * quotes on the first non-blank line (`,` when none is).
 * @example detectSeparator('ProviderName;SkuId;ListUnitPrice\n') //=> ";"
 */
export function detectSeparator(text: string): Separator {
  return scanSeparator(text).separator;
}

export interface RawRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * The 1-based line a record starts on: the line it ends on less the line breaks inside its
 * quoted fields (the text has LF line ends only).
 */
export function startLine(lines: number, fields: readonly string[]): number {
  let breaks = 0;
  for (const f of fields)
    for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) breaks += 1;
  return lines - breaks;
}

/**
 * csv-parse's own synchronous core (what its `csv-parse/sync` runs), fed piece by piece: no
 * stream between us and it, and the line count read as each record is pushed.
 */
export interface CsvCore {
  readonly info: { readonly lines: number };
  parse(
    buf: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): (Error & { lines?: number; code?: string }) | undefined;
}

export function csvCore(options: Options): CsvCore {
  return (new Parser(options) as unknown as { api: CsvCore }).api;
}

/** Finds the line of the quote left open at the end of a CSV text (LF line ends) fed in pieces. */
function quoteScanner(delimiter: Separator) {
  let line = 1;
  let open: number | null = null;
  let fieldStart = true;
  // Inside quotes, the last piece ended with a quote: doubled (escaped) or closing?
  let quoteAtEnd = false;
  return {
    feed(text: string): void {
      let i = 0;
      if (quoteAtEnd) {
        quoteAtEnd = false;
        if (text[0] === '"') i = 1;
        else {
          open = null;
          fieldStart = false;
        }
      }
      for (; i < text.length; i++) {
        const c = text[i];
        if (c === '\n') line += 1;
        if (open !== null) {
          if (c !== '"') continue;
          if (i + 1 === text.length) quoteAtEnd = true;
          else if (text[i + 1] === '"') i++;
          else {
            open = null;
            fieldStart = false;
          }
        } else if (c === '"' && fieldStart) open = line;
        else fieldStart = c === delimiter || c === '\n';
      }
    },
    /** The line the open quote is on, or null when every quote closed. */
    end: (): number | null => (quoteAtEnd ? null : open),
  };
}

/** Decoded text with LF line ends (CRLF and lone CR become LF), piece by piece. */
export async function* lfText(
  chunks: AsyncIterable<Uint8Array>,
  decoding: StreamDecoding,
): AsyncGenerator<string, 'restart' | undefined> {
  const decoded = decodeStream(chunks, decoding);
  let cr = false;
  try {
    for (;;) {
      const next = await decoded.next();
      if (next.done) {
        if (next.value === 'restart') return 'restart';
        break;
      }
      let text: string = cr ? `\r${next.value}` : next.value;
      cr = text.endsWith('\r');
      if (cr) text = text.slice(0, -1);
      yield text.replace(/\r\n?/g, '\n');
    }
    if (cr) yield '\n';
    return undefined;
  } finally {
    await decoded.return(undefined);
  }
}

/** The line of the quote left open at the end of the file, if one is: the file read again. */
export async function unclosedQuoteLine(
  open: () => AsyncIterable<Uint8Array>,
  windows1252: boolean,
  skip: number,
  delimiter: Separator,
): Promise<number | null> {
  const scanner = quoteScanner(delimiter);
  let left = skip;
  for await (const text of lfText(open(), { windows1252 })) {
    const piece = left > 0 ? text.slice(left) : text;
    left = Math.max(0, left - text.length);
    scanner.feed(piece);
  }
  return scanner.end();
}
