import type { Adjustment } from './adjust.ts';
import type { Assumptions } from './assumptions.ts';
import { type Concentration, concentration } from './concentration.ts';
import { CATEGORIES } from './fields.ts';
import type { ForecastJson } from './forecast-json.ts';
import {
  asOfQuarterOf,
  DEFAULT_STALE_AFTER_QUARTERS,
  freshness,
  KIND_RANK,
  readAsOfDate,
} from './freshness.ts';
import {
  buildModel,
  buildScenario,
  type Model,
  type ModelScenario,
  perModel,
  UNKNOWN_JURISDICTION,
} from './model.ts';
import { Decimal, money, rate } from './money.ts';
import { MAX_DRAWS, type MonteCarloScenario, monteCarlo } from './monte-carlo.ts';
import { type Notice, noticeText, uniqueNotices } from './notices.ts';
import { lists, type PriceRef, rankOf } from './price-book.ts';
import type { PriceSheet } from './price-sheet.ts';
import { type Projection, preparedOnce, project } from './projection.ts';
import {
  DRIVER_IDS,
  type DriverId,
  type DriverRange,
  monteCarloRanges,
  type RangesInput,
  resolveRanges,
} from './ranges.ts';
import { fail, type InputIssue, ok, type Result } from './result.ts';
import { DEFAULT_SCENARIOS, type Scenario } from './scenarios.ts';
import { type Grid, grid, type TornadoBar, tornado } from './sensitivity.ts';
import { type DrawnRange, drawnRanges, type SkewDriver, skewDrivers } from './skew.ts';

export interface ForecastOptions {
  /** Default: docs/model.md's on-time and delayed scenarios. */
  readonly scenarios?: readonly Scenario[];
  readonly ranges?: RangesInput;
  /** Monte Carlo draws per scenario; 0 skips Monte Carlo. Default 10 000. */
  readonly draws?: number;
  /** The tornado and the grid; `false` skips them (a what-if's fast loop). Default true. */
  readonly sensitivity?: boolean;
  readonly seed?: number;
  /**
   * The forecast's as-of quarter (`forecastAsOfQuarter()`): the prices' age and staleness are
   * counted from it. Absent: ages and staleness are unknown (null).
   */
  readonly asOfQuarter?: string;
  /** A sheet is stale when more than this many quarters older than `asOfQuarter`. Default 1. */
  readonly staleAfterQuarters?: number;
  /**
   * The what-if adjustment the assumptions were built with (models/adjust.ts, already applied
   * by the caller): recorded as the JSON's `adjust` and a warning. Absent or null: none.
   */
  readonly adjustment?: Adjustment | null;
}

/** A scenario's Monte Carlo with the ranges it drew and where the point forecast falls. */
export interface MonteCarloResult extends MonteCarloScenario {
  /** The scenario's point forecast, the horizon total the draws are compared with. */
  readonly forecast: Decimal;
  readonly ranges: readonly DrawnRange[];
  /** The share of draws whose horizon total is below the point forecast. */
  readonly shareBelowForecast: number;
  readonly forecastPosition: 'below-p10' | 'inside' | 'above-p90';
  /** Drivers drawn from ranges asymmetric around their base, largest effect first. */
  readonly skewedBy: readonly SkewDriver[];
}

export interface Forecast {
  readonly model: Model;
  readonly scenarios: readonly ModelScenario[];
  readonly projections: readonly Projection[];
  readonly tornado: readonly TornadoBar[];
  readonly grids: readonly Grid[];
  readonly monteCarlo: readonly MonteCarloResult[];
  /** The ranges the Monte Carlo drew (`monteCarloRanges` of the tornado's). */
  readonly monteCarloRanges: Readonly<Record<DriverId, DriverRange>>;
  readonly concentration: readonly Concentration[];
  /** The forecast's warnings, to be told in the reader's language. */
  readonly notices: readonly Notice[];
  readonly json: ForecastJson;
}

export const DEFAULT_DRAWS = 10_000;
export const DEFAULT_SEED = 20_270_101;

