import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuoteScanner } from '../../../../server/ingest/csv/quotes.ts';

type Delimiter = ',' | ';' | '\t';

interface Split {
  /** Offsets of the separators and line breaks that end a field, outside quotes. */
  readonly ends: number[];
  /** The line of the quote left open at the end of the text, or null. */
  readonly open: number | null;
  /** The line the text ends on. */
  readonly lines: number;
}

const breaks = (s: string) => s.split('\n').length - 1;

/**
 * A reference splitter, written field by field rather than character by character (RFC 4180,
 * with csv-parse's relaxed quotes): a field that starts with a quote runs to the first quote
 * not doubled; what follows it, up to the next separator or line break, belongs to the same
 * field, and so does any quote that does not start a field.
 */
function reference(text: string, delimiter: Delimiter): Split {
  const ends: number[] = [];
  let i = 0;
  for (;;) {
    // At the start of a field.
    if (text[i] === '"') {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return { ends, open: 1 + breaks(text.slice(0, i)), lines: 1 + breaks(text) };
        if (text[q + 1] === '"') j = q + 2;
        else {
          i = q + 1;
          break;
        }
      }
    }
    const d = text.indexOf(delimiter, i);
    const n = text.indexOf('\n', i);
    const end = d === -1 ? n : n === -1 ? d : Math.min(d, n);
    if (end === -1) return { ends, open: null, lines: 1 + breaks(text) };
    ends.push(end);
    i = end + 1;
  }
}

/** `text` cut at `cuts`, in order. */
function piecesOf(text: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const c of at) {
    pieces.push(text.slice(from, c));
    from = c;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** What the scanner finds in the text fed in pieces (line breaks only, unless `separators`). */
function scanned(pieces: readonly string[], delimiter: Delimiter, separators = true): Split {
  const scanner = new QuoteScanner(delimiter, { separators });
  const ends: number[] = [];
  let offset = 0;
  for (const p of pieces) {
    for (let at = scanner.next(p, 0); at !== -1; at = scanner.next(p, at + 1))
      ends.push(offset + at);
    offset += p.length;
  }
  return { ends, open: scanner.openQuoteLine(), lines: scanner.line };
}

/** Text made of what matters to quoting: quotes, doubled quotes, separators, line breaks. */
const csvText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('a', 'bc', ' ', 'é', '€', '😀') },
      { weight: 4, arbitrary: fc.constantFrom(',', ';', '\t') },
      { weight: 3, arbitrary: fc.constant('\n') },
      { weight: 5, arbitrary: fc.constantFrom('"', '""', '"""', '"x"', '"a\nb"', '"a""b"') },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

const delimiter = fc.constantFrom<Delimiter>(',', ';', '\t');
const cuts = fc.array(fc.nat(80), { maxLength: 8 });

/** A field's text: anything, separators, quotes and line breaks included. */
const field = fc
  .array(fc.constantFrom('a', ' ', 'é', '"', '""', ',', ';', '\t', '\n'), { maxLength: 6 })
  .map((parts) => parts.join(''));

describe('QuoteScanner', () => {
  it('finds the separators and line breaks outside quotes, field by field', () => {
    const text = 'a,"b,\nc""d",e\n"f"g,h"i\n';
    // a | , | "b,\nc""d" | , | e | \n | "f"g | , | h"i (a quote inside a field is text) | \n
    expect(scanned([text], ',')).toEqual({ ends: [1, 11, 13, 18, 22], open: null, lines: 4 });
  });

  it('tells a doubled quote from a closing one across pieces', () => {
    // "a" | ",b\n: the quote that ends the first piece is doubled by the next one.
    expect(scanned(['"a"', '",b\n'], ',')).toEqual({ ends: [], open: 1, lines: 2 });
    // "a" | ,b\n: it closes the field.
    expect(scanned(['"a"', ',b\n'], ',')).toEqual({ ends: [3, 5], open: null, lines: 2 });
  });

  it('names the line of a quote left open', () => {
    expect(scanned(['x\ny,"z\n', 'w\n'], ',')).toEqual({ ends: [1, 3], open: 2, lines: 4 });
  });

  it('agrees with a reference RFC 4180 splitter on any text, in any pieces', () => {
    fc.assert(
      fc.property(csvText, delimiter, cuts, (text, d, at) => {
        const expected = reference(text, d);
        expect(scanned(piecesOf(text, at), d)).toEqual(expected);
        // Asked for line breaks only (as the splitter asks), it stops at those alone.
        expect(scanned(piecesOf(text, at), d, false)).toEqual({
          ...expected,
          ends: expected.ends.filter((e) => text[e] === '\n'),
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('gives back the fields of records written by RFC 4180, in any pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        delimiter,
        cuts,
        (records, d, at) => {
          const quote = (f: string) => (/[",;\t\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
          const text = `${records.map((r) => r.map(quote).join(d)).join('\n')}\n`;
          const { ends, open } = scanned(piecesOf(text, at), d);
          expect(open).toBeNull();
          // Cut the text at the ends found, unquote each field, and regroup by line break.
          const read: string[][] = [[]];
          let from = 0;
          for (const end of ends) {
            const raw = text.slice(from, end);
            const f = raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw;
            read[read.length - 1]?.push(f);
            if (text[end] === '\n') read.push([]);
            from = end + 1;
          }
          expect(read.slice(0, -1)).toEqual(records);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('opens a quoted part at any quote when asked to (a header whose separator is unknown)', () => {
    const scanner = new QuoteScanner(',;\t', { separators: true, opensAnywhere: true });
    // a"b,c"d;e\n: the comma sits between two quotes, so only ";" and "\n" count.
    const text = 'a"b,c"d;e\n';
    expect([scanner.next(text, 0), scanner.next(text, 8)]).toEqual([7, 9]);
  });
});
