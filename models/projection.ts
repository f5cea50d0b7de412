import { CATEGORIES, type Category } from './fields.ts';
import {
  type Model,
  type ModelScenario,
  type ModelWorkload,
  type PricePoint,
  perModel,
} from './model.ts';
import { CELL_PLACES, Decimal, ONE, ZERO } from './money.ts';

/**
 * Sensitivity overrides of the global drivers; everything absent stays at base.
 * `*Scale` multiplies every instance of the input, the others replace it.
 */
export interface Adjust {
  readonly growthScale?: Decimal;
  /** Replaces every workload's efficiency. */
  readonly efficiency?: Decimal;
  /** Multiplies every workload's efficiency, capped at 1 (the whole quantity removed). */
  readonly efficiencyScale?: Decimal;
  readonly declineScale?: Decimal;
  readonly delayQuarters?: number;
  readonly shortagePremium?: Decimal;
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
  /** Σ fallback: the horizon cost of the unserved share. */
  readonly fallbackTotal: Decimal;
}

export interface Projection {
  readonly scenario: ModelScenario;
  readonly workloads: readonly WorkloadSeries[];
  readonly byQuarter: readonly Decimal[];
  readonly total: Decimal;
  /** index[c][t] of docs/model.md, per category. */
  readonly index: Readonly<Record<Category, readonly Decimal[]>>;
  readonly byCategory: ReadonlyMap<Category, readonly Decimal[]>;
  /** Σ of each byCategory series: a category's horizon cost. */
  readonly categoryTotals: ReadonlyMap<Category, Decimal>;
  /** Keyed by provider name; the fallback share belongs to the fallback provider. */
  readonly byProvider: ReadonlyMap<string, readonly Decimal[]>;
  /** Σ of each byProvider series: a provider's horizon spend. */
  readonly providerTotals: ReadonlyMap<string, Decimal>;
  readonly byFiscalYear: ReadonlyMap<string, Decimal>;
}

/**
 * The price index of docs/model.md for every category:
 * `(1 − decline)^max(0, t − delay) × (t < delay ? 1 + premium : 1)`.
 * @example priceIndex(scenario with decline 0.10, delay 0, 3 quarters)['llm-inference']
 * //=> [1, 0.9, 0.81]
 */
export function priceIndex(
  s: ModelScenario,
  horizon: number,
  adjust: Adjust = {},
): Record<Category, Decimal[]> {
  const delay = adjust.delayQuarters ?? s.delayQuarters;
  const premium = ONE.plus(adjust.shortagePremium ?? s.shortagePremium);
  const out = {} as Record<Category, Decimal[]>;
  for (const c of CATEGORIES) {
    const decline = adjust.declineScale
      ? s.priceDeclinePerQuarter[c].times(adjust.declineScale)
      : s.priceDeclinePerQuarter[c];
    const step = ONE.minus(decline);
    const series: Decimal[] = [];
    let level = ONE;
    for (let t = 0; t < horizon; t++) {
      if (t < delay) series.push(premium);
      else {
        if (t > delay && !decline.isZero()) level = level.times(step);
        series.push(level);
      }
    }
    out[c] = series;
  }
  return out;
}

/** served[s,t] of docs/model.md with no rupture window: `availability` during the delay, else 1. */
function baseServed(s: ModelScenario, horizon: number, adjust: Adjust): Decimal[] {
  const delay = adjust.delayQuarters ?? s.delayQuarters;
  const availability = adjust.availability ?? s.availability;
  return Array.from({ length: horizon }, (_, t) => (t < delay ? availability : ONE));
}

