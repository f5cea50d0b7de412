// Where everything lives: sheet names, the rows of the inputs, prices and calculation sheets,
// and the defined names. Computed once from the forecast, before any row is written, so that
// every sheet can refer to any other.

import { CATEGORIES, type Category } from '../models/fields.ts';
import type { Forecast } from '../models/forecast.ts';
import type { ModelScenario, PricePoint } from '../models/model.ts';
import type { PriceRef } from '../models/price-book.ts';
import type { Labels, SheetKey } from './labels.ts';
import { definedName, sheetName } from './layout.ts';

/** Columns of the calculation and comparison sheets; the timeline starts at `T0`. */
export const CALC_COL = { label: 1, key: 2, category: 3, provider: 4, unit: 5, total: 6, t0: 8 };
/** Spare rows under the rupture windows, for an analyst to add one. */
export const SPARE_WINDOWS = 3;

export interface ProviderInfo {
  readonly name: string;
  readonly jurisdiction: string;
}

export interface InputsGeometry {
  readonly startQuarter: number;
  readonly horizon: number;
  readonly quartersPerYear: number;
  readonly hhiScale: number;
  readonly fxFirst: number;
  readonly fx: readonly {
    readonly currency: string;
    readonly row: number;
    readonly name: string;
  }[];
  readonly budgetFirst: number;
  readonly budgets: readonly {
    readonly fy: string;
    readonly row: number;
    readonly name: string;
    readonly inHorizon: boolean;
  }[];
  /** Scenario parameter rows; scenario i is in column 3 + i. */
  readonly scenarioHeader: number;
  readonly param: {
    readonly id: number;
    readonly delay: number;
    readonly decline: Readonly<Record<Category, number>>;
    readonly premium: number;
    readonly availability: number;
    readonly fallbackPremium: number;
  };
  readonly windowFirst: number;
  readonly windowLast: number;
  readonly providerFirst: number;
  readonly providerLast: number;
  readonly workloadHeader: number;
  readonly workloadFirst: number;
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

export interface CalcGeometry {
  readonly quarter: number;
  readonly fiscalQuarter: number;
  readonly fiscalYear: number;
  readonly t: number;
  readonly flag: number;
  readonly total: number;
  readonly category: Readonly<Record<Category, number>>;
  /** By provider (primary and fallback shares), then the fallback share alone. */
  readonly provider: ReadonlyMap<string, number>;
  readonly providerFallback: ReadonlyMap<string, number>;
  readonly fiscalYears: ReadonlyMap<string, number>;
  readonly index: Readonly<Record<Category, number>>;
  /**
   * The rupture windows: one row per window row of Inputs (the shortfall it imposes in this
   * scenario, quarter by quarter), then one row per primary provider (its availability cap).
   */
  readonly windows: number;
  readonly cap: ReadonlyMap<string, number>;
  /** First row of each per-workload block; workload i is at first + i. */
  readonly quantity: number;
  readonly served: number;
  readonly primary: number;
  readonly fallback: number;
  readonly cost: number;
  readonly last: number;
}

export interface Plan {
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
  /** Every price row a workload uses, in order of first use, and its row on the Prices sheet. */
  readonly prices: readonly PriceRef[];
  readonly priceRow: (p: PricePoint) => number;
  readonly inputs: InputsGeometry;
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
  readonly calc: CalcGeometry;
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
}

export const PRICES_FIRST_ROW = 5;

function calcGeometry(
  providers: number,
  fiscalYears: readonly string[],
  workloads: number,
  windowRows: number,
  capped: number,
) {
  let r = 9; // title, note, blank, four timeline rows, the flag, a blank
  const next = (n = 1) => {
    const at = r + 1;
    r += n;
    return at;
  };
  next(); // section "Totals"
  const total = next();
  next(2); // blank, "by category"
  const category = Object.fromEntries(CATEGORIES.map((c) => [c, next()])) as Record<
    Category,
    number
  >;
  next(2); // blank, "by provider"
  const provider: number[] = Array.from({ length: providers }, () => next());
  next(2);
  const providerFallback: number[] = Array.from({ length: providers }, () => next());
  next(2);
  const fy = fiscalYears.map(() => next());
  next(2); // blank, section "price index"
  const index = Object.fromEntries(CATEGORIES.map((c) => [c, next()])) as Record<Category, number>;
  next(2); // blank, section "rupture windows"
  const windows = r + 1;
  r += windowRows;
  next(); // "availability cap by provider"
  const cap: number[] = Array.from({ length: capped }, () => next());
  const block = () => {
    next(2); // blank, section
    const first = r + 1;
    r += workloads;
    return first;
  };
  const quantity = block();
  const served = block();
  const primary = block();
  const fallback = block();
  const cost = block();
  return {
    total,
    category,
    provider,
    providerFallback,
    fy,
    index,
    windows,
    cap,
    quantity,
    served,
    primary,
    fallback,
    cost,
    last: r,
  };
}

/** Lays out the workbook of a forecast. */
export function plan(source: Forecast, L: Labels): Plan {
  const f = localScenarioNames(source, L);
  const { model } = f;
  const taken = new Set<string>();
  const sheets = {
    summary: sheetName(L.sheet.summary, taken),
    inputs: sheetName(L.sheet.inputs, taken),
    prices: sheetName(L.sheet.prices, taken),
    calc: f.scenarios.map((s) => calcSheetName(L.sheet.calc, s, taken)),
    scenarios: sheetName(L.sheet.scenarios, taken),
    tornado: sheetName(L.sheet.tornado, taken),
    grid: sheetName(L.sheet.grid, taken),
    monteCarlo: sheetName(L.sheet.monteCarlo, taken),
    providers: sheetName(L.sheet.providers, taken),
    about: sheetName(L.sheet.about, taken),
  };

  const providers: ProviderInfo[] = [];
  const seenProvider = new Set<string>();
  const prices: PriceRef[] = [];
  const priceRows = new Map<object, number>();
  const use = (p: PricePoint) => {
    if (!seenProvider.has(p.provider)) {
      seenProvider.add(p.provider);
      providers.push({ name: p.provider, jurisdiction: p.jurisdiction });
    }
    if (!priceRows.has(p.ref.row)) {
      priceRows.set(p.ref.row, PRICES_FIRST_ROW + prices.length);
      prices.push(p.ref);
    }
  };
  for (const w of model.workloads) {
    use(w.primary);
    if (w.fallback) use(w.fallback);
  }

  const fiscalYears = model.fiscalYears.map((fy) => ({
    fy,
    quarters: model.fiscalQuarters.filter((q) => q.startsWith(`${fy}-`)).length,
  }));

  const primaryName = new Map(
    model.workloads.map((w) => [w.primary.provider.toLowerCase(), w.primary.provider]),
  );
  const windows = f.scenarios.flatMap((s, i) =>
    s.caps.map((c, j) => {
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

  // Inputs rows, top to bottom (see sheets/inputs.ts).
  const fxCurrencies = [
    model.currency,
    ...[...model.fx.keys()].filter((c) => c !== model.currency).sort(),
  ];
  const budgetYears = [...new Set([...model.fiscalYears, ...model.budget.keys()])].sort();
  const nameSet = new Set<string>();
  const fixedName = (n: string) => {
    nameSet.add(n.toLowerCase());
    return n;
  };
  const horizonName = fixedName('Horizon');
  const startName = fixedName('StartQuarter');
  const qpyName = fixedName('QuartersPerYear');
  const hhiName = fixedName('HHI_Scale');
  const winNames = {
    scenario: fixedName('Window_Scenario'),
    provider: fixedName('Window_Provider'),
    from: fixedName('Window_From'),
    to: fixedName('Window_To'),
    availability: fixedName('Window_Availability'),
  };
  let r = 4; // title, note, blank, section "General"
  const next = (n = 1) => {
    const at = r + 1;
    r += n;
    return at;
  };
  next(2); // model name, currency
  const startQuarter = next();
  const horizon = next();
  next(); // fiscal year start month
  const quartersPerYear = next();
  const hhiScale = next();
  next(3); // blank, section, header
  const fxFirst = r + 1;
  const fx = fxCurrencies.map((currency) => ({
    currency,
    row: next(),
    name: definedName('FX', currency, nameSet),
  }));
  next(3);
  const budgetFirst = r + 1;
  const budgets = budgetYears.map((fy) => ({
    fy,
    row: next(),
    name: definedName('Budget', fy, nameSet),
    inHorizon: model.fiscalYears.includes(fy),
  }));
  next(2); // blank, section
  const scenarioHeader = next();
  const param = {
    id: next(),
    delay: next(),
    decline: Object.fromEntries(CATEGORIES.map((c) => [c, next()])) as Record<Category, number>,
    premium: next(),
    availability: next(),
    fallbackPremium: next(),
  };
  next(4); // blank, section, note, header
  const windowFirst = r + 1;
  next(windows.length + SPARE_WINDOWS);
  const windowLast = r;
  next(3);
  const providerFirst = r + 1;
  next(providers.length);
  const providerLast = r;
  next(2);
  const workloadHeader = next();
  const workloadFirst = r + 1;

  const scenarioNames = f.scenarios.map((s) => {
    const key = s.id;
    return {
      id: definedName('ScenarioId', key, nameSet),
      delay: definedName('Delay', key, nameSet),
      decline: Object.fromEntries(
        CATEGORIES.map((c) => [c, definedName(`Decline_${c.replace(/-/g, '_')}`, key, nameSet)]),
      ) as Record<Category, string>,
      premium: definedName('Premium', key, nameSet),
      availability: definedName('Availability', key, nameSet),
      fallbackPremium: definedName('FallbackPremium', key, nameSet),
    };
  });

  const capped = providers.filter((x) =>
    model.workloads.some((w) => w.primary.provider === x.name),
  );
  const g = calcGeometry(
    providers.length,
    model.fiscalYears,
    model.workloads.length,
    windowLast - windowFirst + 1,
    capped.length,
  );
  const calc: CalcGeometry = {
    quarter: 4,
    fiscalQuarter: 5,
    fiscalYear: 6,
    t: 7,
    flag: 8,
    total: g.total,
    category: g.category,
    provider: new Map(providers.map((p, i) => [p.name, g.provider[i]!])),
    providerFallback: new Map(providers.map((p, i) => [p.name, g.providerFallback[i]!])),
    fiscalYears: new Map(model.fiscalYears.map((fy, i) => [fy, g.fy[i]!])),
    index: g.index,
    windows: g.windows,
    cap: new Map(capped.map((x, i) => [x.name, g.cap[i]!])),
    quantity: g.quantity,
    served: g.served,
    primary: g.primary,
    fallback: g.fallback,
    cost: g.cost,
    last: g.last,
  };

  const onTime = f.scenarios.findIndex((s) => s.id === 'on-time');
  return {
    f,
    L,
    currency: model.currency,
    horizon: model.quarters.length,
    sheets,
    base: onTime >= 0 ? onTime : 0,
    providers,
    prices,
    priceRow: (p) => priceRows.get(p.ref.row)!,
    inputs: {
      startQuarter,
      horizon,
      quartersPerYear,
      hhiScale,
      fxFirst,
      fx,
      budgetFirst,
      budgets,
      scenarioHeader,
      param,
      windowFirst,
      windowLast,
      providerFirst,
      providerLast,
      workloadHeader,
      workloadFirst,
    },
    names: {
      horizon: horizonName,
      startQuarter: startName,
      quartersPerYear: qpyName,
      hhiScale: hhiName,
      scenarios: scenarioNames,
      windows: winNames,
    },
    calc,
    fiscalYears,
    windows,
  };
}

/**
 * The forecast with its default scenarios named in the workbook's language (`Stargate
 * retardé`); ids, numbers and the forecast JSON are unchanged.
 */
function localScenarioNames(f: Forecast, L: Labels): Forecast {
  const named = f.scenarios.map((s) => {
    const name = L.text.scenarioName(s.id, s.name);
    return name === s.name ? s : Object.freeze({ ...s, name });
  });
  if (named.every((s, i) => s === f.scenarios[i])) return f;
  return {
    ...f,
    scenarios: named,
    projections: f.projections.map((pr) => {
      const i = f.scenarios.indexOf(pr.scenario);
      return i < 0 || named[i] === pr.scenario ? pr : { ...pr, scenario: named[i]! };
    }),
  };
}

function calcSheetName(prefix: string, s: ModelScenario, taken: Set<string>): string {
  const byName = `${prefix} — ${s.name}`;
  return sheetName(byName.length <= 31 ? byName : `${prefix} — ${s.id}`, taken);
}

/** The timeline column of quarter t. */
export const tcol = (t: number): number => CALC_COL.t0 + t;
