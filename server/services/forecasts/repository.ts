import type { Kysely } from 'kysely';
import type { Database, ForecastRow, ForecastStatus, SourceReview } from '../../db/schema.ts';
import type { PinnedInputs } from './summary.ts';

export type ForecastsRepository = ReturnType<typeof forecastsRepository>;

/** The queries of stored forecasts; rows come back as stored. */
export function forecastsRepository(db: Kysely<Database>) {
  return {
    byId(id: string): Promise<ForecastRow | undefined> {
      return db.selectFrom('forecasts').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** A page of forecasts, newest first, optionally of one status and one quarter. */
    async page(filter: {
      readonly status?: ForecastStatus | undefined;
      readonly quarter?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ rows: ForecastRow[]; total: number }> {
      let q = db.selectFrom('forecasts');
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      if (filter.quarter !== undefined) q = q.where('quarter', '=', filter.quarter);
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        q.select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    /** Stores a computed forecast with everything it used, in one statement. */
    insert(
      id: string,
      p: PinnedInputs,
      computed: {
        readonly engineVersion: string;
        readonly inputHash: string;
        /** The forecast JSON, as text. */
        readonly result: string;
        readonly createdBy: string;
        /** The review state of each sheet it used, at creation. */
        readonly sourceReviews: readonly SourceReview[];
      },
    ): Promise<ForecastRow> {
      return db
        .insertInto('forecasts')
        .values({
          id,
          name: p.name,
          quarter: p.quarter,
          assumption_set_id: p.assumptionSetId,
          assumptions: JSON.stringify(p.assumptions),
          scenarios: p.scenarios === null ? null : JSON.stringify(p.scenarios),
          price_sources: JSON.stringify(p.sources),
          draws: p.draws,
          seed: p.seed,
          generated_at: p.generatedAt,
          stale_after_quarters: p.staleAfterQuarters,
          engine_version: computed.engineVersion,
          input_hash: computed.inputHash,
          result: computed.result,
          created_by: computed.createdBy,
          source_reviews: JSON.stringify(computed.sourceReviews),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** Moves a forecast to `to` when its status is one of `from`; undefined when it is not. */
    review(
      id: string,
      from: readonly ForecastStatus[],
      to: ForecastStatus,
      by: string,
      note: string | null,
    ): Promise<ForecastRow | undefined> {
      return db
        .updateTable('forecasts')
        .set({ status: to, reviewed_by: by, reviewed_at: new Date(), review_note: note })
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst();
    },
  };
}
