import { CATEGORIES, type Category } from './fields.ts';
import type { Model, ModelScenario, ModelWorkload, PricePoint } from './model.ts';
import { CELL_PLACES, Decimal, ONE, ZERO } from './money.ts';

/**
 * Sensitivity overrides of the global drivers; everything absent stays at base.
 * `*Scale` multiplies every instance of the input, the others replace it.
 */
export interface Adjust {
  readonly growthScale?: Decimal;
  readonly efficiency?: Decimal;
  readonly declineScale?: Decimal;
  readonly delay?: number;
  readonly premium?: Decimal;
  readonly availability?: Decimal;
  readonly fxScale?: Decimal;
  readonly priceScale?: Decimal;
}

/** One workload's timeline under one scenario; arrays are indexed by quarter t. */
export interface WorkloadSeries {
  readonly workload: ModelWorkload;
  readonly quantity: readonly Decimal[];
  readonly served: readonly Decimal[];
  /** The price index of the workload's category. */
  readonly index: readonly Decimal[];
  /** Unit prices in the reporting currency. */
  readonly primaryPrice: Decimal;
  readonly fallbackPrice: Decimal;
  /** The served share's cost, owed to the primary provider. */
  readonly primary: readonly Decimal[];
  /** The unserved share's cost, owed to the fallback provider (or the primary without one). */
  readonly fallback: readonly Decimal[];
  readonly cost: readonly Decimal[];
  readonly total: Decimal;
}

export interface Projection {
  readonly scenario: ModelScenario;
  readonly workloads: readonly WorkloadSeries[];
  readonly byQuarter: readonly Decimal[];
  readonly total: Decimal;
  /** index[c][t] of DESIGN.md, per category. */
  readonly index: Readonly<Record<Category, readonly Decimal[]>>;
  readonly byCategory: ReadonlyMap<Category, readonly Decimal[]>;
  /** Keyed by provider name; the fallback share belongs to the fallback provider. */
  readonly byProvider: ReadonlyMap<string, readonly Decimal[]>;
  readonly byFiscalYear: ReadonlyMap<string, Decimal>;
}

/**
 * The price index of DESIGN.md for every category:
 * `(1 − decline)^max(0, t − delay) × (t < delay ? 1 + premium : 1)`.
 * @example priceIndex(scenario with decline 0.10, delay 0, 3 quarters)['llm-inference']
 * //=> [1, 0.9, 0.81]
 */
export function priceIndex(
  s: ModelScenario,
  horizon: number,
  adjust: Adjust = {},
): Record<Category, Decimal[]> {
  const delay = adjust.delay ?? s.delay;
  const premium = ONE.plus(adjust.premium ?? s.premium);
  const out = {} as Record<Category, Decimal[]>;
  for (const c of CATEGORIES) {
    const decline = adjust.declineScale ? s.decline[c].times(adjust.declineScale) : s.decline[c];
    const step = ONE.minus(decline);
    const series: Decimal[] = [];
    let level = ONE;
    for (let t = 0; t < horizon; t++) {
      if (t < delay) series.push(premium);
      else {
        if (t > delay) level = level.times(step);
        series.push(level);
      }
    }
    out[c] = series;
  }
  return out;
}

/** served[s,t] of DESIGN.md for a workload, capped by any provider-availability window. */
function servedSeries(
  w: ModelWorkload,
  s: ModelScenario,
  horizon: number,
  adjust: Adjust,
): Decimal[] {
  const delay = adjust.delay ?? s.delay;
  const availability = adjust.availability ?? s.availability;
  const provider = w.primary.provider.toLowerCase();
  const caps = s.caps.filter((c) => c.provider === provider);
  return Array.from({ length: horizon }, (_, t) => {
    let served = t < delay ? availability : ONE;
    for (const c of caps)
      if (t >= c.from && t <= c.to) served = Decimal.min(served, c.availability);
    return served;
  });
}

function unitPrice(p: PricePoint, reporting: string, adjust: Adjust): Decimal {
  let fx = p.fxRate;
  if (adjust.fxScale && p.currency !== reporting) fx = fx.times(adjust.fxScale);
  const price = p.nativePrice.times(fx);
  return adjust.priceScale ? price.times(adjust.priceScale) : price;
}

function quantitySeries(w: ModelWorkload, horizon: number, adjust: Adjust): Decimal[] {
  const growth = adjust.growthScale ? w.growth.times(adjust.growthScale) : w.growth;
  const step = ONE.plus(growth);
  const efficiency = adjust.efficiency ?? w.efficiency;
  const out: Decimal[] = [];
  let q = w.baseQuantity.times(ONE.minus(efficiency));
  for (let t = 0; t < horizon; t++) {
    if (t > 0) q = q.times(step);
    out.push(q);
  }
  return out;
}

/**
 * One cell of DESIGN.md's formula, split by who is owed it: the served share at the primary
 * price and the unserved share at the fallback price (premium included in `fallbackUnit`).
 */
