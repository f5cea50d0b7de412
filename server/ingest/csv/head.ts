// The text of a CSV file up to the end of its header line: where the records start, and
// which separator they use.
import { type Separator, separatorScanner } from './separator.ts';

/**
 * The longest header line read, in characters: a real one is a few hundred (one with 200
 * columns of 300 characters would still fit). Past it the file is refused at line 1 before
 * more is read.
 */
export const MAX_HEADER_CHARS = 64 * 1024;

/** What the head of the file has shown so far. */
export type Head =
  | { readonly kind: 'more' }
  | { readonly kind: 'too-long' }
  | {
      readonly kind: 'found';
      readonly separator: Separator;
      /** Lines before the records' first line: 1 after a `sep=` line. */
      readonly shift: number;
      /** The text gathered so far, from the records' first line on. */
      readonly text: string;
    };

/**
 * Gathers the text piece by piece until the header line is whole (or the text ends), scanning
 * each character once; then names the separator: the one a first line `sep=;` gives (Excel
 * reads, and some tools write, that line), else the most frequent on the header line.
 * @example const h = headReader(); h.push('sep=;\nA;B\n', false) //=> { kind: 'found', separator: ';', shift: 1, text: 'A;B\n' }
 */
export function headReader(): { push(text: string, end: boolean): Head } {
  const scanner = separatorScanner();
  let pieces: string[] = [];
  let length = 0;
  return {
    push(text, end) {
      pieces.push(text);
      length += text.length;
      const complete = scanner.push(text);
      if (!complete && length > MAX_HEADER_CHARS) return { kind: 'too-long' };
      if (!end && !complete) return { kind: 'more' };
      const whole = pieces.join('');
      pieces = [];
      const sep = /^sep=([,;\t])\n/i.exec(whole);
      if (sep)
        return {
          kind: 'found',
          separator: sep[1] as Separator,
          shift: 1,
          text: whole.slice(sep[0].length),
        };
      return { kind: 'found', separator: scanner.result().separator, shift: 0, text: whole };
    },
  };
}
