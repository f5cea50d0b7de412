import type { Assumptions } from './assumptions.ts';
import { CATEGORIES, type Category } from './fields.ts';
import { checkScenarios } from './forecast.ts';
import {
  buildModel,
  buildScenario,
  type Model,
  type ModelScenario,
  type ModelWorkload,
  type PricePoint,
} from './model.ts';
import { Decimal } from './money.ts';
import type { PriceSheet } from './price-sheet.ts';
import { type PreparedWorkload, prepare, project } from './projection.ts';
import { fail, type InputIssue, ok, type Result } from './result.ts';
import { DEFAULT_SCENARIOS, type Scenario } from './scenarios.ts';

/**
 * The effects of the bridge from an old forecast's total to a new one's, in the order they
 * are taken (docs/model.md "Variance"). Each is the change of the exact (non-Monte-Carlo)
 * total when one more group of the new inputs replaces the old ones:
 * 1. `removed`  — workloads of the old forecast that the new one lacks (or whose unit
 *                 changed), taken out at their old cost;
 * 2. `horizon`  — the new start quarter and horizon (rupture windows re-placed on it);
 * 3. `volume`   — base quantity, growth and efficiency of the continuing workloads;
 * 4. `price`    — their unit prices (SKU, provider, region, fallback, category, native price
 *                 and currency), still at the old FX rates;
 * 5. `fx`       — the new FX rates;
 * 6. `scenario` — the new scenario parameters (delay, declines, premiums, availability,
 *                 rupture windows);
 * 7. `new`      — workloads only the new forecast has, at the new inputs.
 */
export const EFFECTS = ['removed', 'horizon', 'volume', 'price', 'fx', 'scenario', 'new'] as const;
export type EffectId = (typeof EFFECTS)[number];

/**
 * One line of the bridge — a scenario's total, or one workload's — as amounts (decimal
 * strings). `old + Σ effects = new`, exactly, both as rounded and as exact values:
 * a rounded effect is the difference of the rounded totals before and after its step, so the
 * rounded effects add up to `change`, which is `new − old` of the rounded totals.
 */
export interface BridgeLine {
  /** The old forecast's total, 2 places ("0.00" for a line the old forecast lacks). */
  readonly old: string;
  readonly new: string;
  /** new − old, 2 places. */
  readonly change: string;
  /** Per effect, 2 places; they add up to `change` exactly. */
  readonly effects: Readonly<Record<EffectId, string>>;
  /** The same, unrounded (the cells' 12 places): they add up to `exact.change` exactly. */
  readonly exact: {
    readonly old: string;
    readonly new: string;
    readonly change: string;
    readonly effects: Readonly<Record<EffectId, string>>;
  };
}

/** A price point of a workload, as the bridge shows it (reporting-currency unit price). */
export interface BridgePrice {
  readonly provider: string;
  readonly skuId: string;
  readonly regionId: string | null;
  readonly currency: string;
  /** Contracted price when given, else list price, in `currency`. */
  readonly nativePrice: string;
  /** Units of the reporting currency per unit of `currency`. */
  readonly fxRate: string;
  /** nativePrice × fxRate. */
  readonly unitPrice: string;
  /** The sheet (file name or stored version) and line the price came from. */
  readonly sheet: string;
  readonly line: number | null;
}

export interface WorkloadPrices {
  readonly category: Category;
  readonly unit: string;
  readonly primary: BridgePrice;
  /** `null`: the unserved share is priced at the primary SKU. */
  readonly fallback: BridgePrice | null;
}

/**
 * How a workload is matched: by `id`. `continuing` — in both with the same unit; `removed` —
 * only in the old; `new` — only in the new; `replaced` — in both but its unit changed, so its
 * quantities cannot be compared: bridged as removed (old cost out) and new (new cost in).
 */
export type WorkloadStatus = 'continuing' | 'removed' | 'new' | 'replaced';

