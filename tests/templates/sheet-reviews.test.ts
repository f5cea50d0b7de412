import { beforeAll, describe, expect, it } from 'vitest';
import type { Forecast } from '../../models/forecast.ts';
import {
  renderWorkbook,
  type SourceReviewState,
  type WorkbookOptions,
} from '../../templates/index.ts';
import { fixtureForecast, OPTIONS } from './helpers.ts';
import { readXlsx, type XBook } from './xlsx-reader.ts';

/**
 * Issue 15: the Summary states, under the price sheets used, how each was reviewed when the
 * forecast was created — and nothing at all when that was not recorded (a CLI workbook, a
 * forecast stored before reviews were), so those workbooks stay as they were.
 */

let bank: Forecast;
beforeAll(async () => {
  bank = await fixtureForecast('bank-ma', 0);
});

const book = async (opts: Partial<WorkbookOptions> = {}) =>
  readXlsx(await renderWorkbook(bank, { ...OPTIONS, ...opts }));

/** The Summary's rows as text, row by row from column B, empty cells left out. */
function summaryRows(b: XBook): string[][] {
  const rows = new Map<number, { col: number; text: string }[]>();
  for (const c of b.sheets[0]!.cells.values()) {
    if (c.value === undefined || c.value === '' || c.col < 2) continue;
    const row = rows.get(c.row) ?? [];
    row.push({ col: c.col, text: String(c.value) });
    rows.set(c.row, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, cells]) => cells.sort((x, y) => x.col - y.col).map((c) => c.text));
}

/** The rows after the one starting with `first`, up to the next empty row. */
function tableAfter(rows: string[][], first: string): string[][] {
  const start = rows.findIndex((r) => r[0] === first);
  expect(start, `a row starting with "${first}"`).toBeGreaterThanOrEqual(0);
  return rows.slice(start);
}

const AT = '2026-11-20T10:12:00.000Z';
const REVIEWS: SourceReviewState[] = [
  {
    sheetId: 'anthropic-2026Q3.csv',
    status: 'accepted',
    by: 'Salma',
    at: AT,
    note: 'checked against the order form',
  },
  { sheetId: 'aws-2024Q3.csv', status: 'refused', by: 'Karim', at: AT, note: 'list of 2024' },
  { sheetId: 'mistral-2026Q3.csv', status: 'unreviewed', by: null, at: null, note: null },
];

describe("the price sheets' review on the Summary", () => {
  it('is not there when the forecast did not record it', async () => {
    const text = summaryRows(await book()).flat();
    expect(text).not.toContain('Review');
    expect(text.some((t) => t.startsWith('Review of each price sheet'))).toBe(false);
  });

  it('lists each sheet used with its review then, in English', async () => {
    const rows = summaryRows(await book({ sourceReviews: REVIEWS }));
    const note = rows.findIndex((r) => r[0]?.startsWith('Review of each price sheet'));
    expect(rows[note]).toEqual([
      'Review of each price sheet when the forecast was created: accepted or refused by finance, never by its uploader; the latest review counts.',
    ]);
    const table = tableAfter(rows.slice(note), 'Price sheet (version)');
    expect(table[0]).toEqual(['Price sheet (version)', 'Review', 'By', 'On', 'Note']);
    // The seven sheets of the sample, in the order of the table above it; a sheet the
    // forecast has no entry for (none in a real one) reads as not reviewed.
    expect(table.slice(1, 8)).toEqual([
      ['anthropic-2026Q3.csv', 'Accepted', 'Salma', '2026-11-20', 'checked against the order form'],
      ['aws-2024Q3.csv', 'REFUSED', 'Karim', '2026-11-20', 'list of 2024'],
      ['google-cloud-2024Q4.json', 'NOT REVIEWED'],
      ['google-cloud-vertex-2026Q3.json', 'NOT REVIEWED'],
      ['mistral-2026Q3.csv', 'NOT REVIEWED'],
      ['openai-2026Q3.csv', 'NOT REVIEWED'],
      ['oracle-2024Q1.csv', 'NOT REVIEWED'],
    ]);
  });

  it('in French', async () => {
    const rows = summaryRows(await book({ locale: 'fr', sourceReviews: REVIEWS }));
    const table = tableAfter(
      rows.slice(rows.findIndex((r) => r[0]?.startsWith('Revue de chaque grille'))),
      'Grille tarifaire (version)',
    );
    expect(table[0]).toEqual(['Grille tarifaire (version)', 'Revue', 'Par', 'Le', 'Note']);
    expect(table.slice(1, 3)).toEqual([
      ['anthropic-2026Q3.csv', 'Acceptée', 'Salma', '2026-11-20', 'checked against the order form'],
      ['aws-2024Q3.csv', 'REFUSÉE', 'Karim', '2026-11-20', 'list of 2024'],
    ]);
    expect(table[3]).toEqual(['google-cloud-2024Q4.json', 'NON REVUE']);
  });
});
