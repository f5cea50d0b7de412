import { beforeAll, describe, expect, it } from 'vitest';
import type { Forecast } from '../../models/forecast.ts';
import { renderWorkbook, type WorkbookOptions } from '../../templates/index.ts';
import { type ReviewState, reviewRows, timeText } from '../../templates/review.ts';
import { fixtureForecast, OPTIONS } from './helpers.ts';
import { readXlsx, type XBook } from './xlsx-reader.ts';

let tiny: Forecast;
let bank: Forecast;
beforeAll(async () => {
  tiny = await fixtureForecast('tiny', 0);
  bank = await fixtureForecast('bank-ma', 0);
});

const book = async (f: Forecast, opts: Partial<WorkbookOptions> = {}) =>
  readXlsx(await renderWorkbook(f, { ...OPTIONS, ...opts }));
const summaryText = (b: XBook, ref: string) => b.sheets[0]!.cells.get(ref)?.value;
const aboutTexts = (b: XBook) => [...b.sheets.at(-1)!.cells.values()].map((c) => c.value);

const REVIEW: ReviewState = {
  status: 'rejected',
  createdBy: 'Salma',
  createdAt: '2026-11-20T08:15:42.120Z',
  reviewedBy: 'Karim',
  reviewedAt: '2026-11-21T17:02:59.999Z',
  note: 'FX rates are last quarter’s',
};

describe('the review status in the workbook', () => {
  it('writes times in UTC to the minute', () => {
    expect(timeText('2026-11-21T17:02:59.999Z')).toBe('2026-11-21 17:02 UTC');
    expect(timeText('2026-11-21T23:30:00+02:00')).toBe('2026-11-21 21:30 UTC');
  });

  it('says "not reviewed" on a workbook from the CLI, and how it was made', async () => {
    const en = await book(tiny);
    expect(summaryText(en, 'B4')).toBe(
      'NOT REVIEWED — written by the costcast CLI from files; never submitted for review',
    );
    expect(aboutTexts(en)).toContain('Not reviewed');
    expect(aboutTexts(en)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Written by the costcast CLI from files/)]),
    );
    const fr = await book(tiny, { locale: 'fr' });
    expect(summaryText(fr, 'B4')).toMatch(/^NON REVUE — /);
    expect(aboutTexts(fr)).toContain('Non revue');
  });

  it('shows who rejected it, when, and why, on the Summary and in About', async () => {
    const b = await book(bank, { review: REVIEW });
    expect(summaryText(b, 'B4')).toBe('REJECTED by Karim on 2026-11-21 17:02 UTC');
    expect(summaryText(b, 'B5')).toBe('Note: FX rates are last quarter’s');
    expect(reviewRows('en', REVIEW)).toEqual([
      ['Status', 'Rejected'],
      ['Created', 'by Salma on 2026-11-20 08:15 UTC'],
      ['Rejected', 'by Karim on 2026-11-21 17:02 UTC'],
      ['Note', 'FX rates are last quarter’s'],
    ]);
    for (const [label, text] of reviewRows('en', REVIEW))
      expect(aboutTexts(b)).toEqual(expect.arrayContaining([label, text]));
  });

  it('tells each status apart, the submitter of one in review included', () => {
    const draft = { ...REVIEW, status: 'draft', reviewedBy: null, reviewedAt: null, note: null };
    expect(reviewRows('fr', draft as ReviewState)).toEqual([
      ['Statut', 'Brouillon'],
      ['Créée', 'par Salma le 2026-11-20 08:15 UTC'],
    ]);
    expect(reviewRows('en', { ...REVIEW, status: 'in_review', note: null })[2]).toEqual([
      'Submitted for review',
      'by Karim on 2026-11-21 17:02 UTC',
    ]);
    expect(reviewRows('fr', { ...REVIEW, status: 'approved', note: null })).toEqual([
      ['Statut', 'Approuvée'],
      ['Créée', 'par Salma le 2026-11-20 08:15 UTC'],
      ['Approuvée', 'par Karim le 2026-11-21 17:02 UTC'],
    ]);
    expect(reviewRows('en', null)).toEqual([['Status', 'Not reviewed']]);
  });

  it('renders the status into the bytes: the same status the same file, another status another', async () => {
    const approved: ReviewState = { ...REVIEW, status: 'approved', note: null };
    const a = await renderWorkbook(bank, { ...OPTIONS, review: approved });
    const b = await renderWorkbook(bank, { ...OPTIONS, review: { ...approved } });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(await renderWorkbook(bank, { ...OPTIONS, review: REVIEW }))).toBe(false);
    expect(a.equals(await renderWorkbook(bank, OPTIONS))).toBe(false);
  });

  it('says under the banner, and in About, what an approval acknowledged (issue 15)', async () => {
    const sheet = bank.model.sheets[0]!;
    const acknowledged: ReviewState = {
      ...REVIEW,
      status: 'approved',
      note: null,
      acknowledgement: {
        reason: 'the vendor confirmed its prices',
        blockers: [
          { sheetId: sheet.id, quarter: '2026-Q1', reason: 'stale' },
          { sheetId: 'gone', quarter: null, reason: 'unreviewed' },
        ],
      },
    };
    const en = await book(bank, { review: acknowledged });
    expect(summaryText(en, 'B4')).toBe('APPROVED by Karim on 2026-11-21 17:02 UTC');
    // The sheet by its label when the forecast used it, else by its id.
    expect(summaryText(en, 'B5')).toBe(
      `APPROVED WITH AN ACKNOWLEDGEMENT — ${sheet.id} (as of 2026-Q1) was stale; gone was not reviewed. Reason given: the vendor confirmed its prices`,
    );
    expect(aboutTexts(en)).toEqual(
      expect.arrayContaining(['Acknowledged', 'the vendor confirmed its prices']),
    );
    const fr = await book(bank, { review: acknowledged, locale: 'fr' });
    expect(summaryText(fr, 'B5')).toBe(
      `APPROUVÉE EN CONNAISSANCE DE CAUSE — ${sheet.id} (au T1 2026) était périmée ; gone n’avait pas été revue. Motif donné : the vendor confirmed its prices`,
    );
    // Without an acknowledgement, the row is not there: B5 is empty (then the totals).
    const plain = await book(bank, { review: { ...acknowledged, acknowledgement: undefined } });
    expect(summaryText(plain, 'B5')).toBeUndefined();
  });
});

describe('the quarter the forecast is as of', () => {
  it('is, from files, the quarter the workbook was generated in', async () => {
    // Generated on 2026-11-22 (2026-Q4), though bank-ma's newest x_AsOf is 2026-07-24
    // (2026-Q3): the prices' age is measured against the quarter of the forecast.
    expect(summaryText(await book(bank), 'B3')).toMatch(/^Forecast as of 2026-Q4 · generated /);
    expect(summaryText(await book(tiny), 'B3')).toMatch(/^Forecast as of 2026-Q4 · /);
    expect(summaryText(await book(bank, { locale: 'fr' }), 'B3')).toMatch(
      /^Prévision au T4 2026 · /,
    );
  });

  it('is the stored forecast’s quarter when the service gives it', async () => {
    expect(summaryText(await book(bank, { asOfQuarter: '2027-Q1' }), 'B3')).toMatch(
      /^Forecast as of 2027-Q1 · /,
    );
  });
});
