import type { Model, ModelScenario } from './model.ts';
import { Decimal, ONE } from './money.ts';
import { prepare, preparedOnce, projectTotal } from './projection.ts';
import { DRIVER_IDS, type DriverId, type DriverRange, delayOf } from './ranges.ts';
import { adjustFor, MOVES_QUANTITY_OR_PRICE } from './sensitivity.ts';

/** A driver's range as the Monte Carlo draws it for one scenario: triangular (low, base, high). */
export interface DrawnRange {
  readonly driver: DriverId;
  readonly mode: 'scale' | 'set';
  /** The range's ends, ordered, as applied (a relative delay is resolved). */
  readonly low: Decimal;
  readonly high: Decimal;
  /**
   * The triangle's mode: 1 for a scale, the scenario's own value for a set driver; `null`
   * for a set efficiency, whose mode is each workload's own value (clamped into the range).
   */
  readonly base: Decimal | null;
  /** high − base = base − low: the median draw is the base. */
  readonly symmetric: boolean;
}

/**
 * The ranges the Monte Carlo draws for a scenario, with the base each is drawn around.
 * @example drawnRanges(model, onTime, ranges).find((r) => r.driver === 'delay')
 * //=> { mode: 'set', low: 0, base: 0, high: 4, symmetric: false }
 */
export function drawnRanges(
  model: Model,
  s: ModelScenario,
  ranges: Readonly<Record<DriverId, DriverRange>>,
): DrawnRange[] {
  return DRIVER_IDS.map((id) => {
    const r = ranges[id];
    const value = (v: string) =>
      id === 'delay' ? new Decimal(delayOf(v, s.delayQuarters)) : new Decimal(v);
    const [low, high] = [value(r.low), value(r.high)].sort((a, b) => a.comparedTo(b)) as [
      Decimal,
      Decimal,
    ];
    const base = baseOf(id, r.mode, s, model);
    const symmetric =
      base === null
        ? false
        : base.gte(low) && base.lte(high) && high.minus(base).eq(base.minus(low));
    return { driver: id, mode: r.mode, low, high, base, symmetric };
  });
}

function baseOf(id: DriverId, mode: 'scale' | 'set', s: ModelScenario, model: Model) {
  if (mode === 'scale') return ONE;
  switch (id) {
    case 'delay':
      return new Decimal(s.delayQuarters);
    case 'premium':
      return s.shortagePremium;
    case 'availability':
      return s.availability;
    case 'efficiency': {
      // one global rate: its base is every workload's own only when they all agree
      const first = model.workloads[0]?.efficiency;
      return first && model.workloads.every((w) => w.efficiency.eq(first)) ? first : null;
    }
    default:
      return null;
  }
}

/** A driver whose range is not symmetric around its base, and how it pushes the total. */
export interface SkewDriver extends DrawnRange {
  /**
   * (total at low − base total) + (total at high − base total), each end alone with
   * everything else at base, as in the tornado: how lopsided the driver's bar is around the
   * point forecast. Positive: the draws lean above the forecast.
   */
  readonly effect: Decimal;
}

/**
 * The drivers whose drawn range is asymmetric around the base — one-sided risks such as a
 * delay that cannot be negative — ranked by the size of their effect, largest first (ties
 * keep docs/model.md's driver order). They are why the Monte Carlo's median can stray from the
 * point forecast.
 * @example skewDrivers(bankModel, onTime, ranges).map((d) => d.driver)
 * //=> ['delay', 'premium', 'availability']
 */
export function skewDrivers(
  model: Model,
  s: ModelScenario,
  ranges: Readonly<Record<DriverId, DriverRange>>,
  baseTotal: Decimal = projectTotal(model, s, {}, preparedOnce(model)),
): SkewDriver[] {
  const total = (id: DriverId, value: string) => {
    const adjust = adjustFor(id, value, s, ranges[id].mode);
    const prepared = MOVES_QUANTITY_OR_PRICE.has(id) ? prepare(model, adjust) : preparedOnce(model);
    return projectTotal(model, s, adjust, prepared);
  };
  return drawnRanges(model, s, ranges)
    .filter((r) => !r.symmetric)
    .map((r) => {
      const { low, high } = ranges[r.driver];
      const effect = total(r.driver, low)
        .minus(baseTotal)
        .plus(total(r.driver, high).minus(baseTotal));
      return { ...r, effect };
    })
    .sort((a, b) => b.effect.abs().comparedTo(a.effect.abs()));
}
