// Monte Carlo is the one place floats are allowed (docs/model.md): the model is converted to
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
  monteCarloRanges,
} from './ranges.ts';

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
  // biome-ignore lint/style/noNonNullAssertion: 0 ≤ lo ≤ hi < n, and n > 0 (checked above)
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
  readonly probabilityOverBudget: ReadonlyMap<string, number>;
  /** Share of draws whose horizon total is below `forecast` (when given). */
  readonly shareBelowForecast?: number;
}

export interface MonteCarloOptions {
  readonly draws: number;
  readonly seed: number;
  /** Default: `monteCarloRanges(DEFAULT_RANGES)`, every input around its own base. */
  readonly ranges?: Readonly<Record<DriverId, DriverRange>>;
  /** The point forecast's horizon total, to tell where it falls among the draws. */
  readonly forecast?: number;
}

const spread = (sorted: Float64Array): Spread => ({
  p10: percentile(sorted, 0.1),
  p50: percentile(sorted, 0.5),
  p90: percentile(sorted, 0.9),
});

/** The uniforms of one draw, one per driver, in [0, 1). */
export type Uniforms = Record<DriverId, number>;

/**
 * One draw of every input: the scenario's drivers, and each workload's efficiency, growth
 * and unit prices in the reporting currency (index i: `model.workloads[i]`). A sampler
 * writes every draw into the same arrays.
 */
export interface DrawnInputs {
  readonly declineScale: number;
  readonly delay: number;
  readonly premium: number;
  readonly availability: number;
  readonly efficiency: Float64Array;
  readonly growth: Float64Array;
  readonly price: Float64Array;
  /** The unserved share's unit price (the primary's without a fallback), before its premium. */
  readonly fallbackPrice: Float64Array;
}

/**
 * Turns the uniforms of a draw into inputs, each drawn from a triangular distribution
 * (low, base, high) around its own base value: a `scale` range multiplies each instance of
 * the input (every workload's growth, efficiency — capped at 1 —, prices, every decline) by
 * one draw around 1; a `set` range draws the scenario's value (delay, premium,
 * availability) — and, only when asked, a global efficiency whose mode is each workload's
 * own value clamped into the range. With symmetric ranges, u = 0.5 gives every input its
 * base value: the median of each drawn input is its base.
 * @example sampler(model, onTime, ranges)(all 0.5).efficiency //=> each workload's own
 */
export function sampler(
  model: Model,
  s: ModelScenario,
  ranges: Readonly<Record<DriverId, DriverRange>> = monteCarloRanges(DEFAULT_RANGES),
): (u: Readonly<Uniforms>) => DrawnInputs {
  const f = (d: { toNumber(): number }) => d.toNumber();
  const ends = (id: DriverId): readonly [number, number] => {
    const r = ranges[id];
    const a = id === 'delay' ? delayOf(r.low, s.delayQuarters) : Number(r.low);
    const b = id === 'delay' ? delayOf(r.high, s.delayQuarters) : Number(r.high);
    return [Math.min(a, b), Math.max(a, b)];
  };
  const range = Object.fromEntries(DRIVER_IDS.map((id) => [id, ends(id)])) as Record<
    DriverId,
    readonly [number, number]
  >;
  const tri = (id: DriverId, u: number, base: number) =>
    triangular(u, range[id][0], base, range[id][1]);
  const ws = model.workloads.map((w) => {
    const fb = w.fallback ?? w.primary;
    return {
      growth: f(w.growthPerQuarter),
      efficiency: f(w.efficiency),
      price: f(w.primary.nativePrice.times(w.primary.fxRate)),
      priceForeign: w.primary.currency !== model.currency,
      fbPrice: f(fb.nativePrice.times(fb.fxRate)),
      fbForeign: fb.currency !== model.currency,
    };
  });
  const setEfficiency = ranges.efficiency.mode === 'set';
  const n = ws.length;
  const out = {
    declineScale: 1,
    delay: s.delayQuarters,
    premium: f(s.shortagePremium),
    availability: f(s.availability),
    efficiency: new Float64Array(n),
    growth: new Float64Array(n),
    price: new Float64Array(n),
    fallbackPrice: new Float64Array(n),
  };
  const premium = f(s.shortagePremium);
  const availability = f(s.availability);
  return (u) => {
    const growthScale = tri('growth', u.growth, 1);
    const efficiencyScale = setEfficiency ? 1 : tri('efficiency', u.efficiency, 1);
    const fxScale = tri('fx', u.fx, 1);
    const priceScale = tri('basePrice', u.basePrice, 1);
    out.declineScale = tri('priceDecline', u.priceDecline, 1);
    out.delay = Math.round(tri('delay', u.delay, s.delayQuarters));
    out.premium = tri('premium', u.premium, premium);
    out.availability = tri('availability', u.availability, availability);
    for (let i = 0; i < n; i++) {
      // biome-ignore lint/style/noNonNullAssertion: i < n = ws.length
      const w = ws[i]!;
      out.efficiency[i] = setEfficiency
        ? tri('efficiency', u.efficiency, w.efficiency)
        : Math.min(w.efficiency * efficiencyScale, 1);
      out.growth[i] = w.growth * growthScale;
      out.price[i] = w.price * (w.priceForeign ? fxScale : 1) * priceScale;
      out.fallbackPrice[i] = w.fbPrice * (w.fbForeign ? fxScale : 1) * priceScale;
    }
    return out;
  };
}

