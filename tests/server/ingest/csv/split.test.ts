import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCore, startLine } from '../../../../server/ingest/csv/lines.ts';
import type { Separator } from '../../../../server/ingest/csv/separator.ts';
import { csvSplitter } from '../../../../server/ingest/csv/split.ts';

interface Split {
  readonly records: { fields: string[]; line: number }[];
  readonly error?: { code: string | undefined; lines: number | undefined };
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

/** What csv-parse's core, fed the same pieces as bytes, gives. */
function bySplitter(pieces: readonly string[], delimiter: Separator): Split {
  const splitter = csvSplitter(delimiter);
  const records: Split['records'] = [];
  const push = (fields: string[], line: number) => records.push({ fields, line });
  for (const p of pieces) {
    const e = splitter.feed(p, false, push);
    if (e) return { records, error: { code: e.code, lines: e.lines } };
  }
  const e = splitter.feed('', true, push);
  return e ? { records, error: { code: e.code, lines: e.lines } } : { records };
}

function byCore(pieces: readonly string[], delimiter: Separator): Split {
  const core = csvCore({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  const records: Split['records'] = [];
  const push = (fields: string[]) =>
    records.push({ fields, line: startLine(core.info.lines, fields) });
  for (const p of pieces) {
    if (p === '') continue;
    const e = core.parse(Buffer.from(p, 'utf8'), false, push, () => {});
    if (e) return { records, error: { code: e.code, lines: e.lines } };
  }
  const e = core.parse(undefined, true, push, () => {});
  return e ? { records, error: { code: e.code, lines: e.lines } } : { records };
}

/** Text made of the characters that matter to CSV, and a few others. */
const csvText = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('a', 'bc', ' ', 'é', '1,5', '€') },
      { weight: 4, arbitrary: fc.constantFrom(',', ';', '\t') },
      { weight: 3, arbitrary: fc.constant('\n') },
      { weight: 3, arbitrary: fc.constantFrom('"', '""', '"x"', '"a\nb"', '"a""b"') },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('csvSplitter', () => {
  it('splits plain lines by hand, numbering them, and skips empty lines', () => {
    const records: [string[], number][] = [];
    const splitter = csvSplitter(';');
    expect(splitter.feed('a;b\n\nc;', false, (f, l) => records.push([f, l]))).toBeUndefined();
    expect(splitter.feed('d\ne', false, (f, l) => records.push([f, l]))).toBeUndefined();
    expect(splitter.feed('', true, (f, l) => records.push([f, l]))).toBeUndefined();
    expect(records).toEqual([
      [['a', 'b'], 1],
      [['c', 'd'], 3],
      [['e'], 4],
    ]);
  });

  it('hands quoted fields to csv-parse, with the line each record starts on', () => {
    const records: [string[], number][] = [];
    const splitter = csvSplitter(',');
    const text = 'a,"x\ny",b\nc,d\n"e""f",g\n';
    expect(splitter.feed(text, true, (f, l) => records.push([f, l]))).toBeUndefined();
    expect(records).toEqual([
      [['a', 'x\ny', 'b'], 1],
      [['c', 'd'], 3],
      [['e"f', 'g'], 4],
    ]);
  });

  it('answers csv-parse’s error, on the file’s line, for a quote never closed', () => {
    const splitter = csvSplitter(',');
    const push = () => {};
    expect(splitter.feed('a,b\nc,d\ne,"f\n', false, push)).toBeUndefined();
    const error = splitter.feed('g\n', true, push);
    expect(error?.code).toBe('CSV_QUOTE_NOT_CLOSED');
    // csv-parse counts a line when it reads a character after a line break: the text's last
    // "\n" has none after it, so it stops on line 4 ("g").
    expect(error?.lines).toBe(4);
  });

  it('gives what csv-parse’s core gives, whatever the text and its pieces', () => {
    fc.assert(
      fc.property(
        csvText,
        fc.constantFrom<Separator>(',', ';', '\t'),
        fc.array(fc.nat(80), { maxLength: 8 }),
        (text, delimiter, cuts) => {
          const pieces = piecesOf(text, cuts);
          expect(bySplitter(pieces, delimiter)).toEqual(byCore(pieces, delimiter));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
