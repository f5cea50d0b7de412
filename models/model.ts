import type { Assumptions } from './assumptions.ts';
import { CATEGORIES, type Category, dec } from './fields.ts';
import { type Decimal, ONE } from './money.ts';
import { type PriceRef, priceBook, unitPriceOf } from './price-book.ts';
import type { PriceSheet } from './price-sheet.ts';
import { fiscalQuarter, fiscalYearOf, quarterIndex, quarterRange } from './quarters.ts';
import { fail, type InputIssue, ok, type Result } from './result.ts';
import type { Scenario } from './scenarios.ts';

/** One priced SKU of a workload, converted to the reporting currency. */
export interface PricePoint {
  /** The provider's name as the assumptions spell it. */
  readonly provider: string;
  readonly jurisdiction: string;
  readonly currency: string;
  /** Contracted price when given, else list price, in `currency`. */
  readonly nativePrice: Decimal;
  /** Units of reporting currency per unit of `currency`. */
  readonly fxRate: Decimal;
  readonly ref: PriceRef;
  /** The same SKU in sheets of lower precedence, not used (see `priceBook`). */
  readonly passedOver: readonly PriceRef[];
}

export interface ModelWorkload {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  readonly unit: string;
  readonly baseQuantity: Decimal;
  readonly growthPerQuarter: Decimal;
  readonly efficiency: Decimal;
  readonly primary: PricePoint;
  /** `null`: the unserved share is priced at the primary SKU. */
  readonly fallback: PricePoint | null;
}

/** Assumptions joined with their prices: everything the engine needs, nothing else. */
export interface Model {
  readonly name: string;
  readonly currency: string;
  readonly quarters: readonly string[];
  readonly fiscalQuarters: readonly string[];
  /** Fiscal years touched by the horizon, in order. */
  readonly fiscalYears: readonly string[];
  readonly fiscalYearStartMonth: number;
  readonly fx: ReadonlyMap<string, Decimal>;
  readonly budget: ReadonlyMap<string, Decimal>;
  readonly workloads: readonly ModelWorkload[];
  readonly assumptions: Assumptions;
  readonly sheets: readonly PriceSheet[];
}

/** A scenario with its quarters turned into horizon indices and its rates into decimals. */
export interface ModelScenario {
  readonly id: string;
  readonly name: string;
  readonly delayQuarters: number;
  readonly priceDeclinePerQuarter: Readonly<Record<Category, Decimal>>;
  readonly shortagePremium: Decimal;
  readonly availability: Decimal;
  readonly fallbackPremium: Decimal;
  readonly caps: readonly {
    readonly provider: string;
    readonly from: number;
    readonly to: number;
    readonly availability: Decimal;
  }[];
  readonly source: Scenario;
}

export const UNKNOWN_JURISDICTION = 'unknown';

/**
 * Joins validated assumptions with validated price sheets. Every workload's SKU must be
 * found once, with the workload's unit, in a currency that has an FX rate; otherwise the
 * issues name the workload's field and the candidates, and nothing is computed.
 */