/**
 * The whole forecast: projection of every scenario, tornado, grid, Monte Carlo and
 * concentration, and the forecast JSON of docs/contracts.md. Inputs must already be validated;
 * joining them with the price sheets can still fail (missing SKU, unit mismatch, no FX
 * rate…), and then nothing is computed.
 */
export function forecast(
  assumptions: Assumptions,
  sheets: readonly PriceSheet[],
  options: ForecastOptions = {},
): Result<Forecast> {
  const issues = drawsIssues(options);
  if (issues.length > 0) return fail(issues);
  const built = buildModel(assumptions, sheets);
  return built.ok ? forecastModel(built.value, options) : built;
}

function drawsIssues(options: ForecastOptions): InputIssue[] {
  const draws = options.draws ?? DEFAULT_DRAWS;
  return !Number.isInteger(draws) || draws < 0 || draws > MAX_DRAWS
    ? [
        {
          field: 'draws',
          value: String(draws),
          message: `must be a whole number from 0 to ${MAX_DRAWS}`,
        },
      ]
    : [];
}

/**
 * `forecast()` of a model already built by `buildModel`: a caller that forecasts the same
 * assumptions and price sheets again (a compute worker answering what-ifs on a stored
 * assumption set) builds and prepares the model once.
 */
export function forecastModel(model: Model, options: ForecastOptions = {}): Result<Forecast> {
  const draws = options.draws ?? DEFAULT_DRAWS;
  const seed = options.seed ?? DEFAULT_SEED;
  const issues = drawsIssues(options);
  if (issues.length > 0) return fail(issues);
  const scenarioIssues = checkScenarios(model, options.scenarios ?? DEFAULT_SCENARIOS);
  if (scenarioIssues.length > 0) return fail(scenarioIssues);
  const scenarios = (options.scenarios ?? DEFAULT_SCENARIOS).map((s) =>
    buildScenario(s, model.assumptions.startQuarter),
  );
  const ranges = resolveRanges(options.ranges);
  const prepared = preparedOnce(model);
  const projections = scenarios.map((s) => project(model, s, {}, prepared));
  const withSensitivity = options.sensitivity ?? true;
  const bars = withSensitivity ? scenarios.flatMap((s) => tornado(model, s, ranges)) : [];
  const grids = withSensitivity ? scenarios.map((s) => grid(model, s)) : [];
  const mcRanges = monteCarloRanges(ranges);
  const mc =
    draws > 0
      ? projections.map((p) => monteCarloOf(model, p.scenario, p, draws, seed, mcRanges))
      : [];
  const conc = projections.map(concentration);
  // The JSON's headline concentration is the first scenario's.
  const headline = conc[0];
  if (headline === undefined)
    return fail([{ field: 'scenarios', message: 'must list at least one scenario' }]);
  const parts = {
    model,
    scenarios,
    projections,
    tornado: bars,
    grids,
    monteCarlo: mc,
    monteCarloRanges: mcRanges,
    concentration: conc,
    notices: options.adjustment
      ? [
          ...noticesOf(model),
          {
            kind: 'what-if-adjustment' as const,
            growth: options.adjustment.growth ?? null,
            efficiency: options.adjustment.efficiency ?? null,
          },
        ]
      : noticesOf(model),
  };
  const fresh = {
    asOfQuarter: options.asOfQuarter ?? null,
    staleAfterQuarters: options.staleAfterQuarters ?? DEFAULT_STALE_AFTER_QUARTERS,
  };
  const json = toJson(parts, headline, draws, seed, ranges, fresh);
  // Only on an adjusted forecast: every other forecast's JSON stays byte for byte as it was.
  return ok({
    ...parts,
    json: options.adjustment ? { ...json, adjust: { ...options.adjustment } } : json,
  });
}

function monteCarloOf(
  model: Model,
  s: ModelScenario,
  p: Projection,
  draws: number,
  seed: number,
  ranges: Readonly<Record<DriverId, DriverRange>>,
): MonteCarloResult {
  const point = p.total.toNumber();
  const mc = monteCarlo(model, s, { draws, seed, ranges, forecast: point });
  return {
    ...mc,
    forecast: p.total,
    ranges: drawnRanges(model, s, ranges),
    shareBelowForecast: mc.shareBelowForecast ?? 0,
    forecastPosition:
      point < mc.total.p10 ? 'below-p10' : point > mc.total.p90 ? 'above-p90' : 'inside',
    skewedBy: skewDrivers(model, s, ranges),
  };
}