export interface WorkloadBridge extends BridgeLine {
  readonly workloadId: string;
  /** The new name, else the old one. */
  readonly name: string;
  readonly status: WorkloadStatus;
  /** The workload's pricing in each forecast (null where it is absent). */
  readonly prices: { readonly old: WorkloadPrices | null; readonly new: WorkloadPrices | null };
}

export interface ScenarioBridge {
  readonly id: string;
  /** The new forecast's name for the scenario. */
  readonly name: string;
  readonly oldName: string;
  readonly total: BridgeLine;
  /** New forecast's order, then the workloads only the old one had, in its order. */
  readonly workloads: readonly WorkloadBridge[];
  /**
   * The scenario parameters that differ (`delayQuarters`, `priceDeclinePerQuarter.storage`,
   * `shortagePremium`, `availability`, `fallbackPremium`, `providerAvailability`).
   */
  readonly changedParameters: readonly string[];
  /** The same, with the old and the new value as text (windows: `provider from…to availability`). */
  readonly parameterChanges: readonly {
    readonly parameter: string;
    readonly old: string;
    readonly new: string;
  }[];
}

/** What the bridge compares: one forecast's horizon and size. */
export interface VarianceSide {
  readonly name: string;
  readonly startQuarter: string;
  readonly horizonQuarters: number;
  readonly quarters: readonly string[];
  readonly workloads: number;
  readonly scenarios: readonly { readonly id: string; readonly name: string }[];
}

/** The bridge of every scenario the two forecasts share. */
export interface Variance {
  /** The reporting currency, the same for both (different ones are refused). */
  readonly currency: string;
  /** The order of the effects (`EFFECTS`). */
  readonly effects: readonly EffectId[];
  readonly old: VarianceSide;
  readonly new: VarianceSide;
  readonly scenarios: readonly ScenarioBridge[];
  /** Scenarios only one forecast has (matched by id): not bridged, their totals stated. */
  readonly unmatchedScenarios: readonly {
    readonly id: string;
    readonly name: string;
    readonly side: 'old' | 'new';
    readonly total: string;
  }[];
  /** FX rates (of currencies either forecast prices in) that differ: null where absent. */
  readonly fxChanges: readonly {
    readonly currency: string;
    readonly old: string | null;
    readonly new: string | null;
  }[];
}

/** One forecast's inputs, as `forecast()` takes them. */
export interface VarianceInputs {
  readonly assumptions: Assumptions;
  readonly sheets: readonly PriceSheet[];
  /** Default: docs/model.md's on-time and delayed scenarios. */
  readonly scenarios?: readonly Scenario[] | undefined;
}

/** A joined forecast: its model and its scenarios. */
export interface VarianceModel {
  readonly model: Model;
  readonly scenarios: readonly Scenario[];
}

/**
 * Bridge arithmetic: wide enough that every difference and sum of totals (34 significant
 * digits, 12 places) is exact, so the parts add up to the change by construction.
 */
const Wide = Decimal.clone({ precision: 200 });
type Wide = InstanceType<typeof Wide>;
const wide = (x: Decimal): Wide => new Wide(x.toString());
const WZERO = new Wide(0);

/** Amounts as text: `places` decimals (half away from zero), or every digit; never "-0". */
function text(x: Wide, places?: number): string {
  const t = places === undefined ? x.toFixed() : x.toFixed(places, Wide.ROUND_HALF_UP);
  return /^-[0.]*$/.test(t) ? t.slice(1) : t;
}
const round2 = (x: Wide): Wide => x.toDecimalPlaces(2, Wide.ROUND_HALF_UP);

/**
 * The bridge line of a series of totals, one per state: `totals[0]` the old forecast's,
 * `totals[k]` after effect k (EFFECTS[k − 1]).
 */
function line(totals: readonly Wide[]): BridgeLine {
  const at = (k: number): Wide => totals[k] ?? WZERO;
  const first = at(0);
  const last = at(EFFECTS.length);
  const rounded: Record<string, string> = {};
  const exact: Record<string, string> = {};
  EFFECTS.forEach((e, i) => {
    exact[e] = text(at(i + 1).minus(at(i)));
    rounded[e] = text(round2(at(i + 1)).minus(round2(at(i))), 2);
  });
  return {
    old: text(first, 2),
    new: text(last, 2),
    change: text(round2(last).minus(round2(first)), 2),
    effects: rounded as Record<EffectId, string>,
    exact: {
      old: text(first),
      new: text(last),
      change: text(last.minus(first)),
      effects: exact as Record<EffectId, string>,
    },
  };
}

