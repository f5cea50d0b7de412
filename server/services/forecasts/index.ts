import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_DRAWS } from '../../../models/forecast.ts';
import type { ForecastJson } from '../../../models/forecast-json.ts';
import type { Variance } from '../../../models/variance.ts';
import type { ComputeContext, ComputePool } from '../../compute/pool.ts';
import type { Database, ForecastStatus } from '../../db/schema.ts';
import type { ForecastRequest } from '../../http/schemas/forecasts.ts';
import { ENGINE_VERSION } from '../../version.ts';
import type { AssumptionsService } from '../assumptions.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import type { PriceSheetsService } from '../price-sheets/index.ts';
import {
  type ComputeDeps,
  compute,
  type ForecastFailure,
  forecastJson,
  joinProblemsOf,
  pinnedHash,
  type Unfit,
} from './compute.ts';
import { forecastsRepository } from './repository.ts';
import { review, type Transition } from './review.ts';
import {
  type ForecastDetail,
  type ForecastSummary,
  forecastDetail,
  forecastSummary,
  pinnedOf,
  type StoredForecast,
} from './summary.ts';

export type { ForecastFailure, Unfit } from './compute.ts';
export { type ReviewFailure, TRANSITIONS, type Transition } from './review.ts';
export type {
  ForecastDetail,
  ForecastSummary,
  PinnedInputs,
  StoredForecast,
} from './summary.ts';

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

    /** Computes a forecast and stores it with everything it used, in one statement. */
    async create(
      req: ForecastRequest,
      createdBy: string,
      ctx?: ComputeContext,
    ): Promise<Outcome<StoredForecast, ForecastFailure>> {
      // Budgeted with the workbook it will be downloaded as.
      const computed = await forecastJson(deps, req, DEFAULT_DRAWS, true, { ...ctx, stored: true });
      if (!computed.ok) return computed;
      const { pinned, sheets, json } = computed.value;
      const result = json.toString('utf8');
      const stored = await repo.insert(randomUUID(), pinned, {
        engineVersion: ENGINE_VERSION,
        inputHash: pinnedHash(pinned, sheets),
        result,
        createdBy,
      });
      return success({ ...forecastSummary(stored), forecast: JSON.parse(result) as ForecastJson });
    },

    async list(filter: {
      readonly status?: ForecastStatus | undefined;
      readonly quarter?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ items: ForecastSummary[]; total: number }> {
      const { rows, total } = await repo.page(filter);
      return { items: rows.map(forecastSummary), total };
    },

    /** A forecast with its JSON and pinned inputs; null when it is not stored. */
    async get(id: string): Promise<ForecastDetail | null> {
      const r = await repo.byId(id);
      return r ? forecastDetail(r) : null;
    },

    /** Moves a forecast through review (`TRANSITIONS`). */
    transition: (id: string, action: Transition, by: string, note: string | undefined) =>
      review(repo, id, action, by, note),

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
              reviewedBy: r.reviewed_by,
              reviewedAt: r.reviewed_at?.toISOString() ?? null,
              note: r.review_note,
            },
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