/** Provider-availability windows must name a provider a workload uses. */
export function checkScenarios(model: Model, scenarios: readonly Scenario[]): InputIssue[] {
  const used = new Set(model.workloads.map((w) => w.primary.provider.toLowerCase()));
  const issues: InputIssue[] = [];
  scenarios.forEach((s, i) => {
    s.providerAvailability.forEach((p, j) => {
      if (!used.has(p.provider.trim().toLowerCase()))
        issues.push({
          field: `scenarios.${i}.providerAvailability.${j}.provider`,
          path: ['scenarios', i, 'providerAvailability', j, 'provider'],
          value: p.provider,
          message: `no workload has "${p.provider}" as its primary provider (used: ${[...new Set(model.workloads.map((w) => w.primary.provider))].join(', ')})`,
        });
    });
  });
  return issues;
}

const amounts = (xs: readonly Decimal[]) => xs.map(money);
const shares = (m: ReadonlyMap<string, Decimal>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, rate(v)]));
const float2 = (x: number) => money(new Decimal(x));

function priceJson(ref: PriceRef, fxRate: Decimal) {
  const { row } = ref;
  const native = new Decimal(row.ContractedUnitPrice ?? row.ListUnitPrice);
  return {
    provider: row.ProviderName,
    skuId: row.SkuId,
    regionId: row.RegionId ?? null,
    unit: row.PricingUnit,
    currency: row.PricingCurrency,
    listUnitPrice: row.ListUnitPrice,
    contractedUnitPrice: row.ContractedUnitPrice ?? null,
    fxRate: fxRate.toString(),
    unitPrice: native.times(fxRate).toString(),
    sheet: ref.sheet.name,
    kind: kindOf(ref.sheet),
    line: ref.line ?? null,
    asOf: row.x_AsOf ?? ref.sheet.asOfQuarter ?? null,
    source: row.x_Source ?? null,
  };
}

const kindOf = (sheet: PriceSheet) => sheet.kind ?? 'provider';

/** Where a workload's price came from, as the forecast JSON states it. */
const sourceJson = (ref: PriceRef) => ({
  sheetId: ref.sheet.id,
  sheet: ref.sheet.name,
  kind: kindOf(ref.sheet),
  line: ref.line ?? null,
});

const sheetDates = new WeakMap<PriceSheet, string | null>();

/**
 * A sheet's as-of: its newest valid `x_AsOf` date (null when no row has one), and its as-of
 * quarter — the quarter it was uploaded for when known (the service), else the quarter of
 * that date (the CLI). Worked out once per sheet object.
 */
export function sheetAsOf(sheet: PriceSheet): { date: string | null; quarter: string | null } {
  let date = sheetDates.get(sheet);
  if (date === undefined) {
    date = null;
    for (const r of sheet.rows) {
      if (!r.x_AsOf) continue;
      const d = readAsOfDate(r.x_AsOf);
      if (d.ok && (date === null || d.date > date)) date = d.date;
    }
    sheetDates.set(sheet, date);
  }
  return { date, quarter: sheet.asOfQuarter ?? asOfQuarterOf(date) };
}

/**
 * The price sheets that priced at least one workload, in the order the model has them, each
 * with its kind, as-of, age and staleness for a forecast as of `asOfQuarter`.
 */
export function usedSheets(
  model: Model,
  asOfQuarter: string | null,
  staleAfterQuarters: number,
): ForecastJson['priceSheets'] {
  const rows = new Map<PriceSheet, Set<PriceRef['row']>>();
  for (const w of model.workloads)
    for (const p of [w.primary, w.fallback]) {
      if (!p) continue;
      const set = rows.get(p.ref.sheet) ?? new Set();
      set.add(p.ref.row);
      rows.set(p.ref.sheet, set);
    }
  return model.sheets.flatMap((s) => {
    const used = rows.get(s);
    if (!used) return [];
    const asOf = sheetAsOf(s);
    return {
      id: s.id,
      name: s.name,
      kind: kindOf(s),
      asOfQuarter: asOf.quarter,
      asOfDate: asOf.date,
      ...freshness(asOf.quarter, asOfQuarter, staleAfterQuarters),
      rowsUsed: used.size,
    };
  });
}

