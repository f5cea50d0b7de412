// Reading CSV text: decoded with LF line ends, and csv-parse's core counting its lines.
import { type Options, Parser } from 'csv-parse';
import { decodeStream, type StreamDecoding } from '../text.ts';

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
