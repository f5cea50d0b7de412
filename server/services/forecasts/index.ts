import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_DRAWS } from '../../../models/forecast.ts';
import type { ForecastJson } from '../../../models/forecast-json.ts';
import type { Variance } from '../../../models/variance.ts';
import type { ComputeContext, ComputePool } from '../../compute/pool.ts';
import type { Database, ForecastRow, ForecastStatus } from '../../db/schema.ts';
import { ENGINE_VERSION } from '../../version.ts';
import type { AssumptionsService } from '../assumptions.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import type { PriceSheetsService } from '../price-sheets/index.ts';
import {
  type ComputeDeps,
  compute,
  type ForecastFailure,
  type ForecastInput,
  forecastJson,
  joinProblemsOf,
  pinnedHash,
  type Unfit,
} from './compute.ts';
import { type Actor, forecastsRepository } from './repository.ts';
import type { ForecastRequest, ReviseRequest } from './request.ts';
import { type ReviewFailure, type ReviewInput, review, type Transition } from './review.ts';
import { reviseRequest } from './revise.ts';
import {
  type ForecastDetail,
  type ForecastEvent,
  type ForecastSummary,
  forecastDetail,
  forecastEvent,
  forecastSummary,
  pinnedOf,
  type StoredForecast,
} from './summary.ts';
import { type ForecastVariance, forecastVariance, type VarianceFailure } from './variance.ts';

export { type ApprovalBlocker, approvalBlockers } from './blockers.ts';
export type { ForecastFailure, Unfit } from './compute.ts';
export { type Actor, SERVICE_KEY_ID } from './repository.ts';
export {
  type ReviewFailure,
  type ReviewInput,
  TRANSITIONS,
  type Transition,
} from './review.ts';
export type {
  ForecastDetail,
  ForecastEvent,
  ForecastSummary,
  PinnedInputs,
  StoredForecast,
} from './summary.ts';
export type { ForecastVariance, VarianceFailure } from './variance.ts';

/** A stored forecast's workbook, and what names it. */
export interface ForecastWorkbook {
  readonly bytes: Buffer;
  readonly name: string;
  readonly quarter: string;
  readonly status: ForecastStatus;
  /** Whether the engine still computes exactly the stored forecast JSON. */
  readonly reproduced: boolean;
}

export type ForecastsService = ReturnType<typeof forecastsService>;

/** Why a rejected forecast could not be revised (besides the computation's failures). */
export type ReviseFailure =
  | { readonly reason: 'not_found' }
  /** Only a rejected forecast is revised. */
  | { readonly reason: 'not_rejected'; readonly status: ForecastStatus }
  /** A draft already revises it. */
  | { readonly reason: 'already_revised'; readonly by: string }
  | ForecastFailure;

/** The answer of GET /v1/quarters/:quarter. */
export interface QuarterForecasts {
  readonly quarter: string;
  /** The latest approved forecast, by approval time; null when none is approved. */
  readonly forecast: ForecastSummary | null;
  /** The earlier approved ones, latest approval first. */
  readonly supersedes: ForecastSummary[];
  /** In draft or in review, newest first. */
  readonly pending: ForecastSummary[];
}

/** A unique index refused the row (PostgreSQL's SQLSTATE 23505, on PGlite too). */
const isUniqueViolation = (e: unknown) =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/**
 * Forecasts: computed by the engine from pinned inputs, stored with their JSON, listed,
 * reviewed, and rendered as workbooks on demand from the same pinned inputs. Each method
 * answers a value — `null` for a forecast that is not stored, an `Outcome` with a reason
 * otherwise — and the routes decide what the client is told.
 */