function bridgePrice(p: PricePoint): BridgePrice {
  return {
    provider: p.provider,
    skuId: p.ref.row.SkuId,
    regionId: p.ref.row.RegionId ?? null,
    currency: p.currency,
    nativePrice: p.nativePrice.toString(),
    fxRate: p.fxRate.toString(),
    unitPrice: p.nativePrice.times(p.fxRate).toString(),
    sheet: p.ref.sheet.name,
    line: p.ref.line ?? null,
  };
}

const pricesOf = (w: ModelWorkload | undefined): WorkloadPrices | null =>
  w
    ? {
        category: w.category,
        unit: w.unit,
        primary: bridgePrice(w.primary),
        fallback: w.fallback ? bridgePrice(w.fallback) : null,
      }
    : null;

/** A scenario parameter's value as text; windows as `provider from…to availability`. */
function parameterValue(s: Scenario, parameter: string): string {
  if (parameter === 'delayQuarters') return String(s.delayQuarters);
  if (parameter === 'providerAvailability')
    return s.providerAvailability.length === 0
      ? 'none'
      : s.providerAvailability
          .map((p) => `${p.provider} ${p.from}…${p.to} ${p.availability}`)
          .join('; ');
  if (parameter.startsWith('priceDeclinePerQuarter.'))
    return s.priceDeclinePerQuarter[parameter.slice(23) as Category] ?? '0';
  return s[parameter as 'shortagePremium' | 'availability' | 'fallbackPremium'];
}

/** The scenario parameters that differ between two versions of a scenario. */
function changedParameters(a: Scenario, b: Scenario): string[] {
  const out: string[] = [];
  if (a.delayQuarters !== b.delayQuarters) out.push('delayQuarters');
  for (const c of CATEGORIES) {
    const x = new Decimal(a.priceDeclinePerQuarter[c] ?? '0');
    const y = new Decimal(b.priceDeclinePerQuarter[c] ?? '0');
    if (!x.eq(y)) out.push(`priceDeclinePerQuarter.${c}`);
  }
  for (const k of ['shortagePremium', 'availability', 'fallbackPremium'] as const)
    if (!new Decimal(a[k]).eq(b[k])) out.push(k);
  const windows = (s: Scenario) =>
    JSON.stringify(
      s.providerAvailability.map((p) => [
        p.provider.trim().toLowerCase(),
        p.from,
        p.to,
        new Decimal(p.availability).toString(),
      ]),
    );
  if (windows(a) !== windows(b)) out.push('providerAvailability');
  return out;
}

/** The same price point at another FX rate. */
const atRate = (p: PricePoint, fxRate: Decimal): PricePoint => ({ ...p, fxRate });

/**
 * The rate the old forecast had for `currency` (1 for the reporting currency); without one,
 * the new rate: the change of a price into a currency the old forecast never priced in is
 * then wholly a price effect.
 */
const oldRate = (old: Model, p: PricePoint): Decimal => old.fx.get(p.currency) ?? p.fxRate;

/** Workloads matched by id; a changed unit makes a workload `replaced`, not continuing. */
function match(old: Model, next: Model) {
  const oldById = new Map(old.workloads.map((w) => [w.id, w] as const));
  const newById = new Map(next.workloads.map((w) => [w.id, w] as const));
  const continuing = next.workloads.flatMap((b) => {
    const a = oldById.get(b.id);
    return a && a.unit === b.unit ? [{ a, b }] : [];
  });
  const continuingIds = new Set(continuing.map((c) => c.b.id));
  const status = (id: string): WorkloadStatus =>
    continuingIds.has(id)
      ? 'continuing'
      : oldById.has(id) && newById.has(id)
        ? 'replaced'
        : oldById.has(id)
          ? 'removed'
          : 'new';
  return { oldById, newById, continuing, status };
}