/** served[s,t] of docs/model.md for a workload, capped by any provider-availability window. */
function servedSeries(
  w: ModelWorkload,
  s: ModelScenario,
  base: readonly Decimal[],
): readonly Decimal[] {
  const provider = w.primary.provider.toLowerCase();
  const caps = s.caps.filter((c) => c.provider === provider);
  if (caps.length === 0) return base;
  return base.map((b, t) => {
    let served = b;
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

/**
 * A workload's efficiency under an adjustment: set, scaled (at most 1), or its own.
 * @example efficiencyOf({ efficiency: 0.25 }, { efficiencyScale: 1.5 }) //=> 0.375
 */
export function efficiencyOf(w: ModelWorkload, adjust: Adjust): Decimal {
  if (adjust.efficiency) return adjust.efficiency;
  if (!adjust.efficiencyScale) return w.efficiency;
  return Decimal.min(w.efficiency.times(adjust.efficiencyScale), ONE);
}

/** What no scenario changes: a workload's quantities and their amounts at its unit prices. */
export interface PreparedWorkload {
  readonly workload: ModelWorkload;
  readonly quantity: readonly Decimal[];
  /** Unit prices in the reporting currency. */
  readonly primaryPrice: Decimal;
  readonly fallbackPrice: Decimal;
  /** quantity[t] × primaryPrice */
  readonly primaryAmount: readonly Decimal[];
  /**
   * quantity[t] × fallbackPrice. Only the quarters with an unserved share need it, so it is
   * worked out on first use and kept.
   */
  readonly fallbackAmount: (t: number) => Decimal;
}

/**
 * The scenario-independent half of the projection, for the drivers that move quantities
 * and prices (growth, efficiency, fx, basePrice). Sensitivity runs that move only scenario
 * drivers reuse one preparation.
 */
export function prepare(model: Model, adjust: Adjust = {}): readonly PreparedWorkload[] {
  const h = model.quarters.length;
  return model.workloads.map((w) => {
    const growth = adjust.growthScale
      ? w.growthPerQuarter.times(adjust.growthScale)
      : w.growthPerQuarter;
    const step = ONE.plus(growth);
    const quantity: Decimal[] = [];
    let q = w.baseQuantity.times(ONE.minus(efficiencyOf(w, adjust)));
    for (let t = 0; t < h; t++) {
      if (t > 0) q = q.times(step);
      quantity.push(q);
    }
    const primaryPrice = unitPrice(w.primary, model.currency, adjust);
    const primaryAmount = quantity.map((x) => x.times(primaryPrice));
    if (!w.fallback)
      return {
        workload: w,
        quantity,
        primaryPrice,
        fallbackPrice: primaryPrice,
        primaryAmount,
        // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
        fallbackAmount: (t: number) => primaryAmount[t]!,
      };
    const fallbackPrice = unitPrice(w.fallback, model.currency, adjust);
    const fallbackAmount: (Decimal | undefined)[] = new Array(h);
    return {
      workload: w,
      quantity,
      primaryPrice,
      fallbackPrice,
      primaryAmount,
      fallbackAmount: (t: number) => {
        let amount = fallbackAmount[t];
        if (amount === undefined) {
          // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
          amount = quantity[t]!.times(fallbackPrice);
          fallbackAmount[t] = amount;
        }
        return amount;
      },
    };
  });
}

/** `prepare(model)` with no adjustment, worked out once per model and kept with it. */
export const preparedOnce: (model: Model) => readonly PreparedWorkload[] = perModel((model) =>
  prepare(model),
);

/**
 * What a quarter's amounts are multiplied by under a scenario: `index × served` for the
 * primary share and `index × (1 − served) × (1 + fallbackPremium)` for the unserved share
 * (`null` when everything is served). Worked out once per category and quarter, so a cell
 * costs one multiplication per part.
 */
interface Factors {
  readonly primary: Decimal;
  readonly fallback: Decimal | null;
}

/** A served series with `1 − served` beside it (`null` where everything is served). */
interface Served {
  readonly served: readonly Decimal[];
  readonly unserved: readonly (Decimal | null)[];
}

const withUnserved = (served: readonly Decimal[]): Served => ({
  served,
  unserved: served.map((v) => (v.eq(ONE) ? null : ONE.minus(v))),
});

function factors(
  index: Decimal,
  served: Decimal,
  unserved: Decimal | null,
  fallbackFactor: Decimal,
): Factors {
  if (unserved === null) return { primary: index, fallback: null };
  return {
    primary: index.times(served),
    fallback: index.times(unserved).times(fallbackFactor),
  };
}

/**
 * `acc + x` for the sums of cells, without decimal.js's copy of its argument when the sum
 * starts at `ZERO` or `x` is the `ZERO` of a cell with no unserved share. Every operand is
 * the result of decimal.js arithmetic (at most 34 digits), so `0 + x` is `x` and `acc + 0` is
 * `acc`: the same decimals, sign of zero included, as `acc.plus(x)`.
 */
const add = (acc: Decimal, x: Decimal): Decimal =>
  x === ZERO ? acc : acc === ZERO && x.s > 0 ? x : acc.plus(x);

/** Σ of a series of cells or of sums of cells, first to last. */
const seriesSum = (xs: readonly Decimal[]): Decimal => xs.reduce(add, ZERO);

type Part = 'cost' | 'primary' | 'fallback';

/**
 * Which workload alone adds to a category's or a provider's series, and what: its cost, its
 * served share, its unserved share. Such a series is, quarter by quarter, that workload's
 * cost (or unserved share), and its horizon total is the workload's total (or unserved total),
 * already added in the same order: it is taken, not summed again.
 */
function soleContributors() {
  const of = new Map<
    readonly Decimal[],
    { readonly w: WorkloadSeries; readonly parts: Set<Part>; readonly spilled: boolean } | null
  >();
  return {
    add(series: readonly Decimal[], w: WorkloadSeries, part: Part, spilled: boolean) {
      const known = of.get(series);
      if (known === undefined) of.set(series, { w, parts: new Set([part]), spilled });
      else if (known !== null && known.w === w) known.parts.add(part);
      else of.set(series, null);
    },
    /** The series' total when one workload alone adds to it, else `undefined`. */
    total(series: readonly Decimal[]): Decimal | undefined {
      const sole = of.get(series);
      if (!sole) return undefined;
      const { w, parts, spilled } = sole;
      // its cost; or both its shares, which add up to its cost; or its served share when it
      // never spills, which is then its cost
      if (parts.has('cost') || (parts.has('primary') && (parts.has('fallback') || !spilled)))
        return w.total;
      return parts.has('primary') ? undefined : w.fallbackTotal;
    },
  };
}

/** A cell part held to 12 places (rounding only what has more). */
const held = (x: Decimal): Decimal =>
  x.decimalPlaces() <= CELL_PLACES ? x : x.toDecimalPlaces(CELL_PLACES);

/**
 * Projects every workload's cost, quarter by quarter, under one scenario (docs/model.md "The
 * formula"). Each cell's primary and fallback parts are held to 12 decimal places, so every
 * breakdown — by quarter, workload, category, provider, fiscal year — adds up exactly to
 * the total.
 * @example project(tinyModel, onTime).total.toString() //=> "2908.014462"
 */
export function project(
  model: Model,
  s: ModelScenario,
  adjust: Adjust = {},
  prepared: readonly PreparedWorkload[] = prepare(model, adjust),
): Projection {
  const h = model.quarters.length;
  const index = priceIndex(s, h, adjust);
  const fallbackFactor = ONE.plus(s.fallbackPremium);
  const categorySeries = Object.fromEntries(
    CATEGORIES.map((c) => [c, Array.from({ length: h }, () => ZERO)]),
  ) as Record<Category, Decimal[]>;
  const byCategory = new Map(CATEGORIES.map((c) => [c, categorySeries[c]] as const));
  const byProvider = new Map<string, Decimal[]>();
  const providerSeries = (name: string) => {
    const known = byProvider.get(name);
    if (known) return known;
    const series = Array.from({ length: h }, () => ZERO);
    byProvider.set(name, series);
    return series;
  };
  const base = baseServed(s, h, adjust);
  // Workloads of one primary provider share its served series, and the workloads of one
  // category with the same served series share their factors.
  const servedByProvider = new Map<string, Served>();
  const factorsOf = new Map<Served, Map<Category, readonly Factors[]>>();
  const sole = soleContributors();
  const workloads: WorkloadSeries[] = prepared.map((pw) => {
    const w = pw.workload;
    const providerKey = w.primary.provider.toLowerCase();
    let sv = servedByProvider.get(providerKey);
    if (!sv) {
      sv = withUnserved(servedSeries(w, s, base));
      servedByProvider.set(providerKey, sv);
    }
    const { served, unserved } = sv;
    const idx = index[w.category];
    let byCategoryFactors = factorsOf.get(sv);
    if (!byCategoryFactors) {
      byCategoryFactors = new Map();
      factorsOf.set(sv, byCategoryFactors);
    }
    let f = byCategoryFactors.get(w.category);
    if (!f) {
      // biome-ignore lint/style/noNonNullAssertion: served and unserved have one entry per quarter, as idx
      f = idx.map((x, t) => factors(x, served[t]!, unserved[t]!, fallbackFactor));
      byCategoryFactors.set(w.category, f);
    }
    const primaryByProvider = providerSeries(w.primary.provider);
    const fallbackProvider = (w.fallback ?? w.primary).provider;
    let fallbackByProvider: Decimal[] | undefined;
    const category = categorySeries[w.category];
    const primary: Decimal[] = [];
    const fallback: Decimal[] = [];
    const cost: Decimal[] = [];
    let sum = ZERO;
    let fallbackSum = ZERO;
    let spilled = false;
    // biome-ignore-start lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
    for (let t = 0; t < h; t++) {
      // One cell of docs/model.md's formula, split by who is owed it: the served share at the
      // primary price, and the unserved share at the fallback price with the fallback
      // premium. Both parts are held to 12 decimal places, so sums of cells are exact.
      const ft = f[t]!;
      const amount = pw.primaryAmount[t]!;
      const p = held(ft.primary === ONE ? amount : amount.times(ft.primary));
      const u = ft.fallback === null ? ZERO : held(pw.fallbackAmount(t).times(ft.fallback));
      const c = u === ZERO ? p : p.plus(u);
      primary.push(p);
      fallback.push(u);
      cost.push(c);
      sum = add(sum, c);
      category[t] = add(category[t]!, c);
      primaryByProvider[t] = add(primaryByProvider[t]!, p);
      if (!u.isZero()) {
        spilled = true;
        fallbackSum = add(fallbackSum, u);
        fallbackByProvider ??= providerSeries(fallbackProvider);
        fallbackByProvider[t] = add(fallbackByProvider[t]!, u);
      }
    }
    // biome-ignore-end lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
    const series: WorkloadSeries = {
      workload: w,
      quantity: pw.quantity,
      served,
      index: idx,
      primaryPrice: pw.primaryPrice,
      fallbackPrice: pw.fallbackPrice,
      primary,
      fallback,
      cost,
      total: sum,
      fallbackTotal: fallbackSum,
    };
    sole.add(category, series, 'cost', spilled);
    sole.add(primaryByProvider, series, 'primary', spilled);
    if (fallbackByProvider) sole.add(fallbackByProvider, series, 'fallback', spilled);
    return series;
  });
  // biome-ignore-start lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter, and byFiscalYear one per fiscal year
  const byQuarter = Array.from({ length: h }, (_, t) =>
    CATEGORIES.reduce((acc, c) => add(acc, categorySeries[c][t]!), ZERO),
  );
  const byFiscalYear = new Map<string, Decimal>(model.fiscalYears.map((fy) => [fy, ZERO]));
  model.fiscalQuarters.forEach((fq, t) => {
    const fy = fq.slice(0, fq.indexOf('-'));
    byFiscalYear.set(fy, add(byFiscalYear.get(fy)!, byQuarter[t]!));
  });
  // biome-ignore-end lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter, and byFiscalYear one per fiscal year
  const totals = <K>(m: ReadonlyMap<K, readonly Decimal[]>) =>
    new Map([...m].map(([k, xs]) => [k, sole.total(xs) ?? seriesSum(xs)] as const));
  return {
    scenario: s,
    workloads,
    byQuarter,
    total: seriesSum(byQuarter),
    index,
    byCategory,
    categoryTotals: totals(byCategory),
    byProvider,
    providerTotals: totals(byProvider),
    byFiscalYear,
  };
}

/** Σ of quantity × price per category and quarter, over the workloads no rupture window caps. */
interface Aggregates {
  readonly primary: Readonly<Record<Category, readonly Decimal[]>>;
  readonly fallback: Readonly<Record<Category, readonly Decimal[]>>;
  /** Workloads whose primary provider has a rupture window: projected cell by cell. */
  readonly capped: readonly PreparedWorkload[];
}

const aggregateCache = new WeakMap<readonly PreparedWorkload[], Map<string, Aggregates>>();

function aggregates(
  prepared: readonly PreparedWorkload[],
  s: ModelScenario,
  h: number,
): Aggregates {
  const cappedProviders = new Set(s.caps.map((c) => c.provider));
  const key = [...cappedProviders].sort().join('\u0000');
  let byKey = aggregateCache.get(prepared);
  const hit = byKey?.get(key);
  if (hit) return hit;
  const zeros = () =>
    Object.fromEntries(CATEGORIES.map((c) => [c, Array.from({ length: h }, () => ZERO)])) as Record<
      Category,
      Decimal[]
    >;
  const primary = zeros();
  const fallback = zeros();
  const capped: PreparedWorkload[] = [];
  for (const pw of prepared) {
    if (cappedProviders.has(pw.workload.primary.provider.toLowerCase())) {
      capped.push(pw);
      continue;
    }
    const p = primary[pw.workload.category];
    const f = fallback[pw.workload.category];
    // biome-ignore-start lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
    for (let t = 0; t < h; t++) {
      p[t] = p[t]!.plus(pw.primaryAmount[t]!);
      f[t] = f[t]!.plus(pw.fallbackAmount(t));
    }
    // biome-ignore-end lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
  }
  const result = { primary, fallback, capped };
  if (!byKey) {
    byKey = new Map();
    aggregateCache.set(prepared, byKey);
  }
  byKey.set(key, result);
  return result;
}

/**
 * The horizon total only — the inner loop of the tornado and the grid. Every workload of a
 * category shares that category's index and, outside rupture windows, the scenario's served
 * share, so the total is computed per category and quarter on sums of quantity × price:
 * O(categories × quarters) a run instead of O(workloads × quarters). It is the exact total
 * of docs/model.md's formula; `project(model, s, adjust).total` holds each cell to 12 places
 * first, so the two differ by at most 5e-13 per cell.
 */
export function projectTotal(
  model: Model,
  s: ModelScenario,
  adjust: Adjust = {},
  prepared: readonly PreparedWorkload[] = prepare(model, adjust),
): Decimal {
  const h = model.quarters.length;
  const index = priceIndex(s, h, adjust);
  const fallbackFactor = ONE.plus(s.fallbackPremium);
  const delay = adjust.delayQuarters ?? s.delayQuarters;
  const availability = adjust.availability ?? s.availability;
  const spilled = ONE.minus(availability).times(fallbackFactor);
  const agg = aggregates(prepared, s, h);
  let total = ZERO;
  // biome-ignore-start lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
  for (const c of CATEGORIES) {
    const idx = index[c];
    const p = agg.primary[c];
    const f = agg.fallback[c];
    for (let t = 0; t < h; t++) {
      const amount = t < delay ? p[t]!.times(availability).plus(f[t]!.times(spilled)) : p[t]!;
      total = total.plus(amount.times(idx[t]!));
    }
  }
  const base = agg.capped.length > 0 ? baseServed(s, h, adjust) : [];
  for (const pw of agg.capped) {
    const served = servedSeries(pw.workload, s, base);
    const idx = index[pw.workload.category];
    for (let t = 0; t < h; t++) {
      const sv = served[t]!;
      const amount = pw.primaryAmount[t]!.times(sv).plus(
        pw.fallbackAmount(t).times(ONE.minus(sv)).times(fallbackFactor),
      );
      total = total.plus(amount.times(idx[t]!));
    }
  }
  // biome-ignore-end lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
  return total;
}
