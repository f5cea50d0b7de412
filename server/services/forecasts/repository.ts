import { type Kysely, sql } from 'kysely';
import type {
  Acknowledgement,
  Database,
  ForecastAction,
  ForecastEventRow,
  ForecastRow,
  ForecastStatus,
  SourceReview,
} from '../../db/schema.ts';
import type { PinnedInputs, ReviewFacts } from './summary.ts';

export type { ReviewFacts } from './summary.ts';

export type ForecastsRepository = ReturnType<typeof forecastsRepository>;

/**
 * The key id the service's own actions record (the sample forecast it loads at start): no
 * API key has it, so anyone may review what the service created.
 */
export const SERVICE_KEY_ID = '00000000-0000-0000-0000-000000000000';

/** Who did something: the key's id and name. */
export interface Actor {
  readonly keyId: string;
  readonly name: string;
}

const NO_FACTS: ReviewFacts = {
  revisedBy: null,
  submittedBy: null,
  submittedAt: null,
  submitNote: null,
  acknowledgement: null,
  approvedAt: null,
};

/** One event to append: the forecast's move from one status to another. */
interface NewEvent {
  readonly forecastId: string;
  readonly at: Date;
  readonly actor: Actor;
  readonly action: ForecastAction;
  readonly from: ForecastStatus | null;
  readonly to: ForecastStatus;
  readonly note: string | null;
  readonly acknowledgement?: Acknowledgement | null;
}

const appendEvent = (db: Kysely<Database>, e: NewEvent) =>
  db
    .insertInto('forecast_events')
    .values({
      forecast_id: e.forecastId,
      at: e.at,
      actor_key: e.actor.keyId,
      actor_name: e.actor.name,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      note: e.note,
      acknowledgement: e.acknowledgement ? JSON.stringify(e.acknowledgement) : null,
    })
    .execute();

/** The queries of stored forecasts and their events; rows come back as stored. */
export function forecastsRepository(db: Kysely<Database>) {
  return {
    byId(id: string): Promise<ForecastRow | undefined> {
      return db.selectFrom('forecasts').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** A page of forecasts, newest first, optionally of some statuses and one quarter. */
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

    /**
     * The forecasts of a quarter: the approved ones, latest approval first (by the time of
     * their approve event), then the others, newest first.
     */
    async ofQuarter(quarter: string): Promise<{ approved: ForecastRow[]; pending: ForecastRow[] }> {
      const approved = await db
        .selectFrom('forecasts as f')
        .leftJoin('forecast_events as e', (j) =>
          j.onRef('e.forecast_id', '=', 'f.id').on('e.action', '=', 'approve'),
        )
        .selectAll('f')
        .where('f.quarter', '=', quarter)
        .where('f.status', '=', 'approved')
        .orderBy(sql`coalesce(e.at, f.reviewed_at) desc nulls last`)
        .orderBy(sql`e.id desc nulls last`)
        .orderBy('f.id', 'desc')
        .execute();
      const pending = await db
        .selectFrom('forecasts')
        .selectAll()
        .where('quarter', '=', quarter)
        .where('status', 'in', ['draft', 'in_review'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return { approved, pending };
    },

    /** The events of a forecast, oldest first. */
    events(id: string): Promise<ForecastEventRow[]> {
      return db
        .selectFrom('forecast_events')
        .selectAll()
        .where('forecast_id', '=', id)
        .orderBy('id')
        .execute();
    },

    /** What the events of these forecasts say beyond their rows ({@link ReviewFacts}). */
    async facts(ids: readonly string[]): Promise<Map<string, ReviewFacts>> {
      const out = new Map<string, ReviewFacts>();
      if (ids.length === 0) return out;
      const [events, revisions] = await Promise.all([
        db
          .selectFrom('forecast_events')
          .select(['forecast_id', 'action', 'actor_name', 'at', 'note', 'acknowledgement'])
          .where('forecast_id', 'in', [...ids])
          .where('action', 'in', ['submit', 'approve'])
          .orderBy('id')
          .execute(),
        db
          .selectFrom('forecasts')
          .select(['id', 'revises'])
          .where('revises', 'in', [...ids])
          .execute(),
      ]);
      const get = (id: string) => out.get(id) ?? NO_FACTS;
      for (const e of events) {
        const f = get(e.forecast_id);
        out.set(
          e.forecast_id,
          e.action === 'submit'
            ? { ...f, submittedBy: e.actor_name, submittedAt: e.at, submitNote: e.note }
            : { ...f, acknowledgement: e.acknowledgement, approvedAt: e.at },
        );
      }
      for (const r of revisions)
        if (r.revises !== null) out.set(r.revises, { ...get(r.revises), revisedBy: r.id });
      return out;
    },

    /**
     * Stores a computed forecast with everything it used and its first event ('create', or
     * 'revise' for a draft revising a rejected forecast), in one transaction.
     */
    insert(
      id: string,
      p: PinnedInputs,
      computed: {
        readonly engineVersion: string;
        readonly inputHash: string;
        /** The forecast JSON, as text. */
        readonly result: string;
        readonly actor: Actor;
        /** The review state of each sheet it used, at creation. */
        readonly sourceReviews: readonly SourceReview[];
        /** The rejected forecast this one revises, and the reviser's note. */
        readonly revises?: { readonly id: string; readonly note: string | null } | undefined;
      },
    ): Promise<ForecastRow> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
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
            created_by: computed.actor.name,
            created_by_key: computed.actor.keyId,
            revises: computed.revises?.id ?? null,
            source_reviews: JSON.stringify(computed.sourceReviews),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await appendEvent(trx, {
          forecastId: id,
          at: row.created_at,
          actor: computed.actor,
          action: computed.revises ? 'revise' : 'create',
          from: null,
          to: 'draft',
          note: computed.revises?.note ?? null,
        });
        return row;
      });
    },

    /**
     * Runs `decide` on the forecast's row, locked, in a transaction; when it answers a move,
     * applies it and appends its event in the same transaction. Answers what `decide` did.
     */
    transition<F>(
      id: string,
      decide: (row: ForecastRow, trx: Kysely<Database>) => Promise<Move | F> | Move | F,
      isMove: (d: Move | F) => d is Move,
    ): Promise<{ row: ForecastRow; decision: Move | F } | undefined> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('forecasts')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!row) return undefined;
        const decision = await decide(row, trx);
        if (!isMove(decision)) return { row, decision };
        const m = decision;
        const updated = await trx
          .updateTable('forecasts')
          .set({
            status: m.to,
            ...(m.review
              ? { reviewed_by: m.actor.name, reviewed_at: m.at, review_note: m.note }
              : {}),
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await appendEvent(trx, {
          forecastId: id,
          at: m.at,
          actor: m.actor,
          action: m.action,
          from: row.status,
          to: m.to,
          note: m.note,
          acknowledgement: m.acknowledgement ?? null,
        });
        return { row: updated, decision };
      });
    },
  };
}

/** A status change to apply with its event. */
export interface Move {
  readonly kind: 'move';
  readonly action: ForecastAction;
  readonly to: ForecastStatus;
  readonly actor: Actor;
  readonly at: Date;
  readonly note: string | null;
  /** Whether reviewed_by, reviewed_at and review_note record it (approve, reject). */
  readonly review: boolean;
  readonly acknowledgement?: Acknowledgement | null;
}
