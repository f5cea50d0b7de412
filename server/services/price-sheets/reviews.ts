import { type Kysely, sql } from 'kysely';
import type {
  Database,
  PriceSheetReviewRow,
  SheetReviewDecision,
  SourceReview,
} from '../../db/schema.ts';
import type { Principal } from '../keys.ts';
import { failure, type Outcome, success } from '../outcome.ts';

/** A review of a price-sheet version, as the API shows it. */
export interface SheetReview {
  readonly decision: SheetReviewDecision;
  readonly by: string;
  /** ISO time. */
  readonly at: string;
  readonly note: string | null;
}

/** A version's review state: its latest review (a later one supersedes an earlier). */
export interface SheetReviewState {
  readonly status: SheetReviewDecision;
  readonly by: string;
  readonly at: string;
  readonly note: string | null;
}

/** Why a review was not recorded. */
export type SheetReviewFailure =
  | { readonly reason: 'not_found' }
  /** The reviewer's key uploaded the version (or, before keys were recorded, their name). */
  | { readonly reason: 'four_eyes'; readonly uploadedBy: string };

export const reviewView = (r: PriceSheetReviewRow): SheetReview => ({
  decision: r.decision,
  by: r.reviewer_name,
  at: r.at.toISOString(),
  note: r.note,
});

const stateOf = (r: PriceSheetReviewRow): SheetReviewState => ({
  status: r.decision,
  by: r.reviewer_name,
  at: r.at.toISOString(),
  note: r.note,
});

export type SheetReviews = ReturnType<typeof sheetReviews>;

/**
 * Reviews of price-sheet versions: recorded four eyes against the uploader, kept forever
 * (the table refuses UPDATE, DELETE and TRUNCATE), the latest being the version's state.
 */
export function sheetReviews(db: Kysely<Database>) {
  /** Every review of a version, oldest first. */
  const history = (sheetId: string) =>
    db
      .selectFrom('price_sheet_reviews')
      .selectAll()
      .where('sheet_id', '=', sheetId)
      .orderBy('id')
      .execute();

  /** The latest review of each of `ids` that has one. */
  async function latest(ids: readonly string[]): Promise<Map<string, SheetReviewState>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('price_sheet_reviews')
      .selectAll()
      .where('sheet_id', 'in', [...new Set(ids)])
      .where(
        'id',
        '=',
        sql<string>`(SELECT max(r.id) FROM price_sheet_reviews r WHERE r.sheet_id = price_sheet_reviews.sheet_id)`,
      )
      .execute();
    return new Map(rows.map((r) => [r.sheet_id, stateOf(r)]));
  }

  return {
    history: async (sheetId: string) => (await history(sheetId)).map(reviewView),
    latest,

    /**
     * Records a review of a version by `reviewer`. Four eyes: the key that uploaded it may
     * not review it, whatever its role; for a version stored before uploaders' keys were
     * recorded, the uploader's name is compared instead.
     */
    async record(
      sheetId: string,
      reviewer: Principal,
      decision: SheetReviewDecision,
      note: string | null,
    ): Promise<Outcome<SheetReview, SheetReviewFailure>> {
      const sheet = await db
        .selectFrom('price_sheets')
        .select(['uploaded_by', 'uploaded_by_key'])
        .where('id', '=', sheetId)
        .executeTakeFirst();
      if (!sheet) return failure({ reason: 'not_found' });
      const same =
        sheet.uploaded_by_key === null
          ? sheet.uploaded_by === reviewer.name
          : sheet.uploaded_by_key === reviewer.keyId;
      if (same) return failure({ reason: 'four_eyes', uploadedBy: sheet.uploaded_by });
      const row = await db
        .insertInto('price_sheet_reviews')
        .values({
          sheet_id: sheetId,
          reviewer_key: reviewer.keyId,
          reviewer_name: reviewer.name,
          decision,
          note,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return success(reviewView(row));
    },

    /**
     * The review state of each sheet a forecast uses, in source order, as of now: what a
     * forecast pins when it is created.
     */
    async sources(
      sources: readonly { readonly sheetId: string }[],
      quarters: ReadonlyMap<string, string>,
    ): Promise<SourceReview[]> {
      const states = await latest(sources.map((s) => s.sheetId));
      return sources.map(({ sheetId }) => {
        const state = states.get(sheetId);
        return {
          sheetId,
          quarter: quarters.get(sheetId) ?? '',
          status: state?.status ?? 'unreviewed',
          by: state?.by ?? null,
          at: state?.at ?? null,
          note: state?.note ?? null,
        };
      });
    },
  };
}

/** A sheet an approval should not take for granted: never reviewed, or refused. */
export interface UnreviewedSource {
  readonly sheetId: string;
  readonly quarter: string;
  readonly reason: 'unreviewed' | 'refused';
}

/**
 * The sheets of a forecast that were not accepted in review, from its `sourceReviews` (as
 * pinned, or as they stand now). A forecast made before reviews were pinned has `null`: its
 * sheets' review was not recorded, so each sheet it used (`usedSheets`, its forecast JSON's
 * `priceSheets`) counts as unreviewed.
 * @example unreviewedSources([{ sheetId: 'a', quarter: '2026-Q3', status: 'accepted', by: 'Salma', at: '…', note: null }, { sheetId: 'b', quarter: '2026-Q2', status: 'unreviewed', by: null, at: null, note: null }])
 * //=> [{ sheetId: 'b', quarter: '2026-Q2', reason: 'unreviewed' }]
 */
export function unreviewedSources(
  sourceReviews: readonly SourceReview[] | null | undefined,
  usedSheets: readonly { readonly id: string; readonly asOfQuarter: string | null }[] = [],
): UnreviewedSource[] {
  if (!sourceReviews)
    return usedSheets.map((s) => ({
      sheetId: s.id,
      quarter: s.asOfQuarter ?? '',
      reason: 'unreviewed' as const,
    }));
  return sourceReviews.flatMap((s) =>
    s.status === 'accepted' ? [] : [{ sheetId: s.sheetId, quarter: s.quarter, reason: s.status }],
  );
}