/**
 * Warnings where precedence decided: a lower-precedence sheet listed the SKU and was passed
 * over, or a price came from a lower-precedence sheet because a higher one of the same
 * provider does not list the SKU.
 */
function precedenceNotices(model: Model): Notice[] {
  const notices: Notice[] = [];
  for (const w of model.workloads)
    for (const p of [w.primary, w.fallback]) {
      if (!p) continue;
      const used = p.ref.sheet;
      const base = {
        workload: w.id,
        sku: p.ref.row.SkuId,
        provider: p.provider,
        sheet: used.name,
        sheetKind: kindOf(used),
      };
      const skipped = new Set<PriceSheet>();
      for (const other of p.passedOver) {
        if (skipped.has(other.sheet)) continue;
        skipped.add(other.sheet);
        notices.push({
          kind: 'precedence-skipped',
          ...base,
          skippedSheet: other.sheet.name,
          skippedKind: kindOf(other.sheet),
          skippedAsOf: sheetAsOf(other.sheet).date ?? other.sheet.asOfQuarter ?? null,
        });
      }
      const higher = model.sheets.filter((s) => {
        if (rankOf(s) <= rankOf(used)) return false;
        const listed = lists(s, p.ref.row.ProviderName, p.ref.row.SkuId);
        return listed.provider && !listed.sku;
      });
      if (higher.length === 0) continue;
      const best = higher.reduce((a, b) => (rankOf(b) > rankOf(a) ? b : a));
      notices.push({
        kind: 'precedence-fallback',
        ...base,
        higherSheet: best.name,
        higherKind: kindOf(best),
      });
    }
  return notices;
}

/**
 * A warning for each price taken from a sheet older than another given sheet of the same
 * provider that does not list the SKU: the provider may have withdrawn it, or the newer sheet
 * may cover only part of its catalogue. Either way a reviewer should know.
 */
function stalePrices(model: Model): Notice[] {
  const notices: Notice[] = [];
  for (const w of model.workloads)
    for (const p of [w.primary, w.fallback]) {
      const from = p?.ref.sheet;
      const fromAsOf = from?.asOfQuarter;
      if (!p || !from || fromAsOf === undefined) continue;
      const newer = model.sheets.filter((s): s is PriceSheet & { readonly asOfQuarter: string } => {
        if (s.asOfQuarter === undefined || s.asOfQuarter <= fromAsOf) return false;
        // Across kinds, precedence decides (see precedenceNotices).
        if (KIND_RANK[kindOf(s)] !== KIND_RANK[kindOf(from)]) return false;
        const listed = lists(s, p.ref.row.ProviderName, p.ref.row.SkuId);
        return listed.provider && !listed.sku;
      });
      if (newer.length === 0) continue;
      const latest = newer.reduce((a, b) => (b.asOfQuarter > a.asOfQuarter ? b : a));
      notices.push({
        kind: 'stale-price',
        workload: w.id,
        sku: p.ref.row.SkuId,
        provider: p.provider,
        sheet: from.name,
        asOf: fromAsOf,
        newerSheet: latest.name,
        newerAsOf: latest.asOfQuarter,
      });
    }
  return notices;
}

/** How many of each fiscal year's quarters the horizon holds. */
function quartersByFiscalYear(model: Model): Map<string, number> {
  const count = new Map<string, number>();
  for (const fq of model.fiscalQuarters) {
    const fy = fq.slice(0, fq.indexOf('-'));
    count.set(fy, (count.get(fy) ?? 0) + 1);
  }
  return count;
}

/**
 * What a reviewer should know: unknown jurisdictions, stale prices, budgets out of range.
 * They depend on the model only: worked out once per model, frozen.
 */
