import type { Readable } from 'node:stream';
import { failure, type Outcome, success } from '../outcome.ts';
import { type Spooled, spool, TooLarge } from '../spool.ts';

/**
 * The multipart reader (busboy) silently skips a part whose Content-Disposition it cannot
 * use — a line break in its file name (`filename*=UTF-8''a%0D%0Ab.csv`), a NUL or another
 * control character where `form-data` should be — so such a form seemed to have no file.
 * These helpers see the part headers as they pass, to say what was wrong instead.
 */

/** The most part headers kept, and the longest kept (in characters). */
const MAX_KEPT = 32;
const MAX_LENGTH = 2048;
/** A Content-Disposition header line, complete (its CRLF seen), at the start of a line. */
const DISPOSITION = /\ncontent-disposition:[ \t]*([^\r\n]*)\r\n/gi;

/** The Content-Disposition values of a form's parts, in order, as they passed. */
export interface PartHeaders {
  dispositions(): readonly string[];
  /**
   * Settles as soon as a part the reader will skip has passed (see
   * {@link explainSkippedPart}). The reader is not waited for: busboy 3.2.6 never finishes a
   * form whose skipped part is larger than its buffer (about 16 KB) when the body arrives
   * in several chunks, so such a request would hang.
   */
  readonly skipped: Promise<PartProblem>;
  stop(): void;
}

/**
 * Watches a request body that a multipart reader is about to pipe, and keeps its parts'
 * Content-Disposition values (the first {@link MAX_KEPT}). It starts listening inside that
 * pipe call, right after the reader's own listener, so it sees every chunk the reader sees
 * and takes none from it (listening earlier would start the flow before the reader is
 * there). The scan is linear: each chunk is searched once, with at most the last partial line.
 */
export function watchPartHeaders(body: Readable): PartHeaders {
  const kept: string[] = [];
  let tail = '';
  let found: (problem: PartProblem) => void = () => {};
  const skipped = new Promise<PartProblem>((resolve) => {
    found = resolve;
  });
  const onData = (chunk: Buffer | string) => {
    const text = tail + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    const before = kept.length;
    for (const m of text.matchAll(DISPOSITION)) {
      kept.push((m[1] ?? '').slice(0, MAX_LENGTH));
      if (kept.length >= MAX_KEPT) break;
    }
    for (let i = before; i < kept.length; i++) {
      const value = kept[i] ?? '';
      if (!readerSkips(value)) continue;
      found(
        explainSkippedPart(kept.slice(0, i + 1)) ?? {
          part: i + 1,
          problem: `the Content-Disposition header of part ${i + 1} could not be used, so the part could not be read`,
        },
      );
      break;
    }
    if (kept.length >= MAX_KEPT) return stop();
    const last = text.lastIndexOf('\n');
    tail = last >= 0 && text.length - last <= MAX_LENGTH ? text.slice(last) : '';
  };
  const own = body as { pipe: Readable['pipe'] };
  const hadOwn = Object.hasOwn(body, 'pipe');
  const pipe = own.pipe;
  const restore = () => {
    if (hadOwn) own.pipe = pipe;
    else delete (body as { pipe?: unknown }).pipe;
  };
  own.pipe = function watchedPipe(this: Readable, ...args: Parameters<Readable['pipe']>) {
    restore();
    const dest = pipe.apply(this, args);
    body.on('data', onData);
    return dest;
  } as Readable['pipe'];
  const stop = () => {
    restore();
    body.off('data', onData);
  };
  return { dispositions: () => kept, skipped, stop };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL_C1 = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/**
 * Whether busboy skips a part with this Content-Disposition: not `form-data`, or a field or
 * file name holding a line break once decoded.
 */
export function readerSkips(value: string): boolean {
  const type = (value.split(';')[0] ?? '').trim();
  if (!/^form-data$/i.test(type)) return true;
  const ext = param(value, 'filename*');
  const names = [param(value, 'name'), param(value, 'filename'), ext && extValue(ext)];
  return names.some((n) => n != null && /[\r\n]/.test(n));
}

/** What a skipped part's header says: a file name to check as `fileName`, or why it is unreadable. */
export type PartProblem =
  | { readonly part: number; readonly fileName: string }
  | { readonly part: number; readonly problem: string };

/**
 * The first C0 control (but tab), DEL or (with `c1`) C1 character of a text, described. The
 * raw header is bytes read as latin1, where UTF-8 continuation bytes look like C1: not there.
 */
function control(text: string, c1 = true): string | null {
  const m = (c1 ? CONTROL_C1 : CONTROL).exec(text);
  if (!m) return null;
  const code = `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `${code} at position ${m.index + 1}`;
}

/** An RFC 5987 value (`UTF-8''a%0D.csv`) decoded, or null when it is not one. */
function extValue(value: string): string | null {
  const [, charset = '', encoded = ''] = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(value) ?? [];
  if (!charset) return null;
  if (!/^utf-?8$/i.test(charset))
    return encoded.replace(/%([0-9a-f]{2})/gi, (_, h: string) =>
      String.fromCharCode(Number.parseInt(h, 16)),
    );
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

/** A parameter of a Content-Disposition value, unquoted, or undefined. */
function param(value: string, name: string): string | undefined {
  const re = new RegExp(
    `;\\s*${name.replace('*', '\\*')}\\s*=\\s*("((?:[^"\\\\]|\\\\.)*)"|[^;]*)`,
    'i',
  );
  const m = re.exec(value);
  if (!m) return undefined;
  return m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[1] ?? '').trim();
}