/**
 * The models of the bridge's states, 0 (the old forecast) to 7 (the new one), for a scenario
 * taken from `oldScenario` until the scenario step and from `newScenario` after it.
 */
function states(old: Model, next: Model) {
  const { continuing } = match(old, next);
  const withWorkloads = (base: Model, workloads: readonly ModelWorkload[]): Model => ({
    ...base,
    workloads,
  });
  // 1 removed: the old forecast without the workloads the new one does not continue.
  const kept = withWorkloads(
    old,
    continuing.map((c) => c.a),
  );
  // 2 horizon: the same workloads over the new quarters.
  const horizon = withWorkloads(
    next,
    continuing.map((c) => c.a),
  );
  // 3 volume: the new quantities at the old prices.
  const volume = withWorkloads(
    next,
    continuing.map(({ a, b }) => ({
      ...a,
      baseQuantity: b.baseQuantity,
      growthPerQuarter: b.growthPerQuarter,
      efficiency: b.efficiency,
    })),
  );
  // 4 price: the new workloads' pricing (SKUs, category, native prices) at the old FX rates.
  const price = withWorkloads(
    next,
    continuing.map(({ b }) => ({
      ...b,
      primary: atRate(b.primary, oldRate(old, b.primary)),
      fallback: b.fallback ? atRate(b.fallback, oldRate(old, b.fallback)) : null,
    })),
  );
  // 5 fx: the continuing workloads exactly as the new forecast has them.
  const fx = withWorkloads(
    next,
    continuing.map((c) => c.b),
  );
  return { old, kept, horizon, volume, price, fx, next };
}

/**
 * The bridge between two joined forecasts (`buildModel` of each), scenario by scenario
 * (matched by id), workload by workload (matched by id). Refused when the reporting
 * currencies differ. Each state's totals are the engine's exact projection (`project`), so
 * the first state's are the old forecast's totals and the last's the new forecast's.
 */
export function varianceOfModels(old: VarianceModel, next: VarianceModel): Result<Variance> {
  const a = old.model;
  const b = next.model;
  if (a.currency !== b.currency)
    return fail([
      {
        field: 'reportingCurrency',
        value: b.currency,
        message: `the new forecast reports in ${b.currency} and the old one in ${a.currency}; a bridge needs one reporting currency (costcast converts prices into it, never one forecast's totals into another's)`,
      },
    ]);
  const s = states(a, b);
  const { oldById, newById, status } = match(a, b);
  // Every state's preparation (quantities × prices) is shared by the scenarios.
  const prepared = new Map<Model, readonly PreparedWorkload[]>();
  const run = (m: Model, scenario: ModelScenario) => {
    let p = prepared.get(m);
    if (!p) {
      p = prepare(m);
      prepared.set(m, p);
    }
    const projection = project(m, scenario, {}, p);
    return {
      total: wide(projection.total),
      byWorkload: new Map(projection.workloads.map((w) => [w.workload.id, wide(w.total)] as const)),
    };
  };

  const newScenarioIds = new Set(next.scenarios.map((x) => x.id));
  const oldScenarios = new Map(old.scenarios.map((x) => [x.id, x] as const));
  const ids = [
    ...b.workloads.map((w) => w.id),
    ...a.workloads.filter((w) => !newById.has(w.id)).map((w) => w.id),
  ];
  const scenarios: ScenarioBridge[] = [];
  const unmatched: Variance['unmatchedScenarios'][number][] = [];
  for (const sb of next.scenarios) {
    const sa = oldScenarios.get(sb.id);
    if (!sa) {
      unmatched.push({
        id: sb.id,
        name: sb.name,
        side: 'new',
        total: text(run(b, buildScenario(sb, b.assumptions.startQuarter)).total, 2),
      });
      continue;
    }
    const oldOnOld = buildScenario(sa, a.assumptions.startQuarter);
    const oldOnNew = buildScenario(sa, b.assumptions.startQuarter);
    const newOnNew = buildScenario(sb, b.assumptions.startQuarter);
    // States 0…7 (EFFECTS order): old, removed, horizon, volume, price, fx, scenario, new.
    const runs = [
      run(s.old, oldOnOld),
      run(s.kept, oldOnOld),
      run(s.horizon, oldOnNew),
      run(s.volume, oldOnNew),
      run(s.price, oldOnNew),
      run(s.fx, oldOnNew),
      run(s.fx, newOnNew),
      run(s.next, newOnNew),
    ];
    const changed = changedParameters(sa, sb);
    scenarios.push({
      id: sb.id,
      name: sb.name,
      oldName: sa.name,
      total: line(runs.map((r) => r.total)),
      workloads: ids.map((id) => ({
        workloadId: id,
        name: (newById.get(id) ?? oldById.get(id))?.name ?? id,
        status: status(id),
        prices: { old: pricesOf(oldById.get(id)), new: pricesOf(newById.get(id)) },
        ...line(runs.map((r) => r.byWorkload.get(id) ?? WZERO)),
      })),
      changedParameters: changed,
      parameterChanges: changed.map((parameter) => ({
        parameter,
        old: parameterValue(sa, parameter),
        new: parameterValue(sb, parameter),
      })),
    });
  }
  for (const sa of old.scenarios)
    if (!newScenarioIds.has(sa.id))
      unmatched.push({
        id: sa.id,
        name: sa.name,
        side: 'old',
        total: text(run(a, buildScenario(sa, a.assumptions.startQuarter)).total, 2),
      });

  return ok({
    currency: b.currency,
    effects: EFFECTS,
    old: side(old),
    new: side(next),
    scenarios,
    unmatchedScenarios: unmatched,
    fxChanges: fxChanges(a, b),
  });
}

