import {
  type Adjustment,
  adjustAssumptions,
  composeAdjustments,
  effectiveAdjustment,
} from '../../../models/adjust.ts';
import type { Assumptions } from '../../../models/assumptions.ts';
import { DEFAULT_SEED } from '../../../models/forecast.ts';
import { DEFAULT_STALE_AFTER_QUARTERS, forecastAsOfQuarter } from '../../../models/freshness.ts';
import type { PriceSheet } from '../../../models/price-sheet.ts';
import { joinProblems } from '../../../models/problems.ts';
import type { InputIssue } from '../../../models/result.ts';
import type { ComputeContext, ComputePool, ComputeRequest } from '../../compute/pool.ts';
import type { PriceSource } from '../../db/schema.ts';
import { inputHash } from '../../input-hash.ts';
import type { AssumptionsService } from '../assumptions.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import type { PriceSheetsService } from '../price-sheets/index.ts';
import { type ForecastRequest, forecastRequestShape } from './request.ts';
import type { PinnedInputs } from './summary.ts';

/** The inputs and price sheets do not fit together: the engine's issues. */
export type Unfit = { readonly reason: 'unfit'; readonly issues: readonly InputIssue[] };

/** Why a forecast could not be computed. */
export type ForecastFailure =
  | { readonly reason: 'assumptions_not_found'; readonly id: string }
  | { readonly reason: 'sheets_not_found'; readonly ids: readonly string[] }
  /**
   * No price sheet was uploaded for the `asOf` quarter or before (`refused`: how many were,
   * but were refused in review).
   */
  | { readonly reason: 'no_prices'; readonly quarter: string; readonly refused: number }
  /** Named sheets whose latest review refused them: at their index in `priceSheetIds`. */
  | {
      readonly reason: 'sheets_refused';
      readonly sheets: readonly {
        readonly index: number;
        readonly id: string;
        readonly by: string;
        readonly at: string;
        readonly note: string | null;
      }[];
    }
  /** The request's `adjust` takes workloads out of bounds (an efficiency reaching 1). */
  | { readonly reason: 'adjust_out_of_bounds'; readonly issues: readonly InputIssue[] }
  | Unfit;

/**
 * A request as the service computes it: a body, and for a revision the what-if adjustment
 * that the assumptions it names carry already (services/forecasts/revise.ts).
 */
export interface ForecastInput extends ForecastRequest {
  /**
   * The adjustment of the forecast revised: already in its pinned inline assumptions
   * (`applied`), else applied to its stored set first. Never applied twice; recorded with
   * the request's own `adjust`, applied after it, as one (`composeAdjustments`).
   */
  readonly carried?: { readonly adjustment: Adjustment; readonly applied: boolean } | undefined;
}

/** What the compute pool answered: the forecast JSON as UTF-8 bytes, and the workbook if asked. */
export interface Computed {
  readonly json: Buffer;
  readonly xlsx: Buffer | null;
}

const bytes = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The hash stated on the workbook: of the validated inputs and the price rows themselves. */
export const pinnedHash = (p: PinnedInputs, sheets: readonly PriceSheet[]) =>
  inputHash({
    assumptions: p.assumptions,
    sheets,
    scenarios: p.scenarios?.scenarios,
    ranges: p.scenarios?.sensitivity,
    draws: p.draws,
    seed: p.seed,
  });

/** What computing forecasts needs: the price sheets, the assumption sets, the pool, a clock. */
export interface ComputeDeps {
  readonly priceSheets: PriceSheetsService;
  readonly assumptionSets: AssumptionsService;
  readonly pool: ComputePool;
  /** The server's staleness threshold (COSTCAST_STALE_AFTER_QUARTERS). */
  readonly staleAfterQuarters?: number | undefined;
  readonly now: () => Date;
}

/**
 * A field the request schema's refinement guarantees where it is read (exactly one of
 * assumptions and assumptionsId; asOf when priceSheetIds is absent): its absence is a bug.
 */
function validated<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`a forecast request without ${field} passed validation`);
  return value;
}

/** The assumptions a request names: inline, or a stored set (with its id). */
async function assumptionsOf(
  deps: ComputeDeps,
  req: ForecastRequest,
): Promise<Outcome<{ assumptions: Assumptions; setId: string | null }, ForecastFailure>> {
  if (req.assumptionsId === undefined)
    return success({ assumptions: validated(req.assumptions, 'assumptions'), setId: null });
  const set = await deps.assumptionSets.get(req.assumptionsId);
  if (!set) return failure({ reason: 'assumptions_not_found', id: req.assumptionsId });
  return success({ assumptions: set.assumptions, setId: set.id });
}

