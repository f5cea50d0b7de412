import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Assumptions } from '../../models/assumptions.ts';
import { DEFAULT_DRAWS, DEFAULT_SEED } from '../../models/forecast.ts';
import type { ForecastJson } from '../../models/forecast-json.ts';
import { DEFAULT_STALE_AFTER_QUARTERS, forecastAsOfQuarter } from '../../models/freshness.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { joinProblems } from '../../models/problems.ts';
import type { InputIssue } from '../../models/result.ts';
import type { ScenariosFile } from '../../models/scenarios.ts';
import type { ComputePool } from '../compute/pool.ts';
import type { Database, ForecastRow, ForecastStatus, PriceSource } from '../db/schema.ts';
import { HttpError, inputError, toApiIssues } from '../errors.ts';
import { inputHash } from '../input-hash.ts';
import { type ForecastRequest, forecastRequestShape } from '../schemas/forecasts.ts';
import { ENGINE_VERSION } from '../version.ts';
import { contentDisposition } from '../workbook.ts';
import type { AssumptionsService } from './assumptions.ts';
import type { PriceSheetsService } from './price-sheets/index.ts';

/** Everything a forecast used, pinned so that it can be computed again exactly. */
export interface PinnedInputs {
  readonly name: string;
  readonly quarter: string;
  readonly assumptionSetId: string | null;
  readonly assumptions: Assumptions;
  readonly scenarios: ScenariosFile | null;
  readonly sources: readonly PriceSource[];
  readonly draws: number;
  readonly seed: number;
  /** When it is computed; its quarter is the as-of quarter unless `asOf` was given. */
  readonly generatedAt: Date;
  readonly staleAfterQuarters: number;
}

export interface ForecastSummary {
  readonly id: string;
  readonly name: string;
  readonly quarter: string;
  readonly staleAfterQuarters: number;
  readonly status: ForecastStatus;
  readonly currency: string;
  readonly totals: { scenarioId: string; name: string; total: string }[];
  readonly assumptionsId: string | null;
  readonly priceSheets: { id: string; providers: string[] | null }[];
  readonly priceSelection: 'listed' | 'latest';
  readonly draws: number;
  readonly seed: number;
  readonly generatedAt: string;
  readonly engineVersion: string;
  readonly inputHash: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
  readonly reviewNote: string | null;
}

export interface StoredForecast extends ForecastSummary {
  readonly forecast: ForecastJson;
}

export interface ForecastDetail extends StoredForecast {
  readonly inputs: { readonly assumptions: Assumptions; readonly scenarios: ScenariosFile | null };
}