function side(v: VarianceModel): VarianceSide {
  const m = v.model;
  return {
    name: m.name,
    startQuarter: m.assumptions.startQuarter,
    horizonQuarters: m.quarters.length,
    quarters: [...m.quarters],
    workloads: m.workloads.length,
    scenarios: v.scenarios.map((s) => ({ id: s.id, name: s.name })),
  };
}

/** The rates of the currencies either forecast prices in, where they differ. */
function fxChanges(a: Model, b: Model): Variance['fxChanges'][number][] {
  const used = new Set<string>();
  for (const m of [a, b])
    for (const w of m.workloads)
      for (const p of [w.primary, w.fallback])
        if (p && p.currency !== m.currency) used.add(p.currency);
  return [...used].sort().flatMap((currency) => {
    const x = a.fx.get(currency) ?? null;
    const y = b.fx.get(currency) ?? null;
    if (x && y && x.eq(y)) return [];
    return [{ currency, old: x?.toString() ?? null, new: y?.toString() ?? null }];
  });
}

/**
 * The bridge between two forecasts' inputs: each is joined (`buildModel`) and its scenarios
 * checked as `forecast()` does it; issues of a side that does not join carry `file: labels[side]` unless they
 * already name a file.
 */
export function variance(
  old: VarianceInputs,
  next: VarianceInputs,
  labels: { readonly old: string; readonly new: string } = { old: 'old', new: 'new' },
): Result<Variance> {
  const issues: InputIssue[] = [];
  const join = (v: VarianceInputs, label: string): VarianceModel | null => {
    const built = buildModel(v.assumptions, v.sheets);
    if (!built.ok) {
      issues.push(...built.issues.map((i) => (i.file ? i : { ...i, file: label })));
      return null;
    }
    const scenarios = v.scenarios ?? DEFAULT_SCENARIOS;
    const refused = checkScenarios(built.value, scenarios);
    if (refused.length > 0) {
      issues.push(...refused.map((i) => ({ ...i, file: label })));
      return null;
    }
    return { model: built.value, scenarios };
  };
  const a = join(old, labels.old);
  const b = join(next, labels.new);
  if (!a || !b) return fail(issues);
  return varianceOfModels(a, b);
}