/** The providers the workloads use, fallbacks included. */
const providersUsed = (assumptions: Assumptions) =>
  assumptions.workloads.flatMap((w) => [w.provider, ...(w.fallback ? [w.fallback.provider] : [])]);

/** The price sources a request names: listed versions, or the newest as of a quarter. */
async function sourcesOf(
  deps: ComputeDeps,
  req: ForecastRequest,
  assumptions: Assumptions,
): Promise<Outcome<PriceSource[], ForecastFailure>> {
  if (req.priceSheetIds !== undefined) {
    const missing = await deps.priceSheets.missing(req.priceSheetIds);
    if (missing.length > 0) return failure({ reason: 'sheets_not_found', ids: missing });
    // A sheet refused in review prices no forecast, even when named.
    const states = await deps.priceSheets.reviewStates(req.priceSheetIds);
    const refused = req.priceSheetIds.flatMap((id, index) => {
      const state = states.get(id);
      return state?.status === 'refused'
        ? [{ index, id, by: state.by, at: state.at, note: state.note }]
        : [];
    });
    if (refused.length > 0) return failure({ reason: 'sheets_refused', sheets: refused });
    return success(req.priceSheetIds.map((sheetId) => ({ sheetId, providers: null })));
  }
  const used = providersUsed(assumptions);
  const asOf = validated(req.asOf, 'asOf');
  const sources = await deps.priceSheets.latestAsOf(asOf, used);
  if (sources.length === 0)
    return failure({
      reason: 'no_prices',
      quarter: asOf,
      refused: (await deps.priceSheets.refusedAsOf(asOf, used)).length,
    });
  return success(sources);
}

/** Resolves a request to pinned inputs and the price sheets they name. */
async function resolve(
  deps: ComputeDeps,
  req: ForecastInput,
  defaultDraws: number,
): Promise<Outcome<{ pinned: PinnedInputs; sheets: readonly PriceSheet[] }, ForecastFailure>> {
  const named = await assumptionsOf(deps, req);
  if (!named.ok) return named;
  const { setId } = named.value;
  // A revision's carried adjustment, on the stored set it was computed from (a set never
  // changes: what passed then passes now).
  const { carried } = req;
  const before = adjustAssumptions(
    named.value.assumptions,
    carried && !carried.applied ? carried.adjustment : null,
  );
  if (!before.ok) return failure({ reason: 'adjust_out_of_bounds', issues: before.issues });
  // The what-if's multipliers, applied before anything else: what is pinned is what is computed.
  const own = effectiveAdjustment(req.adjust);
  const adjusted = adjustAssumptions(before.value, own);
  if (!adjusted.ok) return failure({ reason: 'adjust_out_of_bounds', issues: adjusted.issues });
  const assumptions = adjusted.value;
  const adjustment = composeAdjustments(carried?.adjustment ?? null, own);
  const sources = await sourcesOf(deps, req, assumptions);
  if (!sources.ok) return sources;
  const sheets = await deps.priceSheets.load(sources.value);
  const generatedAt = deps.now();
  return success({
    pinned: {
      name: req.name ?? assumptions.name,
      // The one rule (models/freshness.ts): asOf, else the quarter of generation.
      quarter: forecastAsOfQuarter(req.asOf, generatedAt),
      generatedAt,
      staleAfterQuarters:
        req.staleAfterQuarters ?? deps.staleAfterQuarters ?? DEFAULT_STALE_AFTER_QUARTERS,
      assumptionSetId: setId,
      assumptions,
      scenarios: req.scenarios ?? null,
      sources: sources.value,
      draws: req.draws ?? defaultDraws,
      seed: req.seed ?? DEFAULT_SEED,
      adjustment,
    },
    sheets,
  });
}

/**
 * The one call to the compute pool: the forecast of pinned inputs (and its workbook when
 * `extra.workbook` asks for it), or the engine's issues when the inputs do not fit.
 */
