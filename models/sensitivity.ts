import type { Model, ModelScenario } from './model.ts';
import { Decimal } from './money.ts';
import { type Adjust, prepare, preparedOnce, projectTotal } from './projection.ts';
import { DEFAULT_RANGES, DRIVER_IDS, type DriverId, type DriverRange, delayOf } from './ranges.ts';

/**
 * The adjustment that puts one driver at `value` (`mode` matters for efficiency only).
 * @example adjustFor('growth', '1.5', s) //=> { growthScale: 1.5 }
 */
export function adjustFor(
  id: DriverId,
  value: string,
  s: ModelScenario,
  mode: 'scale' | 'set' = DEFAULT_RANGES[id].mode,
): Adjust {
  switch (id) {
    case 'growth':
      return { growthScale: new Decimal(value) };
    case 'efficiency':
      return mode === 'set'
        ? { efficiency: new Decimal(value) }
        : { efficiencyScale: new Decimal(value) };
    case 'priceDecline':
      return { declineScale: new Decimal(value) };
    case 'delay':
      return { delayQuarters: delayOf(value, s.delayQuarters) };
    case 'premium':
      return { shortagePremium: new Decimal(value) };
    case 'availability':
      return { availability: new Decimal(value) };
    case 'fx':
      return { fxScale: new Decimal(value) };
    case 'basePrice':
      return { priceScale: new Decimal(value) };
  }
}

export interface TornadoBar {
  readonly scenarioId: string;
  readonly driver: DriverId;
  readonly mode: 'scale' | 'set';
  /** The driver's values, as applied (a relative delay is resolved). */
  readonly low: string;
  readonly high: string;
  readonly totalAtLow: Decimal;
  readonly totalAtHigh: Decimal;
  /** |totalAtHigh − totalAtLow| */
  readonly swing: Decimal;
}

/**
 * Each driver moved to its low and its high value with everything else at base; bars
 * sorted by swing, largest first (ties keep docs/model.md's driver order).
 */
export function tornado(
  model: Model,
  s: ModelScenario,
  ranges: Record<DriverId, DriverRange> = DEFAULT_RANGES,
): TornadoBar[] {
  const base = preparedOnce(model);
  const total = (id: DriverId, value: string) => {
    const adjust = adjustFor(id, value, s, ranges[id].mode);
    return projectTotal(
      model,
      s,
      adjust,
      MOVES_QUANTITY_OR_PRICE.has(id) ? prepare(model, adjust) : base,
    );
  };
  const bars = DRIVER_IDS.map((id) => {
    const r = ranges[id];
    const show = (v: string) => (id === 'delay' ? String(delayOf(v, s.delayQuarters)) : v);
    const totalAtLow = total(id, r.low);
    const totalAtHigh = total(id, r.high);
    return {
      scenarioId: s.id,
      driver: id,
      mode: r.mode,
      low: show(r.low),
      high: show(r.high),
      totalAtLow,
      totalAtHigh,
      swing: totalAtHigh.minus(totalAtLow).abs(),
    };
  });
  return bars.sort((a, b) => b.swing.comparedTo(a.swing));
}

/** Drivers that change quantities or unit prices; the others only change the scenario. */
export const MOVES_QUANTITY_OR_PRICE: ReadonlySet<DriverId> = new Set([
  'growth',
  'efficiency',
  'fx',
  'basePrice',
]);

export const GRID_DELAYS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
export const GRID_MULTIPLIERS: readonly string[] = ['0.5', '0.75', '1', '1.25', '1.5'];

export interface Grid {
  readonly scenarioId: string;
  readonly delays: readonly number[];
  readonly multipliers: readonly string[];
  /** totals[i][j]: the horizon total at delays[i] and multipliers[j] × every decline. */
  readonly totals: readonly (readonly Decimal[])[];
}

/** The two-way grid: delay quarters × price-decline multiplier, the horizon total in each cell. */
export function grid(
  model: Model,
  s: ModelScenario,
  delays: readonly number[] = GRID_DELAYS,
  multipliers: readonly string[] = GRID_MULTIPLIERS,
): Grid {
  const scales = multipliers.map((m) => new Decimal(m));
  const prepared = preparedOnce(model);
  return {
    scenarioId: s.id,
    delays,
    multipliers,
    totals: delays.map((delay) =>
      scales.map((declineScale) =>
        projectTotal(model, s, { delayQuarters: delay, declineScale }, prepared),
      ),
    ),
  };
}
