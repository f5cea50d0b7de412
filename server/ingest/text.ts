/**
 * Windows-1252 bytes 0x80–0x9F, per the WHATWG index (the rest are ISO-8859-1). Written out
 * because Node's own TextDecoder('windows-1252') decodes these as Latin-1 since 20.18.3
 * (nodejs/node#60888): "€" would come out as U+0080.
 */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * Windows-1252 bytes as text.
 * @example decodeWindows1252(Uint8Array.of(0x63, 0x9c, 0x75, 0x72, 0x20, 0x80)) //=> "cœur €"
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

/** UTF-16 byte order named by a leading BOM (`FF FE`: little-endian, `FE FF`: big-endian). */
export function utf16Bom(bytes: Uint8Array): 'le' | 'be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  return null;
}

/** The note a parser adds when a file was UTF-16 (Excel's "Unicode Text"). */
export const utf16Note = (order: 'le' | 'be') =>
  `decoded as UTF-16${order.toUpperCase()} (byte order mark)`;

/**
 * Bytes as text: UTF-16 when they start with a UTF-16 byte order mark (Excel's "Unicode
 * Text" export is UTF-16LE), else UTF-8 (a leading BOM dropped) when they are valid UTF-8,
 * else Windows-1252, which is what French Excel's "CSV (séparateur : point-virgule)" writes,
 * with a note saying so.
 * @example decodeText(new Uint8Array([0x44, 0xe9])) //=> { text: "Dé", note: "decoded as Windows-1252 …" }
 * @example decodeText(Uint8Array.of(0xff, 0xfe, 0x44, 0, 0xe9, 0)) //=> { text: "Dé", note: "decoded as UTF-16LE (byte order mark)" }
 */
export function decodeText(bytes: Uint8Array): { text: string; note?: string } {
  const order = utf16Bom(bytes);
  if (order)
    return {
      // The decoder drops the BOM; a lone last byte becomes U+FFFD.
      text: new TextDecoder(`utf-16${order}`).decode(bytes),
      note: utf16Note(order),
    };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return {
      text: decodeWindows1252(bytes),
      note: WINDOWS_1252_NOTE,
    };
  }
}

/** Start offset of every line, for turning offsets into 1-based line and column. */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}

/** The note a parser adds when it fell back to Windows-1252. */
export const WINDOWS_1252_NOTE = 'decoded as Windows-1252 (the file is not valid UTF-8)';

/** How a byte stream is being decoded; `windows1252` turns true when decoding falls back. */
export interface StreamDecoding {
  windows1252: boolean;
  /** Set when the stream starts with a UTF-16 byte order mark, and decoded as such. */
  utf16?: 'le' | 'be' | undefined;
}

/**
 * Byte chunks as text, with the same answer as {@link decodeText} on their concatenation:
 * UTF-16 when the first bytes are a UTF-16 byte order mark (`state.utf16` is then set),
 * else UTF-8 (a leading BOM dropped) while the bytes are valid UTF-8, else Windows-1252. When
 * invalid UTF-8 turns up after nothing but ASCII, decoding switches to Windows-1252 on the
 * spot (ASCII reads the same in both). After other text it cannot: the generator then
 * returns `'restart'`, and the caller reads the bytes again with `state.windows1252` set.
 * @example for await (const text of decodeStream(chunks, { windows1252: false })) …
 */
export async function* decodeStream(
  chunks: AsyncIterable<Uint8Array>,
  state: StreamDecoding,
): AsyncGenerator<string, 'restart' | undefined> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let utf16: InstanceType<typeof TextDecoder> | undefined;
  // The first bytes, until there are two to look for a UTF-16 byte order mark in.
  let head: Uint8Array | undefined = new Uint8Array(0);
  let ascii = true;
  for await (const piece of chunks) {
    let chunk = piece;
    if (head) {
      chunk = head.length === 0 ? piece : Buffer.concat([head, piece]);
      if (chunk.length < 2) {
        head = chunk;
        continue;
      }
      head = undefined;
      const order = utf16Bom(chunk);
      if (order) {
        state.utf16 = order;
        utf16 = new TextDecoder(`utf-16${order}`);
      }
    }
    if (utf16) {
      const text = utf16.decode(chunk, { stream: true });
      if (text !== '') yield text;
      continue;
    }
    if (state.windows1252) {
      yield decodeWindows1252(chunk);
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(chunk, { stream: true });
    } catch {
      if (!ascii) return 'restart';
      state.windows1252 = true;
      yield decodeWindows1252(chunk);
      continue;
    }
    // Every non-ASCII byte, and a BOM, makes the text shorter than the bytes.
    if (text.length !== chunk.length) ascii = false;
    if (text !== '') yield text;
  }
  // A file of one byte.
  if (head && head.length > 0) {
    if (state.windows1252) yield decodeWindows1252(head);
    else
      try {
        yield utf8.decode(head);
      } catch {
        state.windows1252 = true;
        yield decodeWindows1252(head);
      }
    return undefined;
  }
  if (utf16) {
    const rest = utf16.decode();
    if (rest !== '') yield rest;
    return undefined;
  }
  if (state.windows1252) return undefined;
  try {
    const rest = utf8.decode();
    if (rest !== '') yield rest;
  } catch {
    return 'restart';
  }
  return undefined;
}