export async function compute(
  deps: ComputeDeps,
  p: PinnedInputs,
  sheets: readonly PriceSheet[],
  extra: Pick<ComputeRequest, 'sensitivity' | 'assumptionsKey' | 'workbook'>,
  ctx?: ComputeContext,
): Promise<Outcome<Computed, Unfit>> {
  const out = await deps.pool.forecast(
    {
      assumptions: p.assumptions,
      sheets,
      scenarios: p.scenarios,
      draws: p.draws,
      seed: p.seed,
      asOfQuarter: p.quarter,
      staleAfterQuarters: p.staleAfterQuarters,
      ...(p.adjustment ? { adjustment: p.adjustment } : {}),
      ...extra,
    },
    ctx,
  );
  if (out.kind === 'invalid') return failure({ reason: 'unfit', issues: out.issues });
  return success({ json: bytes(out.json), xlsx: out.xlsx ? bytes(out.xlsx) : null });
}

/** The forecast JSON of a request (UTF-8 bytes), with the inputs it pinned and their sheets. */
export async function forecastJson(
  deps: ComputeDeps,
  req: ForecastInput,
  defaultDraws: number,
  sensitivity: boolean,
  ctx?: ComputeContext,
): Promise<
  Outcome<{ pinned: PinnedInputs; sheets: readonly PriceSheet[]; json: Buffer }, ForecastFailure>
> {
  const resolved = await resolve(deps, req, defaultDraws);
  if (!resolved.ok) return resolved;
  const { pinned, sheets } = resolved.value;
  const computed = await compute(
    deps,
    pinned,
    sheets,
    {
      sensitivity,
      // A stored set never changes: the workers keep it, and its model, under its id (not
      // when adjusted: those assumptions are the set's no longer, and go with the task).
      ...(pinned.assumptionSetId === null || pinned.adjustment !== null
        ? {}
        : { assumptionsKey: `assumption-set:${pinned.assumptionSetId}` }),
    },
    ctx,
  );
  if (!computed.ok) return req.asOf === undefined ? computed : withRefused(deps, pinned, computed);
  return success({ pinned, sheets, json: computed.value.json });
}

/** The most refused versions an unfit "as of" forecast names. */
const MAX_REFUSED_LISTED = 20;

/**
 * An "as of" forecast that does not fit its prices, told with the versions of its providers
 * left out because review refused them: a SKU "in none of the price sheets" may be in one.
 */
async function withRefused(
  deps: ComputeDeps,
  p: PinnedInputs,
  unfit: Unfit,
): Promise<{ readonly ok: false } & Unfit> {
  const refused = await deps.priceSheets.refusedAsOf(p.quarter, providersUsed(p.assumptions));
  if (refused.length === 0) return failure(unfit);
  return failure({
    reason: 'unfit',
    issues: [
      ...unfit.issues,
      ...refused.slice(0, MAX_REFUSED_LISTED).map((v) => ({
        field: 'asOf',
        value: v.id,
        message: `left out: price sheet ${v.id} (${v.fileName}, ${v.providers.join(', ')}) was refused by ${v.review.by} on ${v.review.at.slice(0, 10)}${v.review.note ? `: ${v.review.note}` : ''}`,
      })),
    ],
  });
}

/**
 * The price sheets a request body that failed its schema names, when that much of it is
 * valid (existing ids, or a quarter), to check its valid workloads against.
 */
async function sheetsOf(deps: ComputeDeps, body: Record<string, unknown>, assumptions: unknown) {
  const { priceSheets } = deps;
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

/**
 * The problems of a request body that failed its schema, beyond its schema's: the SKUs,
 * units and FX rates of its valid workloads checked against the price sheets it names
 * (paths `assumptions.workloads.…` when the assumptions are inline). None when too little
 * of the body is valid to tell.
 */
export async function joinProblemsOf(deps: ComputeDeps, body: unknown): Promise<InputIssue[]> {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as Record<string, unknown>;
  let assumptions: unknown = b.assumptions;
  if (assumptions === undefined && typeof b.assumptionsId === 'string') {
    const id = forecastRequestShape.assumptionsId.safeParse(b.assumptionsId);
    const set = id.success && id.data ? await deps.assumptionSets.get(id.data) : undefined;
    assumptions = set?.assumptions;
  }
  if (assumptions === undefined) return [];
  const sheets = await sheetsOf(deps, b, assumptions);
  if (!sheets) return [];
  return joinProblems(assumptions, sheets).map((i) => ({
    ...i,
    ...(i.field === undefined || b.assumptions === undefined
      ? {}
      : { field: `assumptions.${i.field}` }),
  }));
}