const noticesOf = perModel((model): readonly Notice[] =>
  Object.freeze(noticeList(model).map((n) => Object.freeze(n))),
);

function noticeList(model: Model): Notice[] {
  const notices: Notice[] = [];
  for (const w of model.workloads)
    for (const p of [w.primary, w.fallback])
      if (p?.jurisdiction === UNKNOWN_JURISDICTION)
        notices.push({ kind: 'unknown-jurisdiction', provider: p.provider });
  notices.push(...stalePrices(model));
  notices.push(...precedenceNotices(model));
  for (const fy of model.budget.keys())
    if (!model.fiscalYears.includes(fy))
      notices.push({
        kind: 'budget-outside-horizon',
        fiscalYear: fy,
        fiscalYears: model.fiscalYears,
      });
  for (const [fy, n] of quartersByFiscalYear(model))
    if (n < 4 && model.budget.has(fy))
      notices.push({ kind: 'partial-budget-year', fiscalYear: fy, quarters: n });
  return uniqueNotices(notices);
}

/**
 * The prices the model uses, as the forecast JSON lists them: one per SKU, region and sheet.
 * They depend on the model only: worked out once per model, frozen (every forecast of the
 * model shares them).
 */
const pricesOf = perModel((model) => {
  const seen = new Map<string, ReturnType<typeof priceJson>>();
  for (const w of model.workloads)
    for (const p of [w.primary, w.fallback]) {
      if (!p) continue;
      const j = priceJson(p.ref, p.fxRate);
      seen.set(`${j.provider}|${j.skuId}|${j.regionId}|${j.sheet}`, j);
    }
  return Object.freeze([...seen.values()].map((j) => Object.freeze(j)));
});

const rangeJson = (r: DrawnRange) => ({
  driver: r.driver,
  mode: r.mode,
  low: r.low.toString(),
  base: r.base?.toString() ?? null,
  high: r.high.toString(),
  symmetric: r.symmetric,
});