/**
 * Draws every driver from a triangular distribution around its base (see `sampler`; one
 * uniform per driver per draw, shared by every workload: full correlation) and projects the
 * horizon in float64. Seeded: the same seed, draws and inputs give the same result.
 */
export function monteCarlo(
  model: Model,
  s: ModelScenario,
  { draws, seed, ranges = monteCarloRanges(DEFAULT_RANGES), forecast }: MonteCarloOptions,
): MonteCarloScenario {
  const h = model.quarters.length;
  const rng = mersenne(seed);
  const draw = sampler(model, s, ranges);
  const fbFactor = 1 + s.fallbackPremium.toNumber();
  const decline = CATEGORIES.map((c) => s.priceDeclinePerQuarter[c].toNumber());
  const ws = model.workloads.map((w) => {
    const provider = w.primary.provider.toLowerCase();
    return {
      base: w.baseQuantity.toNumber(),
      category: CATEGORIES.indexOf(w.category),
      caps: s.caps
        .filter((c) => c.provider === provider)
        .map((c) => ({ from: c.from, to: c.to, availability: c.availability.toNumber() })),
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
  const qTotals = new Float64Array(h);
  const u = Object.fromEntries(DRIVER_IDS.map((id) => [id, 0])) as Uniforms;

  // biome-ignore-start lint/style/noNonNullAssertion: each index is bounded by its loop and the array sized for it (categories, workloads, quarters, fiscal years); a check per access would cost in the hot loop
  for (let d = 0; d < draws; d++) {
    for (const id of DRIVER_IDS) u[id] = uniformFloat64(rng);
    const x = draw(u);
    const { delay, premium, availability } = x;
    for (let c = 0; c < CATEGORIES.length; c++) {
      const step = 1 - decline[c]! * x.declineScale;
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
    qTotals.fill(0);
    let total = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const step = 1 + x.growth[i]!;
      const price = x.price[i]!;
      const fbUnit = x.fallbackPrice[i]! * fbFactor;
      let q = w.base * (1 - x.efficiency[i]!);
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
  // biome-ignore-end lint/style/noNonNullAssertion: each index is bounded by its loop and the array sized for it (categories, workloads, quarters, fiscal years); a check per access would cost in the hot loop
  totals.sort();
  return {
    id: s.id,
    total: spread(totals),
    byQuarter: quarterDraws.map((q) => spread(q.sort())),
    probabilityOverBudget: exceedBudget,
    ...(forecast === undefined ? {} : { shareBelowForecast: shareBelow(totals, forecast) }),
  };
}

/**
 * The share of sorted values strictly below `x` (0 when there are none).
 * @example shareBelow(Float64Array.of(1, 2, 3, 4), 2.5) //=> 0.5
 */
export function shareBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // biome-ignore lint/style/noNonNullAssertion: lo ≤ mid < hi ≤ sorted.length
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length === 0 ? 0 : lo / sorted.length;
}