/** Review transitions: from which statuses each action moves a forecast, and where to. */
export const TRANSITIONS = {
  submit: { from: ['draft', 'rejected'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review'], to: 'rejected' },
} as const satisfies Record<string, { from: readonly ForecastStatus[]; to: ForecastStatus }>;
export type Transition = keyof typeof TRANSITIONS;

function summary(r: ForecastRow): ForecastSummary {
  const json = r.result as ForecastJson;
  return {
    id: r.id,
    name: r.name,
    quarter: r.quarter,
    staleAfterQuarters: r.stale_after_quarters ?? DEFAULT_STALE_AFTER_QUARTERS,
    status: r.status,
    currency: json.currency,
    totals: json.scenarios.map((s) => ({ scenarioId: s.id, name: s.name, total: s.total })),
    assumptionsId: r.assumption_set_id,
    priceSheets: r.price_sources.map((s) => ({
      id: s.sheetId,
      providers: s.providers ? [...s.providers] : null,
    })),
    priceSelection: r.price_sources.some((s) => s.latest) ? 'latest' : 'listed',
    draws: r.draws,
    seed: Number(r.seed),
    generatedAt: r.generated_at.toISOString(),
    engineVersion: r.engine_version,
    inputHash: r.input_hash,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    reviewNote: r.review_note,
  };
}

export type ForecastsService = ReturnType<typeof forecastsService>;

/**
 * Forecasts: computed by the engine from pinned inputs, stored with their JSON, listed,
 * reviewed, and rendered as workbooks on demand from the same pinned inputs.
 */
export function forecastsService(
  db: Kysely<Database>,
  priceSheets: PriceSheetsService,
  assumptionSets: AssumptionsService,
  pool: ComputePool,
  opts: { readonly staleAfterQuarters?: number; readonly now?: () => Date } = {},
) {
  const now = opts.now ?? (() => new Date());
  /** Resolves a request to pinned inputs and the price sheets they name. */
  async function resolve(
    req: ForecastRequest,
    defaultDraws: number,
  ): Promise<{ pinned: PinnedInputs; sheets: readonly PriceSheet[] }> {
    let assumptions: Assumptions;
    let assumptionSetId: string | null = null;
    if (req.assumptionsId !== undefined) {
      const set = await assumptionSets.get(req.assumptionsId);
      if (!set)
        throw new HttpError(404, 'not_found', `assumption set ${req.assumptionsId} was not found`);
      assumptions = set.assumptions;
      assumptionSetId = set.id;
    } else assumptions = req.assumptions!;

    let sources: PriceSource[];
    if (req.priceSheetIds !== undefined) {
      const missing = await priceSheets.missing(req.priceSheetIds);
      if (missing.length > 0)
        throw new HttpError(404, 'not_found', `price sheet(s) not found: ${missing.join(', ')}`);
      sources = req.priceSheetIds.map((sheetId) => ({ sheetId, providers: null }));
    } else {
      const used = assumptions.workloads.flatMap((w) => [
        w.provider,
        ...(w.fallback ? [w.fallback.provider] : []),
      ]);
      sources = await priceSheets.latestAsOf(req.asOf!, used);
      if (sources.length === 0)
        throw new HttpError(
          422,
          'invalid_forecast_input',
          `no price sheet was uploaded for ${req.asOf} or before`,
        );
    }
    const sheets = await priceSheets.load(sources);
    const generatedAt = now();
    return {
      pinned: {
        name: req.name ?? assumptions.name,
        // The one rule (models/freshness.ts): asOf, else the quarter of generation.
        quarter: forecastAsOfQuarter(req.asOf, generatedAt),
        generatedAt,
        staleAfterQuarters:
          req.staleAfterQuarters ?? opts.staleAfterQuarters ?? DEFAULT_STALE_AFTER_QUARTERS,
        assumptionSetId,
        assumptions,
        scenarios: req.scenarios ?? null,
        sources,
        draws: req.draws ?? defaultDraws,
        seed: req.seed ?? DEFAULT_SEED,
      },
      sheets,
    };
  }

  const unfit = (issues: readonly InputIssue[]) =>
    inputError(
      422,
      'invalid_forecast_input',
      'the assumptions, scenarios and price sheets do not fit together',
      issues,
    );

  /** The forecast JSON as UTF-8 bytes, computed by the pool; input mismatches are a 422. */
  async function computeJson(
    p: PinnedInputs,
    sheets: readonly PriceSheet[],
    sensitivity: boolean,
  ): Promise<Buffer> {
    const out = await pool.forecast({
      assumptions: p.assumptions,
      // A stored set never changes: the workers keep it, and its model, under its id.
      ...(p.assumptionSetId === null
        ? {}
        : { assumptionsKey: `assumption-set:${p.assumptionSetId}` }),
      sheets,
      scenarios: p.scenarios,
      draws: p.draws,
      seed: p.seed,
      sensitivity,
      asOfQuarter: p.quarter,
      staleAfterQuarters: p.staleAfterQuarters,
    });
    if (out.kind === 'invalid') throw unfit(out.issues);
    return Buffer.from(out.json.buffer, out.json.byteOffset, out.json.byteLength);
  }

  /** The hash stated on the workbook: of the validated inputs and the price rows themselves. */
  const hash = (p: PinnedInputs, sheets: readonly PriceSheet[]) =>
    inputHash({
      assumptions: p.assumptions,
      sheets,
      scenarios: p.scenarios?.scenarios,
      ranges: p.scenarios?.sensitivity,
      draws: p.draws,
      seed: p.seed,
    });

  async function row(id: string): Promise<ForecastRow> {
    const r = await db.selectFrom('forecasts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new HttpError(404, 'not_found', `forecast ${id} was not found`);
    return r;
  }

  /**
   * The price sheets a request body that failed its schema names, when that much of it is
   * valid (existing ids, or a quarter), to check its valid workloads against.
   */
  async function sheetsOf(body: Record<string, unknown>, assumptions: unknown) {
    const ids = forecastRequestShape.priceSheetIds.safeParse(body.priceSheetIds);
    if (ids.success && ids.data) {
      if ((await priceSheets.missing(ids.data)).length > 0) return null;
      return priceSheets.load(ids.data.map((sheetId) => ({ sheetId, providers: null })));
    }
    const asOf = forecastRequestShape.asOf.safeParse(body.asOf);
    const workloads = (assumptions as { workloads?: unknown }).workloads;
    if (!asOf.success || !asOf.data || !Array.isArray(workloads)) return null;
    const used = workloads.flatMap((w: { provider?: unknown; fallback?: { provider?: unknown } }) =>
      [w?.provider, w?.fallback?.provider].filter((p): p is string => typeof p === 'string'),
    );
    const sources = await priceSheets.latestAsOf(asOf.data, used);
    return sources.length === 0 ? null : priceSheets.load(sources);
  }

  return {
    /**
     * A request that failed its schema, told with every other problem found in the same
     * pass: the SKUs, units and FX rates of its valid workloads checked against the price
     * sheets it names (paths `assumptions.workloads.…`). Any other error comes back as it is.
     */
    async withJoinProblems(error: Error, body: unknown): Promise<Error> {
      if (!(error instanceof HttpError) || !error.issues) return error;
      if (typeof body !== 'object' || body === null) return error;
      const b = body as Record<string, unknown>;
      let assumptions: unknown = b.assumptions;
      if (assumptions === undefined && typeof b.assumptionsId === 'string') {
        const id = forecastRequestShape.assumptionsId.safeParse(b.assumptionsId);
        const set = id.success && id.data ? await assumptionSets.get(id.data) : undefined;
        assumptions = set?.assumptions;
      }
      if (assumptions === undefined) return error;
      const sheets = await sheetsOf(b, assumptions);
      if (!sheets) return error;
      const more = joinProblems(assumptions, sheets).map((i) => ({
        ...i,
        ...(i.field === undefined || b.assumptions === undefined
          ? {}
          : { field: `assumptions.${i.field}` }),
      }));
      if (more.length === 0) return error;
      const added = toApiIssues(more);
      return new HttpError(error.statusCode, error.code, error.message, {
        list: [...error.issues, ...added.list],
        count: (error.issueCount ?? error.issues.length) + added.count,
      });
    },

    /** Computes a forecast and returns its JSON, as UTF-8 bytes ready to send; stores nothing. */
    async whatIf(req: ForecastRequest): Promise<Buffer> {
      const { pinned, sheets } = await resolve(req, 0);
      return computeJson(pinned, sheets, req.sensitivity ?? false);
    },

    /** Computes a forecast and stores it with everything it used, in one statement. */
    async create(req: ForecastRequest, createdBy: string): Promise<StoredForecast> {
      const { pinned, sheets } = await resolve(req, DEFAULT_DRAWS);
      const result = (await computeJson(pinned, sheets, true)).toString('utf8');
      const stored = await db
        .insertInto('forecasts')
        .values({
          id: randomUUID(),
          name: pinned.name,
          quarter: pinned.quarter,
          assumption_set_id: pinned.assumptionSetId,
          assumptions: JSON.stringify(pinned.assumptions),
          scenarios: pinned.scenarios === null ? null : JSON.stringify(pinned.scenarios),
          price_sources: JSON.stringify(pinned.sources),
          draws: pinned.draws,
          seed: pinned.seed,
          generated_at: pinned.generatedAt,
          stale_after_quarters: pinned.staleAfterQuarters,
          engine_version: ENGINE_VERSION,
          input_hash: hash(pinned, sheets),
          result,
          created_by: createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ...summary(stored), forecast: JSON.parse(result) as ForecastJson };
    },

    async list(filter: {
      readonly status?: ForecastStatus | undefined;
      readonly quarter?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ items: ForecastSummary[]; total: number }> {
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
      return { items: rows.map(summary), total: Number(total.n) };
    },

    async get(id: string): Promise<ForecastDetail> {
      const r = await row(id);
      return {
        ...summary(r),
        forecast: r.result as ForecastJson,
        inputs: {
          assumptions: r.assumptions as Assumptions,
          scenarios: (r.scenarios as ScenariosFile | null) ?? null,
        },
      };
    },

    /** Moves a forecast through review; a 409 when its status does not allow the action. */
    async transition(
      id: string,
      action: Transition,
      by: string,
      note: string | undefined,
    ): Promise<ForecastSummary> {
      const t = TRANSITIONS[action];
      const updated = await db
        .updateTable('forecasts')
        .set({ status: t.to, reviewed_by: by, reviewed_at: new Date(), review_note: note ?? null })
        .where('id', '=', id)
        .where('status', 'in', [...t.from])
        .returningAll()
        .executeTakeFirst();
      if (updated) return summary(updated);
      const current = await row(id);
      throw new HttpError(
        409,
        'conflict',
        `cannot ${action} a forecast that is ${current.status.replace('_', ' ')} (only from ${t.from.join(' or ').replace('_', ' ')})`,
      );
    },

    /**
     * The forecast's workbook, rendered again from its pinned inputs and generation time —
     * the same bytes every time; `reproduced` says whether the engine still computes exactly
     * the stored forecast JSON.
     */
    async workbook(
      id: string,
      locale: 'en' | 'fr',
    ): Promise<{ bytes: Buffer; disposition: string; reproduced: boolean }> {
      const r = await row(id);
      const pinned: PinnedInputs = {
        name: r.name,
        quarter: r.quarter,
        assumptionSetId: r.assumption_set_id,
        assumptions: r.assumptions as Assumptions,
        scenarios: (r.scenarios as ScenariosFile | null) ?? null,
        sources: r.price_sources,
        draws: r.draws,
        seed: Number(r.seed),
        generatedAt: r.generated_at,
        staleAfterQuarters: r.stale_after_quarters ?? DEFAULT_STALE_AFTER_QUARTERS,
      };
      // Computed and rendered by the pool, so a download does not hold up other requests.
      const out = await pool.forecast({
        assumptions: pinned.assumptions,
        sheets: await priceSheets.load(pinned.sources),
        scenarios: pinned.scenarios,
        draws: pinned.draws,
        seed: pinned.seed,
        sensitivity: true,
        asOfQuarter: pinned.quarter,
        staleAfterQuarters: pinned.staleAfterQuarters,
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
        },
      });
      if (out.kind === 'invalid') throw unfit(out.issues);
      const { json, xlsx } = out;
      if (!xlsx) throw new Error('the compute pool answered without the workbook');
      return {
        bytes: Buffer.from(xlsx.buffer, xlsx.byteOffset, xlsx.byteLength),
        disposition: contentDisposition(r.name, r.quarter, r.status, locale),
        reproduced:
          Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8') ===
          JSON.stringify(r.result),
      };
    },
  };
}