function toJson(
  f: Omit<Forecast, 'json'>,
  headline: Concentration,
  draws: number,
  seed: number,
  ranges: ReturnType<typeof resolveRanges>,
  fresh: { readonly asOfQuarter: string | null; readonly staleAfterQuarters: number },
): ForecastJson {
  const { model } = f;
  const quarterCount = quartersByFiscalYear(model);

  return {
    name: model.name,
    currency: model.currency,
    startQuarter: model.assumptions.startQuarter,
    asOfQuarter: fresh.asOfQuarter,
    staleAfterQuarters: fresh.staleAfterQuarters,
    fiscalYearStartMonth: model.fiscalYearStartMonth,
    quarters: [...model.quarters],
    fiscalQuarters: [...model.fiscalQuarters],
    fiscalYears: [...model.fiscalYears],
    scenarios: f.projections.map((p) => {
      const s = p.scenario;
      return {
        id: s.id,
        name: s.name,
        parameters: {
          delayQuarters: s.delayQuarters,
          priceDeclinePerQuarter: Object.fromEntries(
            CATEGORIES.map((c) => [c, s.priceDeclinePerQuarter[c].toString()]),
          ),
          shortagePremium: s.shortagePremium.toString(),
          availability: s.availability.toString(),
          fallbackPremium: s.fallbackPremium.toString(),
          providerAvailability: s.source.providerAvailability.map((c) => ({ ...c })),
        },
        total: money(p.total),
        // biome-ignore-start lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
        byQuarter: p.byQuarter.map((v, t) => ({
          quarter: model.quarters[t]!,
          fiscalQuarter: model.fiscalQuarters[t]!,
          total: money(v),
        })),
        // biome-ignore-end lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
        byWorkload: p.workloads.map((w) => ({
          workloadId: w.workload.id,
          name: w.workload.name,
          category: w.workload.category,
          provider: w.workload.primary.provider,
          fallbackProvider: w.workload.fallback?.provider ?? null,
          quarters: amounts(w.cost),
          total: money(w.total),
        })),
        // biome-ignore-start lint/style/noNonNullAssertion: byCategory and byProvider have the keys of their totals (totals() maps them)
        byCategory: Object.fromEntries(
          [...p.byCategory].map(([c, xs]) => [
            c,
            { total: money(p.categoryTotals.get(c)!), quarters: amounts(xs) },
          ]),
        ),
        byProvider: Object.fromEntries(
          [...p.byProvider].map(([k, xs]) => [
            k,
            { total: money(p.providerTotals.get(k)!), quarters: amounts(xs) },
          ]),
        ),
        // biome-ignore-end lint/style/noNonNullAssertion: byCategory and byProvider have the keys of their totals (totals() maps them)
        byFiscalYear: Object.fromEntries(
          [...p.byFiscalYear].map(([fy, total]) => {
            const budget = model.budget.get(fy);
            const n = quarterCount.get(fy) ?? 0;
            return [
              fy,
              {
                total: money(total),
                quarterCount: n,
                complete: n === 4,
                budget: budget ? money(budget) : null,
                headroom: budget ? money(budget.minus(total)) : null,
              },
            ];
          }),
        ),
      };
    }),
    sensitivity: {
      ranges: DRIVER_IDS.map((id) => ({
        driver: id,
        mode: ranges[id].mode,
        low: ranges[id].low,
        high: ranges[id].high,
      })),
      tornado: f.tornado.map((b) => ({
        scenarioId: b.scenarioId,
        driver: b.driver,
        mode: b.mode,
        low: b.low,
        high: b.high,
        totalAtLow: money(b.totalAtLow),
        totalAtHigh: money(b.totalAtHigh),
        swing: money(b.swing),
      })),
      grid: f.grids.map((g) => ({
        scenarioId: g.scenarioId,
        delays: [...g.delays],
        multipliers: [...g.multipliers],
        totals: g.totals.map((row) => amounts(row)),
      })),
    },
    monteCarlo: {
      draws,
      seed,
      ranges: DRIVER_IDS.map((id) => ({
        driver: id,
        mode: f.monteCarloRanges[id].mode,
        low: f.monteCarloRanges[id].low,
        high: f.monteCarloRanges[id].high,
      })),
      scenarios: f.monteCarlo.map((m) => ({
        id: m.id,
        total: { p10: float2(m.total.p10), p50: float2(m.total.p50), p90: float2(m.total.p90) },
        byQuarter: m.byQuarter.map((q, t) => ({
          // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
          quarter: model.quarters[t]!,
          p10: float2(q.p10),
          p50: float2(q.p50),
          p90: float2(q.p90),
        })),
        probabilityOverBudget: Object.fromEntries(
          [...m.probabilityOverBudget].map(([fy, p]) => [fy, rate(new Decimal(p), 4)]),
        ),
        forecast: money(m.forecast),
        shareBelowForecast: rate(new Decimal(m.shareBelowForecast), 4),
        forecastPosition: m.forecastPosition,
        ranges: m.ranges.map(rangeJson),
        skewedBy: m.skewedBy.map((d) => ({ ...rangeJson(d), effect: money(d.effect) })),
      })),
    },
    concentration: {
      scenarioId: headline.scenarioId,
      byProvider: shares(headline.byProvider),
      byJurisdiction: shares(headline.byJurisdiction),
      hhi: money(headline.hhi),
      scenarios: f.concentration.map((c) => ({
        scenarioId: c.scenarioId,
        byProvider: shares(c.byProvider),
        byJurisdiction: shares(c.byJurisdiction),
        hhi: money(c.hhi),
        jurisdictionHhi: money(c.jurisdictionHhi),
        fallbackSpendByProvider: Object.fromEntries(
          [...c.fallbackByProvider].map(([k, v]) => [k, money(v)]),
        ),
      })),
    },
    prices: [...pricesOf(model)],
    priceSheets: usedSheets(model, fresh.asOfQuarter, fresh.staleAfterQuarters),
    workloadPrices: model.workloads.map((w) => ({
      workloadId: w.id,
      primary: sourceJson(w.primary.ref),
      fallback: w.fallback ? sourceJson(w.fallback.ref) : null,
    })),
    warnings: f.notices.map(noticeText),
  };
}
