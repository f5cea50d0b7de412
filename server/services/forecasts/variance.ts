import type { Kysely } from 'kysely';
import { parseQuarter } from '../../../models/quarters.ts';
import type { Variance } from '../../../models/variance.ts';
import type { ComputeContext } from '../../compute/pool.ts';
import type { Database, ForecastRow, ForecastStatus } from '../../db/schema.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import type { ComputeDeps, Unfit } from './compute.ts';
import { type ForecastsRepository, forecastsRepository } from './repository.ts';
import { pinnedOf } from './summary.ts';

/** A forecast the bridge compares, as the answer names it. */
export interface VarianceForecast {
  readonly id: string;
  readonly name: string;
  readonly quarter: string;
  readonly status: ForecastStatus;
}

export interface ForecastVariance {
  /** The new forecast: the one asked about. */
  readonly forecast: VarianceForecast;
  /** The old one: `?against=`, else the previous quarter's latest approved forecast. */
  readonly against: VarianceForecast & {
    readonly chosenBy: 'against' | 'previous-quarter-approved';
  };
  readonly variance: Variance;
}

export type VarianceFailure =
  | { readonly reason: 'not_found'; readonly id: string; readonly role: 'forecast' | 'against' }
  /** `against` absent and no forecast of the previous quarter is approved. */
  | { readonly reason: 'no_previous'; readonly quarter: string; readonly previous: string }
  | Unfit;

/**
 * The quarter before `quarter`.
 * @example previousQuarter('2027-Q1') //=> '2026-Q4'
 */
export function previousQuarter(quarter: string): string {
  const q = parseQuarter(quarter);
  if (!q) throw new RangeError(`not a quarter: ${quarter}`);
  return q.quarter === 1 ? `${q.year - 1}-Q4` : `${q.year}-Q${q.quarter - 1}`;
}

/**
 * "The forecast of a quarter": its latest approved forecast, by approval time (a later
 * approval supersedes an earlier one), as GET /v1/quarters/:quarter answers it.
 */
export async function latestApprovedOf(
  db: Kysely<Database>,
  quarter: string,
): Promise<ForecastRow | undefined> {
  const { approved } = await forecastsRepository(db).ofQuarter(quarter);
  return approved[0];
}

const named = (r: ForecastRow): VarianceForecast => ({
  id: r.id,
  name: r.name,
  quarter: r.quarter,
  status: r.status,
});

/**
 * The variance bridge (models/variance.ts) from `againstId`'s forecast — by default the
 * previous quarter's latest approved one — to forecast `id`, recomputed from both forecasts'
 * pinned inputs by the compute scheduler (estimated as 8 exact projections per scenario of
 * both sides' workloads: `VARIANCE_STATES` in compute/cost.ts). No Monte Carlo.
 */
export async function forecastVariance(
  db: Kysely<Database>,
  repo: ForecastsRepository,
  deps: ComputeDeps,
  id: string,
  againstId: string | undefined,
  ctx?: ComputeContext,
): Promise<Outcome<ForecastVariance, VarianceFailure>> {
  const r = await repo.byId(id);
  if (!r) return failure({ reason: 'not_found', id, role: 'forecast' });
  let old: ForecastRow | undefined;
  if (againstId !== undefined) {
    old = await repo.byId(againstId);
    if (!old) return failure({ reason: 'not_found', id: againstId, role: 'against' });
  } else {
    const previous = previousQuarter(r.quarter);
    old = await latestApprovedOf(db, previous);
    if (!old) return failure({ reason: 'no_previous', quarter: r.quarter, previous });
  }
  const pNew = pinnedOf(r);
  const pOld = pinnedOf(old);
  const [sNew, sOld] = await Promise.all([
    deps.priceSheets.load(pNew.sources),
    deps.priceSheets.load(pOld.sources),
  ]);
  const out = await deps.pool.forecast(
    {
      assumptions: pNew.assumptions,
      sheets: sNew,
      scenarios: pNew.scenarios,
      draws: 0,
      seed: pNew.seed,
      sensitivity: false,
      varianceFrom: { assumptions: pOld.assumptions, sheets: sOld, scenarios: pOld.scenarios },
    },
    ctx,
  );
  if (out.kind === 'invalid') return failure({ reason: 'unfit', issues: out.issues });
  const variance = JSON.parse(Buffer.from(out.json).toString('utf8')) as Variance;
  return success({
    forecast: named(r),
    against: {
      ...named(old),
      chosenBy: againstId === undefined ? 'previous-quarter-approved' : 'against',
    },
    variance,
  });
}
