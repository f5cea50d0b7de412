import type { Decimal } from '../../models/money.ts';
import type { Variance } from '../../models/variance.ts';
import type { Laid } from '../facts.ts';
import { LABELS } from '../labels.ts';
import type { Cell, Row } from '../layout.ts';
import type { Review } from '../review.ts';

/**
 * The review state of a price sheet a stored forecast used, when the forecast was created
 * (its latest review then). Plain data: it crosses to a compute thread.
 */
export interface SourceReviewState {
  readonly sheetId: string;
  readonly status: 'accepted' | 'refused' | 'unreviewed';
  readonly by: string | null;
  /** ISO time. */
  readonly at: string | null;
  readonly note: string | null;
}

/** What a sheet is built from: the laid-out facts and the generation facts. */
export interface Context {
  readonly p: Laid;
  readonly generatedAt: Date;
  /** The generation time as people read it, e.g. `2026-11-22 09:30 UTC`. */
  readonly generatedText: string;
  readonly engineVersion: string;
  readonly inputHash: string;
  readonly locale: 'en' | 'fr';
  /** The quarter the forecast is as of, e.g. `2026-Q3` (Summary, file name). */
  readonly asOfQuarter: string;
  /** The stored forecast's review, `null` when not reviewed (a workbook from the CLI). */
  readonly review: Review;
  /**
   * The review of each price sheet it used, when it was created; `null` when not recorded (a
   * workbook from the CLI, a forecast stored before reviews were): the Summary then shows none.
   */
  readonly sourceReviews: readonly SourceReviewState[] | null;
  /** The bridge from an earlier forecast (the Changes sheet); `null`: no Changes sheet. */
  readonly variance: Variance | null;
}

/** A cached result from an engine decimal (display precision is the format's job). */
export const n = (d: Decimal): number => d.toNumber();

/** A section bar across `width` columns. */
export const section = (label: string, width: number): Row => ({
  cells: Array.from({ length: width }, (_, i) => ({
    v: i === 0 ? label : '',
    s: 'section' as const,
  })),
});

/**
 * A table header row starting at column `first`; labels from index `numericFrom` head
 * columns of numbers and are right-aligned. With the sheet's column widths, the row is as
 * tall as its longest wrapped label.
 */
export const header = (
  labels: readonly (string | null)[],
  first = 1,
  opts: { readonly widths?: readonly number[]; readonly numericFrom?: number } = {},
): Row => {
  const { widths, numericFrom = labels.length } = opts;
  const lines = Math.max(
    2,
    ...labels.map((v, i) => {
      const width = widths?.[first - 1 + i] ?? 16;
      return Math.ceil((v ?? '').length / Math.max(1, width - 2));
    }),
  );
  return {
    cells: [
      ...Array.from({ length: first - 1 }, () => null),
      ...labels.map(
        (v, i): Cell => ({ v: v ?? '', s: i >= numericFrom ? 'headerRight' : 'header' }),
      ),
    ],
    height: 13 * lines + 3,
  };
};

export const titleRow = (title: string, first = 1): Row => ({
  cells: [...Array.from({ length: first - 1 }, () => null), { v: title, s: 'title' }],
  height: 24,
});

export const noteRow = (note: string, style: 'note' | 'subtitle' = 'note', first = 1): Row => ({
  cells: [...Array.from({ length: first - 1 }, () => null), { v: note, s: style }],
});

/**
 * A quarter as the workbook's language writes it where it is text (the Summary's as-of line,
 * the download's file name), so that both say the same.
 * @example quarterText('2026-Q3', 'fr') //=> "T3 2026"
 * @example quarterText('2026-Q3', 'en') //=> "2026-Q3"
 */
export function quarterText(quarter: string, locale: 'en' | 'fr'): string {
  return LABELS[locale].text.quarter(quarter);
}

/**
 * @example generationText(new Date('2026-11-22T09:30:00Z')) //=> "2026-11-22 09:30 UTC"
 */
export const generationText = (d: Date): string =>
  `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