export function buildModel(a: Assumptions, sheets: readonly PriceSheet[]): Result<Model> {
  const issues: InputIssue[] = [];
  const book = priceBook(sheets);
  const listed = new Map(a.providers.map((p) => [p.name.trim().toLowerCase(), p] as const));
  const fx = new Map<string, Decimal>([[a.reportingCurrency, ONE]]);
  for (const [c, r] of Object.entries(a.fx)) if (c !== a.reportingCurrency) fx.set(c, dec(r));

  const point = (
    provider: string,
    skuId: string,
    region: string | null | undefined,
    unit: string,
    path: (string | number)[],
  ): PricePoint | null => {
    const found = book.lookup({ provider, skuId, region });
    if (found.kind !== 'found') {
      issues.push({ field: path.concat('skuId').join('.'), value: skuId, message: found.message });
      return null;
    }
    const { row } = found.ref;
    if (row.PricingUnit !== unit) {
      issues.push({
        field: path.length === 2 ? path.concat('unit').join('.') : path.concat('skuId').join('.'),
        value: unit,
        message: `unit "${unit}" differs from the PricingUnit "${row.PricingUnit}" of ${row.ProviderName} ${row.SkuId} (${found.ref.sheet.name}${found.ref.line ? `:${found.ref.line}` : ''}); costcast never converts units silently`,
      });
      return null;
    }
    const rate = fx.get(row.PricingCurrency);
    if (!rate) {
      issues.push({
        field: 'fx',
        value: row.PricingCurrency,
        message: `no FX rate for ${row.PricingCurrency} (price of ${row.ProviderName} ${row.SkuId}); add "fx": { "${row.PricingCurrency}": "<${a.reportingCurrency} per ${row.PricingCurrency}>" }`,
      });
      return null;
    }
    return {
      provider: listed.get(provider.trim().toLowerCase())?.name ?? provider.trim(),
      jurisdiction: listed.get(provider.trim().toLowerCase())?.jurisdiction ?? UNKNOWN_JURISDICTION,
      currency: row.PricingCurrency,
      nativePrice: unitPriceOf(row),
      fxRate: rate,
      ref: found.ref,
      passedOver: found.passedOver,
    };
  };

  const workloads: ModelWorkload[] = [];
  a.workloads.forEach((w, i) => {
    const primary = point(w.provider, w.skuId, w.region, w.unit, ['workloads', i]);
    const fallback = w.fallback
      ? point(w.fallback.provider, w.fallback.skuId, w.fallback.region, w.unit, [
          'workloads',
          i,
          'fallback',
        ])
      : null;
    if (!primary || (w.fallback && !fallback)) return;
    workloads.push({
      index: i,
      id: w.id,
      name: w.name,
      category: w.category,
      unit: w.unit,
      baseQuantity: dec(w.baseQuantity),
      growthPerQuarter: dec(w.growthPerQuarter),
      efficiency: dec(w.efficiency),
      primary,
      fallback,
    });
  });
  if (issues.length > 0) return fail(issues);

  const quarters = quarterRange(a.startQuarter, a.horizonQuarters);
  const fiscalQuarters = quarters.map((q) => fiscalQuarter(q, a.fiscalYearStartMonth));
  const fiscalYears = [...new Set(fiscalQuarters.map(fiscalYearOf))];
  const budget = new Map(Object.entries(a.budget ?? {}).map(([fy, v]) => [fy, dec(v)] as const));
  return ok(
    Object.freeze({
      name: a.name,
      currency: a.reportingCurrency,
      quarters,
      fiscalQuarters,
      fiscalYears,
      fiscalYearStartMonth: a.fiscalYearStartMonth,
      fx,
      budget,
      workloads,
      assumptions: a,
      sheets,
    }),
  );
}

/** Turns a validated scenario into horizon indices and decimals for `model`. */
export function buildScenario(s: Scenario, startQuarter: string): ModelScenario {
  const priceDeclinePerQuarter = Object.fromEntries(
    CATEGORIES.map((c) => [c, dec(s.priceDeclinePerQuarter[c] ?? '0')]),
  ) as Record<Category, Decimal>;
  return Object.freeze({
    id: s.id,
    name: s.name,
    delayQuarters: s.delayQuarters,
    priceDeclinePerQuarter,
    shortagePremium: dec(s.shortagePremium),
    availability: dec(s.availability),
    fallbackPremium: dec(s.fallbackPremium),
    caps: s.providerAvailability.map((p) => ({
      provider: p.provider.trim().toLowerCase(),
      from: quarterIndex(startQuarter, p.from),
      to: quarterIndex(startQuarter, p.to),
      availability: dec(p.availability),
    })),
    source: s,
  });
}

/**
 * `f(model)`, worked out once per model and kept with it while the model lives: for what
 * depends on the model only, when a caller keeps a model for several forecasts.
 */
export function perModel<T>(f: (model: Model) => T): (model: Model) => T {
  const kept = new WeakMap<Model, T>();
  return (model) => {
    if (kept.has(model)) return kept.get(model) as T;
    const value = f(model);
    kept.set(model, value);
    return value;
  };
}

/** A price point's unit price in the reporting currency. */
export const reportingPrice = (p: PricePoint): Decimal => p.nativePrice.times(p.fxRate);