/**
 * Why no file arrived although the form had a part for one: the first part that names the
 * field "file" or a file name and that the reader must have skipped, or null.
 */
export function explainSkippedPart(dispositions: readonly string[]): PartProblem | null {
  for (const [i, value] of dispositions.entries()) {
    const part = i + 1;
    const raw = control(value, false);
    const type = (value.split(';')[0] ?? '').trim();
    const name = param(value, 'name');
    const ext = param(value, 'filename*');
    const plain = param(value, 'filename');
    const forFile = name === 'file' || ext !== undefined || plain !== undefined;
    if (!forFile && !/(^|[^\w])(file|filename)([^\w]|$)/i.test(value)) continue;
    if (raw)
      return {
        part,
        problem: `the Content-Disposition header of part ${part} contains a control character (${raw}), so the part could not be read`,
      };
    if (type.toLowerCase() !== 'form-data')
      return {
        part,
        problem: `the Content-Disposition header of part ${part} is "${type.slice(0, 40)}", not form-data, so the part could not be read`,
      };
    if (ext !== undefined) {
      const decoded = extValue(ext);
      if (decoded !== null && control(decoded)) return { part, fileName: decoded };
    }
    if (name !== undefined && control(name))
      return {
        part,
        problem: `the field name of part ${part} contains a control character (${control(name)}), so the part could not be read`,
      };
  }
  return null;
}

/** One part of a multipart form, as @fastify/multipart hands it over. */
export type FormPart =
  | {
      readonly type: 'file';
      readonly fieldname: string;
      readonly filename: string;
      readonly mimetype: string;
      readonly file: Readable;
    }
  | { readonly type: 'field'; readonly fieldname: string; readonly value: unknown };

/**
 * Why a form gave no file: `no_file` carries the part the reader skipped, if one was seen,
 * for the caller to explain.
 */
export type FormReadFailure =
  | { readonly reason: 'not_one_file' }
  | { readonly reason: 'unknown_field'; readonly field: string }
  | { readonly reason: 'malformed_form'; readonly cause: unknown }
  | { readonly reason: 'too_large'; readonly limit: number }
  | { readonly reason: 'no_file'; readonly skipped: PartProblem | null };

/**
 * Reads a multipart form for an upload: one file in the field "file", spooled into
 * `into.file` (its declared media type in `into.mediaType`, its client name, without folders,
 * in `fields.fileName` unless given), and the fields named in `names` into `fields`. What the
 * reader throws (a truncated body, a part over its limits) is `malformed_form`. A part the
 * reader skips ends the reading at once (`headers.skipped`): the reader is left to drain the
 * body, which the route must let go of.
 */
export async function readFormFile(
  parts: AsyncIterable<FormPart>,
  names: readonly string[],
  fields: { [name: string]: string | undefined },
  into: { file?: Spooled; mediaType?: string },
  limits: { readonly maxBytes: number; readonly spoolDir?: string | undefined },
  headers?: PartHeaders,
): Promise<Outcome<Spooled, FormReadFailure>> {
  const iterator = parts[Symbol.asyncIterator]();
  const skipped = headers?.skipped.then((problem) => ({ skipped: problem }));
  try {
    for (;;) {
      const next = await (skipped ? Promise.race([iterator.next(), skipped]) : iterator.next());
      if ('skipped' in next) {
        headers?.stop();
        return failure({ reason: 'no_file', skipped: next.skipped });
      }
      if (next.done) break;
      const part = next.value;
      if (part.type === 'file') {
        // A file arrived: no skipped part to explain, and its bytes need no watching.
        headers?.stop();
        if (part.fieldname !== 'file' || into.file) {
          part.file.resume();
          return failure({ reason: 'not_one_file' });
        }
        into.file = await spool(part.file, limits.maxBytes, limits.spoolDir);
        fields['fileName'] ??= part.filename.split(/[\\/]/).pop() || undefined;
        into.mediaType = part.mimetype.split(';')[0]?.trim().toLowerCase() ?? '';
      } else if (names.includes(part.fieldname)) fields[part.fieldname] = String(part.value);
      else return failure({ reason: 'unknown_field', field: part.fieldname });
    }
  } catch (e) {
    if (e instanceof TooLarge) return failure({ reason: 'too_large', limit: e.limit });
    return failure({ reason: 'malformed_form', cause: e });
  }
  if (into.file) return success(into.file);
  return failure({
    reason: 'no_file',
    skipped: headers ? explainSkippedPart(headers.dispositions()) : null,
  });
}
