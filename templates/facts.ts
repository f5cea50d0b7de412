// What the workbook shows and how its parts are named, computed once from the forecast before
// any sheet is built: sheet names, the providers and price rows used, the rupture windows,
// the fiscal years and the defined names. Row numbers are not here: each sheet declares its
// rows (rows.ts) and plan.ts derives them.

import { CATEGORIES, type Category } from '../models/fields.ts';
import type { Forecast } from '../models/forecast.ts';
import type { ModelScenario, PricePoint } from '../models/model.ts';
import type { PriceRef } from '../models/price-book.ts';
import { type Labels, type SheetKey, TAB_ORDER } from './labels.ts';
import { definedName, sheetName } from './layout.ts';
import type { KeyedSheet, Ref } from './rows.ts';

/** Columns of the calculation and comparison sheets; the timeline starts at `T0`. */
export const CALC_COL = { label: 1, key: 2, category: 3, provider: 4, unit: 5, total: 6, t0: 8 };
/** Spare rows under the rupture windows, for an analyst to add one. */
export const SPARE_WINDOWS = 3;

/** The timeline column of quarter t. */
export const tcol = (t: number): number => CALC_COL.t0 + t;

export interface ProviderInfo {
  readonly name: string;
  readonly jurisdiction: string;
}

/** Defined names of one scenario's parameters. */
export interface ScenarioNames {
  readonly id: string;
  readonly delay: string;
  readonly decline: Readonly<Record<Category, string>>;
  readonly premium: string;
  readonly availability: string;
  readonly fallbackPremium: string;
}

export interface Facts {
  readonly f: Forecast;
  readonly L: Labels;
  readonly currency: string;
  readonly horizon: number;
  /** Sheet names; `calc` has one per scenario. */
  readonly sheets: Readonly<Record<Exclude<SheetKey, 'calc'>, string>> & {
    readonly calc: readonly string[];
  };
  /** The scenario others are compared with: `on-time` when present, else the first. */
  readonly base: number;
  /** Every provider a workload uses, primary or fallback, in order of first use. */
  readonly providers: readonly ProviderInfo[];
  /** The providers some workload uses as its primary (they have an availability cap). */
  readonly capped: readonly string[];
  /** Every price row a workload uses, in order of first use. */
  readonly prices: readonly PriceRef[];
  /** The index in `prices` of a workload's price. */
  readonly priceIndex: (p: PricePoint) => number;
  /** Exchange rates: the reporting currency first, then the others in order, with their names. */
  readonly fx: readonly { readonly currency: string; readonly name: string }[];
  /** Budget years (of the horizon or budgeted), in order, with their names. */
  readonly budgets: readonly {
    readonly fy: string;
    readonly name: string;
    readonly inHorizon: boolean;
  }[];
  readonly names: {
    readonly horizon: string;
    readonly startQuarter: string;
    readonly quartersPerYear: string;
    readonly hhiScale: string;
    readonly scenarios: readonly ScenarioNames[];
    readonly windows: {
      readonly scenario: string;
      readonly provider: string;
      readonly from: string;
      readonly to: string;
      readonly availability: string;
    };
  };
  /** Fiscal years of the horizon with their number of quarters in it. */
  readonly fiscalYears: readonly { readonly fy: string; readonly quarters: number }[];
  /** The horizon index of each scenario's rupture windows, with providers as workloads name them. */
  readonly windows: readonly {
    readonly scenario: number;
    readonly provider: string;
    readonly from: string;
    readonly to: string;
    readonly fromIndex: number;
    readonly toIndex: number;
    readonly availability: string;
  }[];
  /** Rows of the rupture-window table on Inputs: the windows and the spare rows. */
  readonly windowRows: number;
}

/** The facts and the row numbers of the sheets others refer to. */
export interface Laid extends Facts {
  readonly rows: Readonly<Record<KeyedSheet, (key: string) => number>>;
  /** The resolver of a keyed sheet's own rows (and, through `on`, the others'). */
  readonly ref: (sheet: KeyedSheet) => Ref;
}

/** The facts of a forecast's workbook, in the workbook's language. */
export function facts(source: Forecast, L: Labels): Facts {
  const f = localScenarioNames(source, L);
  const { model } = f;
  const { providers, prices, priceIndex } = used(f);
  const windows = windowsOf(f);
  const fiscalYears = model.fiscalYears.map((fy) => ({
    fy,
    quarters: model.fiscalQuarters.filter((q) => q.startsWith(`${fy}-`)).length,
  }));
  const onTime = f.scenarios.findIndex((s) => s.id === 'on-time');
  return {
    f,
    L,
    currency: model.currency,
    horizon: model.quarters.length,
    sheets: sheetNames(f, L),
    base: onTime >= 0 ? onTime : 0,
    providers,
    capped: providers
      .filter((x) => model.workloads.some((w) => w.primary.provider === x.name))
      .map((x) => x.name),
    prices,
    priceIndex,
    ...namesOf(f),
    fiscalYears,
    windows,
    windowRows: windows.length + SPARE_WINDOWS,
  };
}

/** Sheet names in tab order, each unique (the calculation sheets named by scenario). */
function sheetNames(f: Forecast, L: Labels): Facts['sheets'] {
  const taken = new Set<string>();
  const names = TAB_ORDER.map((key) =>
    key === 'calc'
      ? f.scenarios.map((s) => calcSheetName(L.sheet.calc, s, taken))
      : sheetName(L.sheet[key], taken),
  );
  return Object.fromEntries(
    TAB_ORDER.map((key, i) => [key, names[i]]),
  ) as unknown as Facts['sheets'];
}