export function forecastsService(
  db: Kysely<Database>,
  priceSheets: PriceSheetsService,
  assumptionSets: AssumptionsService,
  pool: ComputePool,
  opts: { readonly staleAfterQuarters?: number; readonly now?: () => Date } = {},
) {
  const repo = forecastsRepository(db);
  const deps: ComputeDeps = {
    priceSheets,
    assumptionSets,
    pool,
    staleAfterQuarters: opts.staleAfterQuarters,
    now: opts.now ?? (() => new Date()),
  };

  /** Computes and stores a forecast (a revision when `revises` is given). */
  async function store(
    req: ForecastInput,
    actor: Actor,
    revises: { readonly id: string; readonly note: string | null } | undefined,
    ctx?: ComputeContext,
  ): Promise<Outcome<StoredForecast, ForecastFailure>> {
    // Budgeted with the workbook it will be downloaded as.
    const computed = await forecastJson(deps, req, DEFAULT_DRAWS, true, { ...ctx, stored: true });
    if (!computed.ok) return computed;
    const { pinned, sheets, json } = computed.value;
    const result = json.toString('utf8');
    // Whether each sheet it used was reviewed, as it stands when the forecast is stored.
    const sourceReviews = await priceSheets.sourceReviews(pinned.sources);
    const stored = await repo.insert(randomUUID(), pinned, {
      engineVersion: ENGINE_VERSION,
      inputHash: pinnedHash(pinned, sheets),
      result,
      actor,
      revises,
      sourceReviews,
    });
    const facts = await repo.facts([stored.id]);
    return success({
      ...forecastSummary(stored, facts.get(stored.id)),
      forecast: JSON.parse(result) as ForecastJson,
    });
  }

  /** Summaries of rows, with what their events say. */
  async function summaries(rows: readonly ForecastRow[]): Promise<ForecastSummary[]> {
    const facts = await repo.facts(rows.map((r) => r.id));
    return rows.map((r) => forecastSummary(r, facts.get(r.id)));
  }

  return {
    /** The join problems of a request body that failed its schema (`joinProblemsOf`). */
    joinProblemsOf: (body: unknown) => joinProblemsOf(deps, body),

    /** Computes a forecast and returns its JSON, as UTF-8 bytes ready to send; stores nothing. */
    async whatIf(
      req: ForecastRequest,
      ctx?: ComputeContext,
    ): Promise<Outcome<Buffer, ForecastFailure>> {
      const computed = await forecastJson(deps, req, 0, req.sensitivity ?? false, ctx);
      return computed.ok ? success(computed.value.json) : computed;
    },

    /**
     * Computes a forecast and stores it with everything it used and its 'create' event, in
     * one transaction.
     */
    async create(
      req: ForecastRequest,
      actor: Actor,
      ctx?: ComputeContext,
    ): Promise<Outcome<StoredForecast, ForecastFailure>> {
      return store(req, actor, undefined, ctx);
    },

    /**
     * A new draft revising a rejected forecast: computed like `create` from the rejected
     * one's pinned inputs with the body's overrides (`reviseRequest`), linked to it by
     * `revises`, with a 'revise' event; `actor` is its creator.
     */
    async revise(
      id: string,
      body: ReviseRequest,
      actor: Actor,
      ctx?: ComputeContext,
    ): Promise<Outcome<StoredForecast, ReviseFailure>> {
      const r = await repo.byId(id);
      if (!r) return failure({ reason: 'not_found' });
      if (r.status !== 'rejected') return failure({ reason: 'not_rejected', status: r.status });
      const already = (await repo.facts([id])).get(id)?.revisedBy;
      if (already) return failure({ reason: 'already_revised', by: already });
      try {
        return await store(reviseRequest(r, body), actor, { id, note: body.note ?? null }, ctx);
      } catch (e) {
        // Another revision was stored meanwhile (the unique index on revises).
        if (!isUniqueViolation(e)) throw e;
        const by = (await repo.facts([id])).get(id)?.revisedBy;
        if (!by) throw e;
        return failure({ reason: 'already_revised', by });
      }
    },

    async list(filter: {
      readonly status?: ForecastStatus | undefined;
      readonly quarter?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ items: ForecastSummary[]; total: number }> {
      const { rows, total } = await repo.page(filter);
      return { items: await summaries(rows), total };
    },

    /** A forecast with its JSON and pinned inputs; null when it is not stored. */
    async get(id: string): Promise<ForecastDetail | null> {
      const r = await repo.byId(id);
      return r ? forecastDetail(r, (await repo.facts([id])).get(id)) : null;
    },

    /** A forecast's events, oldest first; null when it is not stored. */
    async history(id: string): Promise<ForecastEvent[] | null> {
      if (!(await repo.byId(id))) return null;
      return (await repo.events(id)).map(forecastEvent);
    },

    /**
     * The forecast of a quarter: its latest approved forecast (by approval time), the earlier
     * approved ones it supersedes, and those in draft or in review.
     */
    async quarter(quarter: string): Promise<QuarterForecasts> {
      const { approved, pending } = await repo.ofQuarter(quarter);
      const [latest = null, ...earlier] = await summaries(approved);
      return { quarter, forecast: latest, supersedes: earlier, pending: await summaries(pending) };
    },

    /** Moves a forecast through review (`TRANSITIONS`), with its event. */
    async transition(
      id: string,
      action: Transition,
      actor: Actor,
      input: ReviewInput,
    ): Promise<Outcome<ForecastSummary, ReviewFailure>> {
      const moved = await review(repo, id, action, actor, input, deps.now());
      if (!moved.ok) return moved;
      const [summary] = await summaries([moved.value]);
      // biome-ignore lint/style/noNonNullAssertion: one row in, one summary out
      return success(summary!);
    },
    /**
     * The variance bridge from `against` (default: the previous quarter's latest approved
     * forecast) to forecast `id` (services/forecasts/variance.ts).
     */
    variance: (
      id: string,
      against: string | undefined,
      ctx?: ComputeContext,
    ): Promise<Outcome<ForecastVariance, VarianceFailure>> =>
      forecastVariance(db, repo, deps, id, against, ctx),

    /**
     * The forecast's workbook, rendered again from its pinned inputs and generation time —
     * the same bytes every time; `reproduced` says whether the engine still computes exactly
     * the stored forecast JSON. With `variance` (the bridge from an earlier forecast to this
     * one, `variance(…)`'s `variance`) the workbook has a Changes sheet; without, none.
     */
    async workbook(
      id: string,
      locale: 'en' | 'fr',
      ctx?: ComputeContext,
      opts: { readonly variance?: Variance | undefined } = {},
    ): Promise<Outcome<ForecastWorkbook, { readonly reason: 'not_found' } | Unfit>> {
      const r = await repo.byId(id);
      if (!r) return failure({ reason: 'not_found' });
      const pinned = pinnedOf(r);
      const facts = (await repo.facts([id])).get(id);
      // In review, the workbook names the submission (its submit event); otherwise the
      // approval or rejection the row records.
      const submitted = r.status === 'in_review' && facts?.submittedBy;
      const acknowledgement = r.status === 'approved' ? facts?.acknowledgement : null;
      // Computed and rendered by the pool, so a download does not hold up other requests.
      const out = await compute(
        deps,
        pinned,
        await priceSheets.load(pinned.sources),
        {
          sensitivity: true,
          workbook: {
            locale,
            generatedAt: r.generated_at.toISOString(),
            engineVersion: r.engine_version,
            inputHash: r.input_hash,
            asOfQuarter: r.quarter,
            review: {
              status: r.status,
              createdBy: r.created_by,
              createdAt: r.created_at.toISOString(),
              reviewedBy: submitted ? (facts.submittedBy ?? null) : r.reviewed_by,
              reviewedAt: submitted
                ? (facts.submittedAt?.toISOString() ?? null)
                : (r.reviewed_at?.toISOString() ?? null),
              note: submitted ? facts.submitNote : r.review_note,
              ...(acknowledgement ? { acknowledgement } : {}),
            },
            sourceReviews: r.source_reviews,
            ...(opts.variance ? { variance: opts.variance } : {}),
          },
        },
        ctx,
      );
      if (!out.ok) return out;
      const { json, xlsx } = out.value;
      if (!xlsx) throw new Error('the compute pool answered without the workbook');
      return success({
        bytes: xlsx,
        name: r.name,
        quarter: r.quarter,
        status: r.status,
        reproduced: json.toString('utf8') === JSON.stringify(r.result),
      });
    },
  };
}