function cell(
  quantityTimesIndex: Decimal,
  served: Decimal,
  primaryPrice: Decimal,
  fallbackUnit: Decimal,
): readonly [primary: Decimal, fallback: Decimal] {
  const p = quantityTimesIndex.times(served).times(primaryPrice).toDecimalPlaces(CELL_PLACES);
  if (served.eq(ONE)) return [p, ZERO];
  const f = quantityTimesIndex.times(ONE.minus(served)).times(fallbackUnit);
  return [p, f.toDecimalPlaces(CELL_PLACES)];
}

function addInto(target: Map<string, Decimal[]>, key: string, t: number, v: Decimal, h: number) {
  let series = target.get(key);
  if (!series) {
    series = Array.from({ length: h }, () => ZERO);
    target.set(key, series);
  }
  series[t] = series[t]!.plus(v);
}

/**
 * Projects every workload's cost, quarter by quarter, under one scenario (DESIGN.md "The
 * model"). Each cell's primary and fallback parts are held to 12 decimal places, so every
 * breakdown — by quarter, workload, category, provider, fiscal year — adds up exactly to
 * the total.
 * @example project(tinyModel, onTime).total.toFixed(2) //=> "2474.37"
 */
export function project(model: Model, s: ModelScenario, adjust: Adjust = {}): Projection {
  const h = model.quarters.length;
  const index = priceIndex(s, h, adjust);
  const fbFactor = ONE.plus(s.fallbackPremium);
  const byQuarter = Array.from({ length: h }, () => ZERO);
  const byCategory = new Map<string, Decimal[]>(
    CATEGORIES.map((c) => [c, Array.from({ length: h }, () => ZERO)]),
  );
  const byProvider = new Map<string, Decimal[]>();
  const workloads: WorkloadSeries[] = model.workloads.map((w) => {
    const quantity = quantitySeries(w, h, adjust);
    const served = servedSeries(w, s, h, adjust);
    const idx = index[w.category];
    const primaryPrice = unitPrice(w.primary, model.currency, adjust);
    const fallbackPoint = w.fallback ?? w.primary;
    const fallbackPrice = unitPrice(fallbackPoint, model.currency, adjust);
    const fbUnit = fallbackPrice.times(fbFactor);
    const primary: Decimal[] = [];
    const fallback: Decimal[] = [];
    const cost: Decimal[] = [];
    let total = ZERO;
    for (let t = 0; t < h; t++) {
      const [p, f] = cell(quantity[t]!.times(idx[t]!), served[t]!, primaryPrice, fbUnit);
      const c = p.plus(f);
      primary.push(p);
      fallback.push(f);
      cost.push(c);
      total = total.plus(c);
      byQuarter[t] = byQuarter[t]!.plus(c);
      const cat = byCategory.get(w.category)!;
      cat[t] = cat[t]!.plus(c);
      addInto(byProvider, w.primary.provider, t, p, h);
      if (!f.isZero()) addInto(byProvider, fallbackPoint.provider, t, f, h);
    }
    return {
      workload: w,
      quantity,
      served,
      index: idx,
      primaryPrice,
      fallbackPrice,
      primary,
      fallback,
      cost,
      total,
    };
  });
  const byFiscalYear = new Map<string, Decimal>(model.fiscalYears.map((fy) => [fy, ZERO]));
  model.fiscalQuarters.forEach((fq, t) => {
    const fy = fq.slice(0, fq.indexOf('-'));
    byFiscalYear.set(fy, byFiscalYear.get(fy)!.plus(byQuarter[t]!));
  });
  return {
    scenario: s,
    workloads,
    byQuarter,
    total: byQuarter.reduce((a, b) => a.plus(b), ZERO),
    index,
    byCategory: byCategory as Map<Category, Decimal[]>,
    byProvider,
    byFiscalYear,
  };
}

/**
 * The horizon total only — the inner loop of the tornado and the grid, with no breakdowns.
 * Equal to `project(model, s, adjust).total`.
 */
export function projectTotal(model: Model, s: ModelScenario, adjust: Adjust = {}): Decimal {
  const h = model.quarters.length;
  const index = priceIndex(s, h, adjust);
  const fbFactor = ONE.plus(s.fallbackPremium);
  let total = ZERO;
  for (const w of model.workloads) {
    const quantity = quantitySeries(w, h, adjust);
    const served = servedSeries(w, s, h, adjust);
    const idx = index[w.category];
    const primaryPrice = unitPrice(w.primary, model.currency, adjust);
    const fbUnit = unitPrice(w.fallback ?? w.primary, model.currency, adjust).times(fbFactor);
    for (let t = 0; t < h; t++) {
      const [p, f] = cell(quantity[t]!.times(idx[t]!), served[t]!, primaryPrice, fbUnit);
      total = total.plus(p).plus(f);
    }
  }
  return total;
}