/** Every sheet in tab order: its key and name (one per scenario for `calc`). */
export const tabs = (p: Facts): { readonly key: SheetKey; readonly name: string }[] =>
  TAB_ORDER.flatMap((key): { key: SheetKey; name: string }[] =>
    key === 'calc' ? p.sheets.calc.map((name) => ({ key, name })) : [{ key, name: p.sheets[key] }],
  );

/** The providers and price rows the workloads use, in order of first use. */
function used(f: Forecast) {
  const providers: ProviderInfo[] = [];
  const seenProvider = new Set<string>();
  const prices: PriceRef[] = [];
  const priceIndex = new Map<object, number>();
  const use = (p: PricePoint) => {
    if (!seenProvider.has(p.provider)) {
      seenProvider.add(p.provider);
      providers.push({ name: p.provider, jurisdiction: p.jurisdiction });
    }
    if (!priceIndex.has(p.ref.row)) {
      priceIndex.set(p.ref.row, prices.length);
      prices.push(p.ref);
    }
  };
  for (const w of f.model.workloads) {
    use(w.primary);
    if (w.fallback) use(w.fallback);
  }
  const indexOf = (p: PricePoint): number => {
    const i = priceIndex.get(p.ref.row);
    if (i === undefined) throw new Error(`price ${p.ref.row.SkuId} is used by no workload`);
    return i;
  };
  return { providers, prices, priceIndex: indexOf };
}

function windowsOf(f: Forecast): Facts['windows'] {
  const primaryName = new Map(
    f.model.workloads.map((w) => [w.primary.provider.toLowerCase(), w.primary.provider]),
  );
  return f.scenarios.flatMap((s, i) =>
    s.caps.map((c, j) => {
      // biome-ignore lint/style/noNonNullAssertion: the scenario's caps are its providerAvailability entries, one each, in order
      const source = s.source.providerAvailability[j]!;
      return {
        scenario: i,
        provider: primaryName.get(c.provider) ?? source.provider.trim(),
        from: source.from,
        to: source.to,
        fromIndex: c.from,
        toIndex: c.to,
        availability: source.availability,
      };
    }),
  );
}

/** The defined names, unique without regard to case, made in a fixed order. */
function namesOf(f: Forecast): Pick<Facts, 'fx' | 'budgets' | 'names'> {
  const { model } = f;
  const taken = new Set<string>();
  const fixedName = (n: string) => {
    taken.add(n.toLowerCase());
    return n;
  };
  const horizon = fixedName('Horizon');
  const startQuarter = fixedName('StartQuarter');
  const quartersPerYear = fixedName('QuartersPerYear');
  const hhiScale = fixedName('HHI_Scale');
  const windows = {
    scenario: fixedName('Window_Scenario'),
    provider: fixedName('Window_Provider'),
    from: fixedName('Window_From'),
    to: fixedName('Window_To'),
    availability: fixedName('Window_Availability'),
  };
  const currencies = [
    model.currency,
    ...[...model.fx.keys()].filter((c) => c !== model.currency).sort(),
  ];
  const fx = currencies.map((currency) => ({
    currency,
    name: definedName('FX', currency, taken),
  }));
  const budgetYears = [...new Set([...model.fiscalYears, ...model.budget.keys()])].sort();
  const budgets = budgetYears.map((fy) => ({
    fy,
    name: definedName('Budget', fy, taken),
    inHorizon: model.fiscalYears.includes(fy),
  }));
  const scenarios = f.scenarios.map(({ id }) => ({
    id: definedName('ScenarioId', id, taken),
    delay: definedName('Delay', id, taken),
    decline: Object.fromEntries(
      CATEGORIES.map((c) => [c, definedName(`Decline_${c.replace(/-/g, '_')}`, id, taken)]),
    ) as Record<Category, string>,
    premium: definedName('Premium', id, taken),
    availability: definedName('Availability', id, taken),
    fallbackPremium: definedName('FallbackPremium', id, taken),
  }));
  return {
    fx,
    budgets,
    names: { horizon, startQuarter, quartersPerYear, hhiScale, scenarios, windows },
  };
}

/**
 * The forecast with its default scenarios named in the workbook's language (`Stargate
 * retardé`); ids, numbers and the forecast JSON are unchanged.
 */
function localScenarioNames(f: Forecast, L: Labels): Forecast {
  const pairs = f.scenarios.map((s) => {
    const name = L.text.scenarioName(s.id, s.name);
    return [s, name === s.name ? s : Object.freeze({ ...s, name })] as const;
  });
  if (pairs.every(([s, named]) => s === named)) return f;
  const renamed = new Map(pairs);
  return {
    ...f,
    scenarios: pairs.map(([, named]) => named),
    projections: f.projections.map((pr) => {
      const named = renamed.get(pr.scenario);
      return named === undefined || named === pr.scenario ? pr : { ...pr, scenario: named };
    }),
  };
}

function calcSheetName(prefix: string, s: ModelScenario, taken: Set<string>): string {
  const byName = `${prefix} — ${s.name}`;
  return sheetName(byName.length <= 31 ? byName : `${prefix} — ${s.id}`, taken);
}
