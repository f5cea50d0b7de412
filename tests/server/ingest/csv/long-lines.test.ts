import { describe, expect, it } from 'vitest';
import { MAX_HEADER_CHARS } from '../../../../server/ingest/csv/head.ts';
import { MAX_CELL_CHARS } from '../../../../server/ingest/csv/records.ts';
import { scanSeparator, separatorScanner } from '../../../../server/ingest/csv/separator.ts';
import { MAX_RECORD_CHARS } from '../../../../server/ingest/csv/split.ts';
import { parsePriceSheet } from '../../../../server/ingest/index.ts';

const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';
const utf8 = (text: string) => new TextEncoder().encode(text);

async function issuesOf(text: string) {
  const r = await parsePriceSheet(utf8(text), { fileName: 'long.csv' });
  if (r.ok) throw new Error('expected the file to be refused');
  return r.issues;
}

describe('over-long CSV lines and cells (issue 13: parsing in linear time)', () => {
  it('refuses a 2 MB header line at line 1, before reading on', async () => {
    // 2 MB of "a" with no line break: no header line ends within 64 KiB.
    expect(await issuesOf('a'.repeat(2 * 1024 * 1024))).toEqual([
      {
        file: 'long.csv',
        row: 1,
        message: `the header line is longer than ${MAX_HEADER_CHARS.toLocaleString('en-US')} characters (a price-sheet header names a few columns); is this a CSV file?`,
      },
    ]);
  });

  it('refuses a cell longer than the cap with its row and column', async () => {
    const long = 'x'.repeat(MAX_CELL_CHARS + 1);
    const issues = await issuesOf(`${HEADER}\nA,s,GB,1,USD\nA,${long},GB,1,USD\n`);
    expect(issues).toEqual([
      {
        file: 'long.csv',
        row: 3,
        column: 2,
        value: `${'x'.repeat(40)}…`,
        message: 'this cell is 10,001 characters long; a cell may have at most 10,000',
      },
    ]);
  });

  it('stops at a record longer than 256 KiB, at the line it starts on', async () => {
    const issues = await issuesOf(
      `${HEADER}\nA,s,GB,1,USD\nA,${'y'.repeat(2 * 1024 * 1024)},GB,1,USD\n`,
    );
    expect(issues).toEqual([
      {
        file: 'long.csv',
        row: 3,
        message: `is not valid CSV: the record starting on this line is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (check for a missing line break or quote)`,
      },
    ]);
  });

  it('scans the separator piece by piece as it does whole', () => {
    for (const text of ['a;b;c\nd', '\n\n"x,y";z;w\n', 'a\tb,c\td\n', 'no line end']) {
      const s = separatorScanner();
      for (const ch of text) s.push(ch);
      expect(s.result()).toEqual(scanSeparator(text));
    }
    expect(scanSeparator('a;b;c\nd')).toEqual({ separator: ';', complete: true });
    expect(scanSeparator('"a;b",c')).toEqual({ separator: ',', complete: false });
  });
});
