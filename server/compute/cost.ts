import { DRIVER_IDS } from '../../models/ranges.ts';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { GRID_DELAYS, GRID_MULTIPLIERS } from '../../models/sensitivity.ts';

/** What decides how long a forecast takes to compute. */
export interface CostShape {
  readonly workloads: number;
  readonly quarters: number;
  readonly scenarios: number;
  /** Monte Carlo draws per scenario. */
  readonly draws: number;
  /** The tornado and the grid. */
  readonly sensitivity: boolean;
  /** The workbook is rendered too (a download). */
  readonly workbook: boolean;
  /**
   * Exact projections per scenario: 1 for a forecast (absent), `VARIANCE_STATES` for a
   * variance bridge (one per state, models/variance.ts), of the workloads of both sides.
   */
  readonly projections?: number;
}

/** The states a variance bridge projects per scenario: the old forecast and one per effect. */
export const VARIANCE_STATES = 8;

/**
 * The estimate's unit is one Monte Carlo draw of one workload in one quarter (float64
 * arithmetic); the other parts are weighed against it, as measured on the benchmark machine
 * (bench/RESULTS.md, "Compute limits"):
 * - an exact projection (decimal.js) and its share of the JSON: 400 per workload-quarter;
 * - a sensitivity projection (totals only, prepared once): 50 per workload-quarter, and each
 *   scenario has one per tornado end (2 per driver) and one per grid cell;
 * - a Monte Carlo draw also draws each workload's inputs (8 per workload), fills each quarter
 *   (4 per quarter) and costs 300 of its own (the drivers' draws, the percentiles' sorting);
 * - a workbook: 20 million for the file, and 3 000 per workload-quarter-scenario.
 */
export const WEIGHTS = Object.freeze({
  projection: 400,
  sensitivityProjection: 50,
  drawWorkload: 8,
  drawQuarter: 4,
  drawFixed: 300,
  workbookFile: 20_000_000,
  workbookCell: 3_000,
});

/** Sensitivity projections per scenario: two per tornado driver, one per grid cell. */
export const SENSITIVITY_PROJECTIONS =
  2 * DRIVER_IDS.length + GRID_DELAYS.length * GRID_MULTIPLIERS.length;

/** The estimate, in units (see `WEIGHTS`), by part. */
export interface Cost {
  readonly units: number;
  readonly exact: number;
  readonly sensitivity: number;
  readonly monteCarlo: number;
  readonly workbook: number;
}

/** Units per Monte Carlo draw (all scenarios). */
const perDraw = (s: CostShape) =>
  s.scenarios *
  (s.workloads * s.quarters +
    WEIGHTS.drawWorkload * s.workloads +
    WEIGHTS.drawQuarter * s.quarters +
    WEIGHTS.drawFixed);

/**
 * What a forecast of this shape costs to compute, before computing it.
 * @example estimateCost({ workloads: 10, quarters: 8, scenarios: 2, draws: 0, sensitivity: false, workbook: false }).units //=> 64000
 */
export function estimateCost(s: CostShape): Cost {
  const cells = s.workloads * s.quarters * s.scenarios;
  const exact = WEIGHTS.projection * cells * (s.projections ?? 1);
  const sensitivity = s.sensitivity
    ? WEIGHTS.sensitivityProjection * SENSITIVITY_PROJECTIONS * cells
    : 0;
  const monteCarlo = s.draws * perDraw(s);
  const workbook = s.workbook ? WEIGHTS.workbookFile + WEIGHTS.workbookCell * cells : 0;
  return {
    units: exact + sensitivity + monteCarlo + workbook,
    exact,
    sensitivity,
    monteCarlo,
    workbook,
  };
}

/** The most Monte Carlo draws a request of this shape may ask for within `budget` units. */
export function maxDrawsWithin(s: CostShape, budget: number): number {
  const rest = estimateCost({ ...s, draws: 0 }).units;
  const per = perDraw(s);
  return rest > budget || per === 0 ? 0 : Math.floor((budget - rest) / per);
}

/** The shape of a request: its assumptions, scenarios, draws and what it renders. */
export function shapeOf(r: {
  readonly assumptions: {
    readonly workloads: readonly unknown[];
    readonly horizonQuarters: number;
  };
  readonly scenarios: { readonly scenarios: readonly unknown[] } | null;
  readonly draws: number;
  readonly sensitivity: boolean;
  readonly workbook?: unknown;
  /** A variance task's old side: its workloads count too, over the longer horizon. */
  readonly varianceFrom?:
    | {
        readonly assumptions: {
          readonly workloads: readonly unknown[];
          readonly horizonQuarters: number;
        };
      }
    | undefined;
}): CostShape {
  const old = r.varianceFrom?.assumptions;
  if (old)
    return {
      workloads: r.assumptions.workloads.length + old.workloads.length,
      quarters: Math.max(r.assumptions.horizonQuarters, old.horizonQuarters),
      scenarios: r.scenarios?.scenarios.length ?? DEFAULT_SCENARIOS.length,
      draws: 0,
      sensitivity: false,
      workbook: false,
      projections: VARIANCE_STATES,
    };
  return {
    workloads: r.assumptions.workloads.length,
    quarters: r.assumptions.horizonQuarters,
    scenarios: r.scenarios?.scenarios.length ?? DEFAULT_SCENARIOS.length,
    draws: r.draws,
    sensitivity: r.sensitivity,
    workbook: r.workbook !== undefined,
  };
}

/**
 * Why a request is over the budget, and how to stay under it: what it asks for, how many
 * times the limit it needs, and the most draws that would fit (when some would).
 */
export function overBudgetMessage(s: CostShape, cost: Cost, budget: number): string {
  const asked = [
    `${s.scenarios} scenario${s.scenarios === 1 ? '' : 's'} × ${s.workloads} workload${s.workloads === 1 ? '' : 's'} × ${s.quarters} quarter${s.quarters === 1 ? '' : 's'}`,
    ...(s.draws > 0 ? [`${s.draws} Monte Carlo draws`] : []),
    ...(s.sensitivity ? ['sensitivity'] : []),
    ...(s.workbook ? ['the workbook'] : []),
    ...((s.projections ?? 1) > 1 ? [`a variance bridge of ${s.projections} states`] : []),
  ].join(', ');
  const times = cost.units / budget;
  const factor = times < 10 ? times.toFixed(1) : String(Math.round(times));
  const draws = maxDrawsWithin(s, budget);
  const advice =
    s.draws > 0 && draws > 0
      ? `ask for at most ${draws} draws, or fewer scenarios, workloads or quarters`
      : 'ask for fewer scenarios, workloads or quarters';
  return `this request needs about ${factor} times the compute one request may use (${asked}: ${cost.units} units, limit ${budget}, COSTCAST_COMPUTE_BUDGET); to stay under it, ${advice}`;
}
