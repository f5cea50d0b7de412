// Where everything lives: the facts of the workbook (facts.ts) and the row numbers of the
// sheets others refer to, derived from the rows those sheets declare (rows.ts) — the one
// place a row's position is decided is its sheet's list of lines.

import { CATEGORIES, type Category } from '../models/fields.ts';
import type { Forecast } from '../models/forecast.ts';
import { type Facts, facts, type Laid } from './facts.ts';
import type { Labels } from './labels.ts';
import { type KeyedSheet, resolver, rowNumbers } from './rows.ts';
import { calcLines } from './sheets/calc.ts';
import { inputsLines } from './sheets/inputs.ts';
import { pricesLines } from './sheets/prices.ts';

export type { ProviderInfo, ScenarioNames } from './facts.ts';
export { CALC_COL, SPARE_WINDOWS, tcol } from './facts.ts';

/** Row numbers of Inputs by role, read off its keys (for readers outside the sheets). */
export interface InputsGeometry {
  readonly startQuarter: number;
  readonly horizon: number;
  readonly quartersPerYear: number;
  readonly hhiScale: number;
  readonly fx: readonly {
    readonly currency: string;
    readonly row: number;
    readonly name: string;
  }[];
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
  readonly workloadHeader: number;
  readonly workloadFirst: number;
}

/** Row numbers of every calculation sheet by role, read off its keys. */
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
  /** The first rupture-window row; then one row per primary provider (its cap). */
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

export interface Plan extends Laid {
  readonly inputs: InputsGeometry;
  readonly calc: CalcGeometry;
}

/** Lays out the workbook of a forecast: its facts, then the rows its sheets declare. */
export function plan(source: Forecast, L: Labels): Plan {
  const p = facts(source, L);
  // Every calculation sheet has the same rows (only its values differ): the first numbers them.
  const calc = calcLines(p, 0);
  const rows: Record<KeyedSheet, (key: string) => number> = {
    inputs: rowNumbers(p.sheets.inputs, inputsLines(p)),
    prices: rowNumbers(p.sheets.prices, pricesLines(p)),
    // biome-ignore lint/style/noNonNullAssertion: a forecast has at least one scenario (forecastModel refuses none), so one calc sheet
    calc: rowNumbers(p.sheets.calc[0]!, calc),
  };
  return {
    ...p,
    rows,
    ref: (sheet) => resolver(rows[sheet], rows),
    inputs: inputsGeometry(p, rows.inputs),
    calc: { ...calcGeometry(p, rows.calc), last: calc.length },
  };
}

const byCategory = (at: (key: string) => number, prefix: string) =>
  Object.fromEntries(CATEGORIES.map((c) => [c, at(`${prefix}:${c}`)])) as Record<Category, number>;

function inputsGeometry(p: Facts, at: (key: string) => number): InputsGeometry {
  return {
    startQuarter: at('startQuarter'),
    horizon: at('horizon'),
    quartersPerYear: at('quartersPerYear'),
    hhiScale: at('hhiScale'),
    fx: p.fx.map((x) => ({ ...x, row: at(`fx:${x.currency}`) })),
    budgets: p.budgets.map((b) => ({ ...b, row: at(`budget:${b.fy}`) })),
    scenarioHeader: at('scenarioHeader'),
    param: {
      id: at('param:id'),
      delay: at('param:delay'),
      decline: byCategory(at, 'param:decline'),
      premium: at('param:premium'),
      availability: at('param:availability'),
      fallbackPremium: at('param:fallbackPremium'),
    },
    windowFirst: at('window:0'),
    windowLast: at(`window:${p.windowRows - 1}`),
    workloadHeader: at('workloadHeader'),
    workloadFirst: at('workloadHeader') + 1,
  };
}

function calcGeometry(p: Facts, at: (key: string) => number): Omit<CalcGeometry, 'last'> {
  const byName = (prefix: string, names: readonly string[]) =>
    new Map(names.map((x) => [x, at(`${prefix}:${x}`)]));
  const providers = p.providers.map((x) => x.name);
  const first = (key: string) => at(`${key}:0`);
  return {
    quarter: at('quarter'),
    fiscalQuarter: at('fiscalQuarter'),
    fiscalYear: at('fiscalYear'),
    t: at('t'),
    flag: at('flag'),
    total: at('total'),
    category: byCategory(at, 'category'),
    provider: byName('provider', providers),
    providerFallback: byName('providerFallback', providers),
    fiscalYears: byName(
      'fy',
      p.fiscalYears.map((y) => y.fy),
    ),
    index: byCategory(at, 'index'),
    windows: at('window:0'),
    cap: byName('cap', p.capped),
    quantity: first('quantity'),
    served: first('served'),
    primary: first('primary'),
    fallback: first('fallback'),
    cost: first('cost'),
  };
}
