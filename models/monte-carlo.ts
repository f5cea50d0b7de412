// Monte Carlo is the one place floats are allowed (DESIGN.md): the model is converted to
// float64 once, sampled, and only the percentiles are turned back into decimal strings.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';
import { CATEGORIES } from './fields.ts';
import type { Model, ModelScenario } from './model.ts';
import {
  DEFAULT_RANGES,
  DRIVER_IDS,
  type DriverId,
  type DriverRange,
  delayOf,
} from './sensitivity.ts';

export const MAX_DRAWS = 100_000;

/**
 * The inverse CDF of a triangular distribution on [min, max] with mode `mode`.
 * @example triangular(0.5, 0, 1, 2) //=> 1
 */
export function triangular(u: number, min: number, mode: number, max: number): number {
  if (max <= min) return min;
  const m = Math.min(Math.max(mode, min), max);
  const cut = (m - min) / (max - min);
  return u < cut
    ? min + Math.sqrt(u * (max - min) * (m - min))
    : max - Math.sqrt((1 - u) * (max - min) * (max - m));
}

/**
 * The p-th percentile of sorted values, interpolated linearly between ranks (Excel's
 * PERCENTILE.INC).
 * @example percentile([1, 2, 3, 4], 0.5) //=> 2.5
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = p * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (rank - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface Spread {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface MonteCarloScenario {
  readonly id: string;
  readonly total: Spread;
  readonly byQuarter: readonly Spread[];
  /** Share of draws whose fiscal-year total exceeds that year's budget, for budgeted years. */
  readonly exceedBudget: ReadonlyMap<string, number>;
}

export interface MonteCarloOptions {
  readonly draws: number;
  readonly seed: number;
  readonly ranges?: Record<DriverId, DriverRange>;
}

const spread = (values: Float64Array): Spread => {
  const sorted = values.slice().sort();
  return {
    p10: percentile(sorted, 0.1),
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
  };
};

/**
 * Draws every global driver from a triangular distribution (low / base / high = the
 * tornado ranges; one uniform per driver per draw, so a `set` driver moves every workload's
 * value together) and projects the horizon in float64. Seeded: the same seed, draws and
 * inputs give the same result.
 */
export function monteCarlo(
  model: Model,
  s: ModelScenario,
  { draws, seed, ranges = DEFAULT_RANGES }: MonteCarloOptions,
): MonteCarloScenario {
  const h = model.quarters.length;
  const rng = mersenne(seed);
  const f = (d: { toNumber(): number }) => d.toNumber();
  const num = (v: string) => Number(v);
  const lohi = (id: DriverId, base: number): [number, number, number] => {
    const r = ranges[id];
    const a = id === 'delay' ? delayOf(r.low, s.delay) : num(r.low);
    const b = id === 'delay' ? delayOf(r.high, s.delay) : num(r.high);
    return [Math.min(a, b), base, Math.max(a, b)];
  };
  const fbFactor = 1 + f(s.fallbackPremium);
  const decline = CATEGORIES.map((c) => f(s.decline[c]));
  const ws = model.workloads.map((w) => {
    const fb = w.fallback ?? w.primary;
    const provider = w.primary.provider.toLowerCase();
    return {
      base: f(w.baseQuantity),
      growth: f(w.growth),
      efficiency: f(w.efficiency),
      category: CATEGORIES.indexOf(w.category),
      price: f(w.primary.nativePrice.times(w.primary.fxRate)),
      priceForeign: w.primary.currency !== model.currency,
      fbPrice: f(fb.nativePrice.times(fb.fxRate)),
      fbForeign: fb.currency !== model.currency,
      caps: s.caps
        .filter((c) => c.provider === provider)
        .map((c) => ({ from: c.from, to: c.to, availability: f(c.availability) })),
    };
  });
  const fyOf = model.fiscalQuarters.map((fq) =>
    model.fiscalYears.indexOf(fq.slice(0, fq.indexOf('-'))),
  );
  const budgets = model.fiscalYears.map((fy) => model.budget.get(fy)?.toNumber());

  const quarterDraws = Array.from({ length: h }, () => new Float64Array(draws));
  const totals = new Float64Array(draws);
  const exceed = new Array<number>(model.fiscalYears.length).fill(0);
  const index = new Float64Array(CATEGORIES.length * h);
  const fyTotals = new Float64Array(model.fiscalYears.length);
  const u: Record<DriverId, number> = Object.fromEntries(DRIVER_IDS.map((id) => [id, 0])) as Record<
    DriverId,
    number
  >;
  const tri = (id: DriverId, base: number) => triangular(u[id], ...lohi(id, base));

  for (let d = 0; d < draws; d++) {
    for (const id of DRIVER_IDS) u[id] = uniformFloat64(rng);
    const growthScale = tri('growth', 1);
    const declineScale = tri('priceDecline', 1);
    const delay = Math.round(tri('delay', s.delay));
    const premium = tri('premium', f(s.premium));
    const availability = tri('availability', f(s.availability));
    const fxScale = tri('fx', 1);
    const priceScale = tri('basePrice', 1);
    for (let c = 0; c < CATEGORIES.length; c++) {
      const step = 1 - decline[c]! * declineScale;
      let level = 1;
      for (let t = 0; t < h; t++) {
        if (t < delay) index[c * h + t] = 1 + premium;
        else {
          if (t > delay) level *= step;
          index[c * h + t] = level;
        }
      }
    }
    fyTotals.fill(0);
    let total = 0;
    const qTotals = new Float64Array(h);
    for (const w of ws) {
      const eff = tri('efficiency', w.efficiency);
      const step = 1 + w.growth * growthScale;
      const price = w.price * (w.priceForeign ? fxScale : 1) * priceScale;
      const fbUnit = w.fbPrice * (w.fbForeign ? fxScale : 1) * priceScale * fbFactor;
      let q = w.base * (1 - eff);
      for (let t = 0; t < h; t++) {
        if (t > 0) q *= step;
        let served = t < delay ? availability : 1;
        for (const c of w.caps)
          if (t >= c.from && t <= c.to) served = Math.min(served, c.availability);
        const cost = q * index[w.category * h + t]! * (served * price + (1 - served) * fbUnit);
        qTotals[t]! += cost;
      }
    }
    for (let t = 0; t < h; t++) {
      quarterDraws[t]![d] = qTotals[t]!;
      total += qTotals[t]!;
      fyTotals[fyOf[t]!]! += qTotals[t]!;
    }
    totals[d] = total;
    budgets.forEach((b, i) => {
      if (b !== undefined && fyTotals[i]! > b) exceed[i]!++;
    });
  }
  const exceedBudget = new Map<string, number>();
  model.fiscalYears.forEach((fy, i) => {
    if (budgets[i] !== undefined) exceedBudget.set(fy, exceed[i]! / draws);
  });
  return { id: s.id, total: spread(totals), byQuarter: quarterDraws.map(spread), exceedBudget };
}
