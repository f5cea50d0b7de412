// Every word the workbook shows, in English and French. Number formats are not here: they
// are stored locale-independently and each application shows its user's decimal separator.

import type { Category } from '../models/fields.ts';
import { type Notice, noticeText } from '../models/notices.ts';
import type { DriverId } from '../models/ranges.ts';
import { DEFAULT_SCENARIOS } from '../models/scenarios.ts';
import type { EffectId, WorkloadStatus } from '../models/variance.ts';

export type Locale = 'en' | 'fr';

/** The workbook's sheets, in tab order (one calculation sheet per scenario under `calc`). */
export const TAB_ORDER = [
  'summary',
  // Only in a workbook rendered with a variance (the bridge from an earlier forecast).
  'changes',
  'inputs',
  'prices',
  'calc',
  'scenarios',
  'tornado',
  'grid',
  'monteCarlo',
  'providers',
  'about',
] as const;
export type SheetKey = (typeof TAB_ORDER)[number];

export interface Labels {
  /** A forecast's warning, told in this language. */
  readonly notice: (n: Notice) => string;
  readonly sheet: Readonly<Record<SheetKey, string>>;
  readonly category: Readonly<Record<Category, string>>;
  readonly driver: Readonly<Record<DriverId, string>>;
  readonly mode: { readonly scale: string; readonly set: string };
  readonly common: {
    readonly quarter: string;
    readonly fiscalQuarter: string;
    readonly fiscalYear: string;
    readonly t: string;
    readonly flag: string;
    readonly total: string;
    readonly scenario: string;
    readonly provider: string;
    readonly jurisdiction: string;
    readonly category: string;
    readonly workload: string;
    readonly id: string;
    readonly unit: string;
    readonly perQuarter: (unit: string) => string;
    readonly quarters: string;
    readonly share: string;
    readonly none: string;
    readonly valuesNote: (generatedAt: string) => string;
    readonly partialYear: (n: number) => string;
    readonly quartersShort: string;
  };
  readonly summary: {
    readonly subtitle: (first: string, last: string, currency: string) => string;
    readonly asOf: (quarter: string, generatedAt: string, version: string) => string;
    readonly totals: (currency: string) => string;
    readonly horizonTotal: string;
    readonly minus: (a: string, b: string) => string;
    readonly budget: (currency: string) => string;
    readonly budgetCol: string;
    readonly forecastCol: string;
    readonly headroomCol: string;
    readonly probabilityCol: string;
    readonly chartSection: (currency: string) => string;
    readonly chartTitle: string;
    readonly drivers: string;
    readonly driversNote: string;
    readonly range: string;
    readonly totalAtLow: string;
    readonly totalAtHigh: string;
    readonly swing: string;
    readonly priceSheets: string;
    readonly sheetCol: string;
    readonly rowsUsed: string;
    readonly asOfCol: string;
    readonly kindCol: string;
    readonly kind: Readonly<Record<string, string>>;
    readonly ageQuarters: (forecastQuarter: string) => string;
    readonly stale: string;
    readonly staleRule: (quarters: number, forecastQuarter: string) => string;
    readonly unknownAsOf: string;
    readonly warnings: string;
    /** The review of each price sheet when the forecast was created (a stored forecast's). */
    readonly sheetReviews: {
      readonly note: string;
      readonly reviewCol: string;
      readonly byCol: string;
      readonly onCol: string;
      readonly noteCol: string;
      readonly status: Readonly<Record<'accepted' | 'refused' | 'unreviewed', string>>;
    };
  };
  readonly inputs: {
    readonly title: string;
    readonly note: string;
    readonly general: string;
    readonly modelName: string;
    readonly currency: string;
    readonly startQuarter: string;
    readonly horizon: string;
    readonly horizonNote: (max: number) => string;
    readonly fyStart: string;
    readonly quartersPerYear: string;
    readonly hhiScale: string;
    readonly constant: string;
    readonly structure: string;
    readonly fx: string;
    readonly currencyCol: string;
    readonly rateCol: (reporting: string) => string;
    readonly reportingNote: string;
    readonly budgets: string;
    readonly budgetCol: (currency: string) => string;
    readonly outsideHorizon: string;
    readonly scenarios: string;
    readonly parameter: string;
    readonly scenarioId: string;
    readonly scenarioName: string;
    readonly delay: string;
    readonly decline: (category: string) => string;
    readonly premium: string;
    readonly availability: string;
    readonly fallbackPremium: string;
    readonly unitQuarters: string;
    readonly unitRate: string;
    readonly unitText: string;
    readonly windows: string;
    readonly windowsNote: string;
    readonly from: string;
    readonly to: string;
    readonly windowAvailability: string;
    readonly fromT: string;
    readonly toT: string;
    readonly providers: string;
    readonly workloads: string;
    readonly sku: string;
    readonly region: string;
    readonly baseQuantity: string;
    readonly growth: string;
    readonly efficiency: string;
    readonly fallbackProvider: string;
    readonly fallbackSku: string;
    readonly invalid: {
      readonly horizon: (max: number) => string;
      readonly rate01: string;
      readonly aboveMinusOne: string;
      readonly decline: string;
      readonly efficiency: string;
      readonly positive: string;
      readonly nonNegative: string;
      readonly delay: string;
      readonly quarter: string;
      readonly scenario: string;
      readonly provider: string;
    };
  };
  readonly prices: {
    readonly title: string;
    readonly note: string;
    readonly list: string;
    readonly contracted: string;
    readonly currency: string;
    readonly effective: string;
    readonly fx: (reporting: string) => string;
    readonly converted: (reporting: string) => string;
    readonly sheet: string;
    readonly line: string;
    readonly asOf: string;
    readonly source: string;
  };
  readonly calc: {
    readonly title: (scenario: string) => string;
    readonly note: (currency: string, id: string) => string;
    readonly totals: (currency: string) => string;
    readonly totalCost: string;
    readonly byCategory: string;
    readonly byProvider: string;
    readonly fallbackByProvider: string;
    readonly byFiscalYear: string;
    readonly index: string;
    readonly quantity: string;
    readonly served: string;
    readonly primary: (currency: string) => string;
    readonly fallback: (currency: string) => string;
    readonly cost: (currency: string) => string;
    readonly unitIndex: string;
    readonly unitShare: string;
    readonly windows: string;
    readonly window: (k: number, inputsRow: number) => string;
    readonly capByProvider: string;
  };
  readonly scenarios: {
    readonly title: string;
    readonly note: string;
    readonly total: (currency: string) => string;
    readonly delta: (base: string, currency: string) => string;
    readonly byCategory: (currency: string) => string;
    readonly byProvider: (currency: string) => string;
    readonly byFiscalYear: (currency: string) => string;
  };
  readonly tornado: {
    readonly title: string;
    readonly block: (scenario: string) => string;
    readonly base: string;
    readonly driver: string;
    readonly mode: string;
    readonly low: string;
    readonly high: string;
    readonly totalAtLow: string;
    readonly totalAtHigh: string;
    readonly swing: string;
    readonly changeAtLow: string;
    readonly changeAtHigh: string;
    readonly chart: (scenario: string) => string;
    readonly axis: (currency: string) => string;
  };
  readonly grid: {
    readonly title: string;
    readonly block: (scenario: string, currency: string) => string;
    readonly corner: string;
    readonly delay: (d: number) => string;
    readonly multiplier: (m: string) => string;
    readonly baseNote: (delay: number) => string;
  };
  readonly monteCarlo: {
    readonly title: string;
    readonly note: (draws: number, seed: number) => string;
    readonly notRun: string;
    readonly block: (scenario: string, currency: string) => string;
    readonly forecast: string;
    /** The P90 − P10 column the fan chart's band is drawn from. */
    readonly band: string;
    readonly horizon: string;
    readonly overBudget: (fy: string) => string;
    readonly chart: (scenario: string) => string;
    /** The ranges table: what each driver is drawn around. */
    readonly ranges: string;
    readonly around: string;
    readonly aroundScale: string;
    readonly aroundSet: string;
    readonly aroundSetEfficiency: string;
    /** Where the point forecast falls among the draws (`share`: of draws below it). */
    readonly position: (position: 'below-p10' | 'inside' | 'above-p90', share: number) => string;
    readonly skew: string;
    readonly base: string;
    readonly ownValues: string;
    readonly effect: (currency: string) => string;
    /** Short lines, to fit beside the chart. */
    readonly effectNote: readonly string[];
    readonly noSkew: string;
  };
  /** The Changes sheet: the bridge from an earlier forecast's totals to this one's. */
  readonly changes: {
    readonly title: string;
    readonly subtitle: (old: string, currency: string) => string;
    readonly sides: (oldSpan: string, newSpan: string) => string;
    /** The visible note: which cells are values, which are live formulas. */
    readonly valuesNote: readonly string[];
    readonly bridge: (scenario: string, currency: string) => string;
    readonly step: string;
    readonly amount: string;
    readonly running: string;
    readonly base: string;
    readonly increase: string;
    readonly decrease: string;
    readonly totalBar: string;
    readonly oldTotal: (name: string) => string;
    readonly newTotal: string;
    readonly effect: Readonly<Record<EffectId, string>>;
    readonly effectShort: Readonly<Record<EffectId, string>>;
    readonly check: string;
    readonly checkNote: string;
    readonly change: string;
    readonly changePct: string;
    readonly chart: (scenario: string) => string;
    readonly axis: (currency: string) => string;
    readonly movers: (scenario: string, top: number) => string;
    readonly noMovers: string;
    readonly status: string;
    readonly statusWord: Readonly<Record<WorkloadStatus, string>>;
    readonly old: string;
    readonly new: string;
    readonly prices: (currency: string) => string;
    readonly noPriceChange: string;
    readonly role: string;
    readonly primary: string;
    readonly fallback: string;
    readonly nativeOld: string;
    readonly nativeNew: string;
    readonly currencyOldNew: string;
    readonly unitOld: (currency: string) => string;
    readonly unitNew: (currency: string) => string;
    readonly sheetOld: string;
    readonly sheetNew: string;
    readonly priceEffect: (scenario: string) => string;
    readonly fx: string;
    readonly noFxChange: string;
    readonly rateOld: string;
    readonly rateNew: string;
    readonly parameters: string;
    readonly noParameterChange: string;
    readonly parameter: string;
    readonly unmatched: (scenario: string, side: 'old' | 'new', total: string) => string;
  };
  readonly providers: {
    readonly title: string;
    readonly note: string;
    readonly block: (scenario: string) => string;
    readonly spend: (currency: string) => string;
    readonly fallbackSpend: (currency: string) => string;
    readonly hhi: string;
    readonly jurisdictionHhi: string;
    readonly byJurisdiction: string;
  };
  /** The Checks block on the Summary (FAST): breakdowns equal totals, budget rows equal Inputs. */
  readonly checks: {
    readonly section: string;
    readonly check: string;
    readonly tolerance: (currency: string) => string;
    readonly byCategory: string;
    readonly byProvider: string;
    readonly byFiscalYear: string;
    readonly byWorkload: string;
    readonly budget: string;
    readonly all: string;
  };
  readonly about: {
    readonly title: string;
    readonly generated: string;
    readonly engineVersion: string;
    readonly inputHash: string;
    readonly locale: string;
    readonly model: string;
    readonly workloads: string;
    readonly priceSheets: string;
    readonly method: string;
    readonly methodText: readonly string[];
    readonly formulas: string;
    readonly formulaLines: readonly string[];
    readonly assumptions: string;
    readonly assumptionText: readonly string[];
    readonly ranges: string;
    readonly monteCarlo: (draws: number, seed: number) => string;
    readonly legend: string;
    readonly legendInput: string;
    readonly legendCalc: string;
    readonly legendLink: string;
    readonly legendValue: string;
    readonly legendTotal: string;
    readonly legendDelta: string;
    readonly legendHeadroom: string;
    readonly sheets: string;
    readonly sheetText: Readonly<Record<SheetKey, string>>;
    readonly warnings: string;
    readonly noWarnings: string;
  };
  /** How this language writes quarters, fiscal years, counts and numbers in text. */
  readonly text: TextForms;
}

/**
 * Quarters and fiscal years as a language writes them. The engine's own labels (`2027-Q1`,
 * `FY2027`, `FY2027-Q1`) stay the keys everywhere (JSON, defined names, input cells); these
 * only change what a cell shows. French: `T1 2027`, `EX2027` (exercice), `EX2027-T1`.
 */
export interface TextForms {
  /** @example LABELS.fr.text.quarter('2027-Q1') //=> "T1 2027" */
  readonly quarter: (q: string) => string;
  /** @example LABELS.fr.text.fiscalYear('FY2027') //=> "EX2027" */
  readonly fiscalYear: (fy: string) => string;
  /** @example LABELS.fr.text.fiscalQuarter('FY2027-Q1') //=> "EX2027-T1" */
  readonly fiscalQuarter: (fq: string) => string;
  /** @example LABELS.fr.text.quarterCount(1) //=> "1 trimestre" (French: 0 and 1 are singular) */
  readonly quarterCount: (n: number) => string;
  /** A plain decimal as text. @example LABELS.fr.text.decimal('9.65') //=> "9,65" */
  readonly decimal: (d: string) => string;
  /** An amount with its thousands grouped. @example LABELS.fr.text.amount('850000.00') //=> "850 000,00" (U+00A0) */
  readonly amount: (d: string) => string;
  /** A default scenario's name in this language; any other name as it is. */
  readonly scenarioName: (id: string, name: string) => string;
  /** Between a label and its value: en ": ", fr " : " (a no-break space before). */
  readonly colon: string;
  /** Between items of a list: en "; ", fr " ; ". */
  readonly semicolon: string;
}

/**
 * Plain decimal text with its thousands grouped by `group` and `decimal` as decimal point.
 * @example groupDigits('-1549133.93', ' ', ',') //=> "-1 549 133,93"
 * @example groupDigits('1549133.93', ',', '.') //=> "1,549,133.93"
 */
export function groupDigits(plain: string, group: string, decimal: string): string {
  const [int = '', frac] = plain.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}${grouped}${frac === undefined ? '' : `${decimal}${frac}`}`;
}

/** A default scenario's name, when `id` and `name` are a default's, translated by `names`. */
const defaultName =
  (names: Readonly<Record<string, string>>) =>
  (id: string, name: string): string =>
    DEFAULT_SCENARIOS.some((d) => d.id === id && d.name === name) ? (names[id] ?? name) : name;

const enText: TextForms = {
  quarter: (q) => q,
  fiscalYear: (fy) => fy,
  fiscalQuarter: (fq) => fq,
  quarterCount: (n) => `${n} ${n === 1 ? 'quarter' : 'quarters'}`,
  decimal: (d) => d,
  amount: (d) => groupDigits(d, ',', '.'),
  scenarioName: (_, name) => name,
  colon: ': ',
  semicolon: '; ',
};

const frText: TextForms = {
  quarter: (q) => q.replace(/^(\d{4})-Q([1-4])$/, 'T$2 $1'),
  fiscalYear: (fy) => fy.replace(/^FY(\d{4})$/, 'EX$1'),
  fiscalQuarter: (fq) => fq.replace(/^FY(\d{4})-Q([1-4])$/, 'EX$1-T$2'),
  quarterCount: (n) => `${n} ${n < 2 ? 'trimestre' : 'trimestres'}`,
  decimal: (d) => d.replace('.', ','),
  amount: (d) => groupDigits(d, '\u00A0', ','),
  scenarioName: defaultName({ 'on-time': 'Stargate à l’heure', delayed: 'Stargate retardé' }),
  colon: '\u00A0: ',
  semicolon: '\u00A0; ',
};

/** A warning as the workbook lists it: a sentence, its first letter a capital. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const en: Labels = {
  notice: (n) => sentence(noticeText(n)),
  sheet: {
    summary: 'Summary',
    changes: 'Changes',
    inputs: 'Inputs',
    prices: 'Prices',
    calc: 'Calc',
    scenarios: 'Scenarios',
    tornado: 'Sensitivity — Tornado',
    grid: 'Sensitivity — Grid',
    monteCarlo: 'Monte Carlo',
    providers: 'Providers',
    about: 'About',
  },
  category: {
    'llm-inference': 'LLM inference',
    'gpu-compute': 'GPU compute',
    storage: 'Storage',
    network: 'Network',
    other: 'Other',
  },
  driver: {
    growth: 'Volume growth',
    efficiency: 'Token discipline (efficiency)',
    priceDecline: 'Price decline',
    delay: 'Build-out delay',
    premium: 'Shortage premium',
    availability: 'Availability during the delay',
    fx: 'Exchange rates',
    basePrice: 'Unit prices',
  },
  mode: { scale: 'scale (× every value)', set: 'set (replaces the value)' },
  common: {
    quarter: 'Quarter',
    fiscalQuarter: 'Fiscal quarter',
    fiscalYear: 'Fiscal year',
    t: 'Quarter index t',
    flag: 'In horizon (1 = yes)',
    total: 'Total',
    scenario: 'Scenario',
    provider: 'Provider',
    jurisdiction: 'Jurisdiction',
    category: 'Category',
    workload: 'Workload',
    id: 'Id',
    unit: 'Unit',
    perQuarter: (unit) => `${unit} per quarter`,
    quarters: 'quarters',
    share: 'Share',
    none: '—',
    valuesNote: (at) =>
      `Values computed by costcast at generation time (${at}); they do not recalculate when Inputs change — run costcast again.`,
    partialYear: (n) => `${n} of 4 quarters in the horizon`,
    quartersShort: 'q',
  },
  summary: {
    subtitle: (a, b, c) => `Compute-cost forecast, ${a} to ${b} — amounts in ${c}`,
    asOf: (q, at, v) => `Forecast as of ${q} · generated ${at} by ${v}`,
    totals: (c) => `Totals by scenario (${c})`,
    horizonTotal: 'Horizon total',
    minus: (a, b) => `${a} − ${b}`,
    budget: (c) => `Budget vs forecast (${c})`,
    budgetCol: 'Budget',
    forecastCol: 'Forecast',
    headroomCol: 'Headroom (budget − forecast)',
    probabilityCol: 'Probability of exceeding the budget (Monte Carlo)',
    chartSection: (c) => `Quarterly cost by scenario (${c})`,
    chartTitle: 'Quarterly cost by scenario',
    drivers: 'Main drivers (tornado: change of the horizon total)',
    driversNote: 'Largest swings first; values computed by costcast at generation time.',
    range: 'Low → high',
    totalAtLow: 'Total at low',
    totalAtHigh: 'Total at high',
    swing: 'Swing',
    priceSheets: 'Price sheets used',
    sheetCol: 'Price sheet (version)',
    rowsUsed: 'Rows used',
    asOfCol: 'Prices as of',
    kindCol: 'Kind',
    kind: { contract: 'contract', provider: 'provider price list', catalogue: 'catalogue' },
    ageQuarters: (q) => `Age (quarters before ${q})`,
    stale: 'STALE: refresh',
    staleRule: (k, q) =>
      `A sheet is stale when its prices are more than ${k} quarter${k === 1 ? '' : 's'} older than the forecast's as-of quarter (${q}). Precedence: contract > provider price list > catalogue, then newest.`,
    unknownAsOf: 'unknown',
    warnings: 'Warnings',
    sheetReviews: {
      note: 'Review of each price sheet when the forecast was created: accepted or refused by finance, never by its uploader; the latest review counts.',
      reviewCol: 'Review',
      byCol: 'By',
      onCol: 'On',
      noteCol: 'Note',
      status: { accepted: 'Accepted', refused: 'REFUSED', unreviewed: 'NOT REVIEWED' },
    },
  },
  inputs: {
    title: 'Inputs',
    note: 'Blue figures on yellow are inputs: edit them and every calculation recalculates. Structure (quarters, workloads, SKUs) is fixed: run costcast again to change it.',
    general: 'General',
    modelName: 'Model',
    currency: 'Reporting currency',
    startQuarter: 'First quarter of the horizon',
    horizon: 'Horizon (quarters)',
    horizonNote: (max) => `1 to ${max}: quarters after the horizon cost nothing`,
    fyStart: 'Fiscal year starts in month',
    quartersPerYear: 'Quarters per year',
    hhiScale: 'HHI scale (points for a 100 % share)',
    constant: 'constant',
    structure: 'structure: run costcast again to change',
    fx: 'Exchange rates',
    currencyCol: 'Currency',
    rateCol: (r) => `${r} per unit`,
    reportingNote: 'reporting currency (fixed at 1)',
    budgets: 'Budgets',
    budgetCol: (c) => `Budget (${c})`,
    outsideHorizon: 'outside the horizon: not compared',
    scenarios: 'Scenario parameters',
    parameter: 'Parameter',
    scenarioId: 'Scenario id',
    scenarioName: 'Scenario name',
    delay: 'Build-out delay',
    decline: (c) => `Price decline per quarter — ${c}`,
    premium: 'Shortage premium during the delay',
    availability: 'Availability during the delay (share served)',
    fallbackPremium: 'Fallback premium on the unserved share',
    unitQuarters: 'quarters',
    unitRate: 'rate',
    unitText: 'text',
    windows: 'Provider availability windows (ruptures)',
    windowsNote:
      'Caps the served share of workloads whose primary provider is named, from one quarter to another (inclusive). Spare rows: fill one to add a window.',
    from: 'From (quarter)',
    to: 'To (quarter)',
    windowAvailability: 'Availability (share served)',
    fromT: 'From t',
    toT: 'To t',
    providers: 'Providers',
    workloads: 'Workloads',
    sku: 'SKU',
    region: 'Region',
    baseQuantity: 'Base quantity per quarter',
    growth: 'Growth per quarter',
    efficiency: 'Efficiency (share removed)',
    fallbackProvider: 'Fallback provider',
    fallbackSku: 'Fallback SKU',
    invalid: {
      horizon: (max) => `A whole number of quarters from 1 to ${max}.`,
      rate01: 'A rate from 0 to 1 (0 % to 100 %).',
      aboveMinusOne: 'A rate above −1 (−100 %).',
      decline: 'A rate above −1 and at most 1.',
      efficiency: 'A share from 0 (included) to 1 (excluded).',
      positive: 'A number above 0.',
      nonNegative: 'A number of at least 0.',
      delay: 'A whole number of quarters from 0 to 40.',
      quarter: 'A quarter written as 2027-Q3.',
      scenario: 'One of the scenario ids.',
      provider: 'One of the providers listed below.',
    },
  },
  prices: {
    title: 'Prices',
    note: 'Every price row a workload uses. List and contracted prices are inputs; the contracted price, when given, replaces the list price.',
    list: 'List price',
    contracted: 'Contracted price',
    currency: 'Currency',
    effective: 'Price used (own currency)',
    fx: (r) => `FX (${r} per unit)`,
    converted: (r) => `Unit price (${r})`,
    sheet: 'Price sheet',
    line: 'Line',
    asOf: 'As of',
    source: 'Source',
  },
  calc: {
    title: (s) => `Calculation — ${s}`,
    note: (c, id) =>
      `Scenario "${id}". Every figure is a live formula of Inputs and Prices; amounts in ${c}.`,
    totals: (c) => `Totals (${c})`,
    totalCost: 'Total cost',
    byCategory: 'By category',
    byProvider: 'By provider (the unserved share belongs to the fallback provider)',
    fallbackByProvider: 'Of which unserved share, by the provider that serves it',
    byFiscalYear: 'By fiscal year (column F)',
    index: 'Price index by category (1 = today’s price)',
    quantity: 'Quantity (units per quarter, column E)',
    served: 'Share served by the primary provider',
    primary: (c) => `Cost of the served share, primary provider (${c})`,
    fallback: (c) => `Cost of the unserved share, fallback provider (${c})`,
    cost: (c) => `Cost per workload (${c})`,
    unitIndex: 'index',
    unitShare: 'share',
    windows:
      'Rupture windows: share of demand each window takes from its provider in this scenario',
    window: (k, r) => `Window ${k} (Inputs row ${r})`,
    capByProvider: 'Availability cap by provider (1 − the largest share taken)',
  },
  scenarios: {
    title: 'Scenarios compared',
    note: 'Links to the calculation sheets, side by side.',
    total: (c) => `Total cost by scenario (${c})`,
    delta: (b, c) => `Difference with ${b} (${c})`,
    byCategory: (c) => `By category (${c})`,
    byProvider: (c) => `By provider (${c})`,
    byFiscalYear: (c) => `By fiscal year (${c}, column F)`,
  },
  tornado: {
    title: 'Sensitivity — tornado',
    block: (s) => `Scenario: ${s}`,
    base: 'Base horizon total',
    driver: 'Driver',
    mode: 'How it moves',
    low: 'Low value',
    high: 'High value',
    totalAtLow: 'Horizon total at low',
    totalAtHigh: 'Horizon total at high',
    swing: 'Swing',
    changeAtLow: 'Change at low',
    changeAtHigh: 'Change at high',
    chart: (s) => `Tornado — ${s}`,
    axis: (c) => `Change of the horizon total (${c})`,
  },
  grid: {
    title: 'Sensitivity — delay × price decline',
    block: (s, c) => `Scenario: ${s} — horizon total (${c})`,
    corner: 'Delay (quarters) ↓ · decline multiplier →',
    delay: (d) => `${d} q`,
    multiplier: (m) => `× ${m}`,
    baseNote: (d) => `Base case: delay ${enText.quarterCount(d)}, multiplier × 1 (in bold).`,
  },
  monteCarlo: {
    title: 'Monte Carlo',
    note: (n, seed) =>
      `${n.toLocaleString('en-US')} draws per scenario, seed ${seed}; every input drawn from a triangular distribution around its own base value (ranges below), one draw per driver shared by every workload.`,
    notRun: 'Monte Carlo was not run (0 draws).',
    block: (s, c) => `Scenario: ${s} (${c})`,
    forecast: 'Forecast (base)',
    band: 'P90 − P10 (band)',
    horizon: 'Horizon',
    overBudget: (fy) => `Probability of exceeding the ${fy} budget`,
    chart: (s) => `P10–P90 by quarter — ${s}`,
    ranges: 'Ranges drawn (triangular: low, base, high)',
    around: 'Drawn around',
    aroundScale: '× 1: each value’s own (every workload’s, every rate’s)',
    aroundSet: 'the scenario’s own value (replaced by the draw)',
    aroundSetEfficiency: 'one rate for all, peaked at each workload’s own',
    position: (pos, share) => {
      const pct = `${Math.round(share * 100)}%`;
      if (pos === 'inside')
        return `Forecast (base) inside P10–P90: ${pct} of the draws fall below it.`;
      return pos === 'below-p10'
        ? `Forecast (base) below P10: only ${pct} of the draws fall below it.`
        : `Forecast (base) above P90: ${pct} of the draws fall below it.`;
    },
    skew: 'Ranges asymmetric around their base, which skew the draws (largest effect first)',
    base: 'Base',
    ownValues: 'each workload’s own',
    effect: (c) => `Effect alone (${c})`,
    effectNote: [
      'Effect: change of the horizon total at the low end plus at the high end, each alone',
      'with everything else at base (as in the tornado); positive leans the draws above the forecast.',
      '0: no effect alone (a premium or a shortage acts only while a delay is drawn).',
    ],
    noSkew: 'Every range is symmetric around its base: the median of each drawn input is its base.',
  },
  changes: {
    title: 'Changes since the earlier forecast',
    subtitle: (old, c) => `From ${old} to this forecast — amounts in ${c}`,
    sides: (a, b) => `Earlier: ${a} · this forecast: ${b}`,
    valuesNote: [
      'The bridge amounts (old totals, effects, old prices and rates) are values computed by costcast from both forecasts’ inputs at generation time: the earlier forecast’s inputs are not in this workbook, so they do not recalculate.',
      'Live formulas: the new totals (linked to the Calc sheets), the new prices and rates (linked to Prices and Inputs), the changes, the check and the chart’s columns. After an edit of Inputs the check shows how far the forecast has moved from the bridge.',
    ],
    bridge: (s, c) => `Scenario: ${s} — bridge (${c})`,
    step: 'Step',
    amount: 'Amount',
    running: 'Running total',
    base: 'Chart: base',
    increase: 'Increase',
    decrease: 'Decrease',
    totalBar: 'Chart: total',
    oldTotal: (name) => `Earlier total (${name})`,
    newTotal: 'New total',
    effect: {
      removed: 'Removed workloads',
      horizon: 'Horizon and start quarter',
      volume: 'Volume (quantities at old prices)',
      price: 'Price (unit prices at new quantities)',
      fx: 'Exchange rates',
      scenario: 'Scenario parameters',
      new: 'New workloads',
    },
    effectShort: {
      removed: 'Removed',
      horizon: 'Horizon',
      volume: 'Volume',
      price: 'Price',
      fx: 'FX',
      scenario: 'Scenario',
      new: 'New',
    },
    check: 'Check: earlier + effects − new',
    checkNote: '0 when the effects add up to the change',
    change: 'Change',
    changePct: 'Change %',
    chart: (s) => `From the earlier total to the new one — ${s}`,
    axis: (c) => `Horizon total (${c})`,
    movers: (s, top) => `Largest movers — ${s} (top ${top} workloads by size of change)`,
    noMovers: 'No workload changed.',
    status: 'Status',
    statusWord: { continuing: '', removed: 'removed', new: 'new', replaced: 'unit changed' },
    old: 'Earlier',
    new: 'New',
    prices: (c) => `Prices behind the price effect (unit prices in ${c})`,
    noPriceChange: 'No workload’s price changed.',
    role: 'Price',
    primary: 'primary',
    fallback: 'fallback',
    nativeOld: 'Earlier price',
    nativeNew: 'New price',
    currencyOldNew: 'Currency',
    unitOld: (c) => `Earlier unit price (${c})`,
    unitNew: (c) => `New unit price (${c})`,
    sheetOld: 'Earlier sheet (line)',
    sheetNew: 'New sheet (line)',
    priceEffect: (s) => `Price effect — ${s}`,
    fx: 'Exchange rates',
    noFxChange: 'No exchange rate changed.',
    rateOld: 'Earlier rate',
    rateNew: 'New rate',
    parameters: 'Scenario parameters',
    noParameterChange: 'No scenario parameter changed.',
    parameter: 'Parameter',
    unmatched: (s, side, t) =>
      side === 'old'
        ? `Scenario ${s} is only in the earlier forecast (total ${t}): not bridged.`
        : `Scenario ${s} is only in this forecast (total ${t}): not bridged.`,
  },
  providers: {
    title: 'Providers and jurisdictions',
    note: 'Spend over the horizon; the unserved share counts for the provider that serves it. HHI = Σ share² × 10 000 (10 000: one provider).',
    block: (s) => `Scenario: ${s}`,
    spend: (c) => `Spend (${c})`,
    fallbackSpend: (c) => `Of which as fallback (${c})`,
    hhi: 'HHI by provider',
    jurisdictionHhi: 'HHI by jurisdiction',
    byJurisdiction: 'By jurisdiction',
  },
  checks: {
    section: 'Checks (TRUE: the figures tie out; a FALSE means an edit broke a formula)',
    check: 'Check',
    tolerance: (c) => `Tolerance (${c})`,
    byCategory: 'Σ by category = scenario total',
    byProvider: 'Σ by provider = scenario total',
    byFiscalYear: 'Σ by fiscal year = scenario total',
    byWorkload: 'Σ of workloads, served + unserved share = scenario total',
    budget: 'Budget rows above = Inputs; forecast and headroom = calculation',
    all: 'All checks pass',
  },
  about: {
    title: 'About this workbook',
    generated: 'Generated',
    engineVersion: 'Engine version',
    inputHash: 'Input hash',
    locale: 'Language',
    model: 'Model',
    workloads: 'Workloads',
    priceSheets: 'Price sheets',
    method: 'Method',
    methodText: [
      'For every workload and every quarter, costcast multiplies a quantity by a unit price and by a price index. The quantity grows from the base quantity at the workload’s growth rate per quarter, less the efficiency share that token discipline and routing to small models remove.',
      'Unit prices come from the price sheets: the contracted price when there is one, else the list price, converted into the reporting currency at the rates on the Inputs sheet.',
      'Each scenario sets a price index per category: during the build-out delay prices carry the shortage premium; afterwards they decline by the category’s rate every quarter. During the delay only the available share of demand is served by the primary provider; the rest goes to the fallback provider, at its price plus the fallback premium (at the primary price when there is no fallback). A rupture window caps the share a provider serves in the quarters it covers.',
      'Every cost cell of the calculation sheets is a formula of the inputs: change an input and the workbook recalculates. The sensitivity and Monte Carlo sheets hold values computed by costcast when the workbook was generated.',
    ],
    formulas: 'Formulas (t = quarter index from 0)',
    formulaLines: [
      'quantity[w,t] = baseQuantity × (1 + growth)^t × (1 − efficiency)',
      'price[w] = (contracted price, else list price) × FX[currency]',
      'index[c,t] = (1 − decline[c])^max(0, t − delay) × (1 + premium if t < delay, else 1)',
      'served[w,t] = min(availability if t < delay, else 1; every rupture window of w’s provider covering t)',
      'cost[w,t] = quantity × index × (served × price + (1 − served) × fallbackPrice × (1 + fallbackPremium))',
    ],
    assumptions: 'Assumptions',
    assumptionText: [
      'Quantities, growth, efficiency, exchange rates and budgets are the analyst’s assumptions (Inputs sheet).',
      'Prices are facts of their date (Prices sheet, column “As of”): tiers, free allowances, taxes and commitments are not modelled.',
      'A workload without a fallback SKU prices its unserved share at the primary SKU, with the fallback premium.',
      'Amounts are rounded to the cent only for display; totals add unrounded cells.',
    ],
    ranges: 'Sensitivity ranges',
    monteCarlo: (n, seed) =>
      `Monte Carlo: ${n.toLocaleString('en-US')} draws per scenario, seed ${seed}.`,
    legend: 'Style legend',
    legendInput: 'Input: edit it',
    legendCalc: 'Calculation: a formula on its own sheet',
    legendLink: 'Link: a formula that brings a figure from another sheet',
    legendValue: 'Value computed by costcast (not a formula)',
    legendTotal: 'Total',
    legendDelta: 'A change in cost: red when it costs more, a saving in black',
    legendHeadroom: 'Budget left: red when the forecast exceeds the budget',
    sheets: 'Sheets',
    sheetText: {
      summary: 'The page for the CFO: totals, budget, drivers, chart.',
      changes:
        'What changed since the earlier forecast: the bridge of each scenario, its largest movers, the prices, rates and parameters behind it.',
      inputs: 'Every assumption, editable.',
      prices: 'Every price row used, with its sheet, date and source.',
      calc: 'One per scenario: quantity, served share, price index and cost per workload, by quarter.',
      scenarios: 'Scenarios side by side.',
      tornado: 'One driver at a time at its low and high value.',
      grid: 'Delay × price-decline multiplier.',
      monteCarlo: 'P10 / P50 / P90 by quarter.',
      providers: 'Concentration by provider and jurisdiction, fallback exposure.',
      about: 'This page.',
    },
    warnings: 'Warnings',
    noWarnings: 'None.',
  },
  text: enText,
};

/** The forecast's warnings in French (the JSON keeps them in English). */
function noticeFr(n: Notice): string {
  switch (n.kind) {
    case 'unknown-jurisdiction':
      return `le fournisseur « ${n.provider} » n’est pas dans la table des fournisseurs : sa juridiction est inconnue`;
    case 'budget-outside-horizon':
      return `le budget ${frText.fiscalYear(n.fiscalYear)} est hors de l’horizon (${n.fiscalYears.map(frText.fiscalYear).join(', ')})`;
    case 'partial-budget-year':
      return `${frText.fiscalYear(n.fiscalYear)} n’a que ${n.quarters} de ses 4 trimestres dans l’horizon : la comparaison au budget est partielle`;
    case 'stale-price':
      return `charge « ${n.workload} » : le SKU « ${n.sku} » de ${n.provider} est tarifé d’après la grille ${n.sheet} (prix au ${n.asOf}) ; la grille plus récente ${n.newerSheet} (prix au ${n.newerAsOf}) a des prix ${n.provider} mais pas ce SKU`;
    case 'precedence-skipped':
      return `charge « ${n.workload} » : le SKU « ${n.sku} » de ${n.provider} est tarifé d’après ${KIND_FR[n.sheetKind]} ${n.sheet} ; ${KIND_FR[n.skippedKind]} ${n.skippedSheet}${n.skippedAsOf ? ` (prix au ${n.skippedAsOf})` : ''} le liste aussi et n’a pas été retenu (contrat > grille du fournisseur > catalogue)`;
    case 'precedence-fallback':
      return `charge « ${n.workload} » : le SKU « ${n.sku} » de ${n.provider} est tarifé d’après ${KIND_FR[n.sheetKind]} ${n.sheet}, car ${KIND_FR[n.higherKind]} ${n.higherSheet} a des prix ${n.provider} mais pas ce SKU`;
    case 'what-if-adjustment': {
      const comma = (x: string) => x.replace('.', ',');
      const applied = [
        ...(n.growth === null ? [] : [`croissance × ${comma(n.growth)}`]),
        ...(n.efficiency === null ? [] : [`efficacité × ${comma(n.efficiency)}`]),
      ];
      const fields = [
        ...(n.growth === null ? [] : ['la croissance par trimestre']),
        ...(n.efficiency === null ? [] : ['l’efficacité']),
      ];
      const s = applied.length > 1 ? 's' : '';
      return `${applied.join(', ')} appliquée${s} en multiplicateurs de simulation : ${fields.join(' et ')} de chaque charge multipliée${s} avant la projection (les hypothèses présentées sont les hypothèses ajustées)`;
    }
  }
}

const KIND_FR: Record<string, string> = {
  contract: 'le contrat',
  provider: 'la grille du fournisseur',
  catalogue: 'le catalogue',
};

const fr: Labels = {
  notice: (n) => sentence(noticeFr(n)),
  sheet: {
    summary: 'Synthèse',
    changes: 'Écarts',
    inputs: 'Hypothèses',
    prices: 'Prix',
    calc: 'Calcul',
    scenarios: 'Scénarios',
    tornado: 'Sensibilité — Tornade',
    grid: 'Sensibilité — Grille',
    monteCarlo: 'Monte-Carlo',
    providers: 'Fournisseurs',
    about: 'À propos',
  },
  category: {
    'llm-inference': 'Inférence LLM',
    'gpu-compute': 'Calcul GPU',
    storage: 'Stockage',
    network: 'Réseau',
    other: 'Autre',
  },
  driver: {
    growth: 'Croissance des volumes',
    efficiency: 'Sobriété (efficacité)',
    priceDecline: 'Baisse des prix',
    delay: 'Retard du déploiement',
    premium: 'Prime de pénurie',
    availability: 'Disponibilité pendant le retard',
    fx: 'Taux de change',
    basePrice: 'Prix unitaires',
  },
  mode: { scale: 'échelle (× chaque valeur)', set: 'valeur (remplace)' },
  common: {
    quarter: 'Trimestre',
    fiscalQuarter: 'Trimestre fiscal',
    fiscalYear: 'Exercice',
    t: 'Indice de trimestre t',
    flag: 'Dans l’horizon (1 = oui)',
    total: 'Total',
    scenario: 'Scénario',
    provider: 'Fournisseur',
    jurisdiction: 'Juridiction',
    category: 'Catégorie',
    workload: 'Charge',
    id: 'Id',
    unit: 'Unité',
    perQuarter: (unit) => `${unit} par trimestre`,
    quarters: 'trimestres',
    share: 'Part',
    none: '—',
    valuesNote: (at) =>
      `Valeurs calculées par costcast à la génération (${at}) ; elles ne se recalculent pas quand les hypothèses changent — relancez costcast.`,
    partialYear: (n) => `${frText.quarterCount(n)} sur 4 dans l’horizon`,
    quartersShort: 'trim.',
  },
  summary: {
    subtitle: (a, b, c) => `Prévision des coûts de calcul, de ${a} à ${b} — montants en ${c}`,
    asOf: (q, at, v) => `Prévision au ${frText.quarter(q)} · générée le ${at} par ${v}`,
    totals: (c) => `Totaux par scénario (${c})`,
    horizonTotal: 'Total de l’horizon',
    minus: (a, b) => `${a} − ${b}`,
    budget: (c) => `Budget et prévision (${c})`,
    budgetCol: 'Budget',
    forecastCol: 'Prévision',
    headroomCol: 'Marge (budget − prévision)',
    probabilityCol: 'Probabilité de dépasser le budget (Monte-Carlo)',
    chartSection: (c) => `Coût trimestriel par scénario (${c})`,
    chartTitle: 'Coût trimestriel par scénario',
    drivers: 'Principaux facteurs (tornade : variation du total de l’horizon)',
    driversNote: 'Plus grands écarts d’abord ; valeurs calculées par costcast à la génération.',
    range: 'Bas → haut',
    totalAtLow: 'Total au bas',
    totalAtHigh: 'Total au haut',
    swing: 'Écart',
    priceSheets: 'Grilles tarifaires utilisées',
    sheetCol: 'Grille tarifaire (version)',
    rowsUsed: 'Lignes utilisées',
    asOfCol: 'Prix au',
    kindCol: 'Type',
    kind: { contract: 'contrat', provider: 'grille du fournisseur', catalogue: 'catalogue' },
    ageQuarters: (q) => `Âge (trimestres avant ${q})`,
    stale: 'PÉRIMÉE : à actualiser',
    staleRule: (k, q) =>
      `Une grille est périmée quand ses prix ont plus de ${k} trimestre${k > 1 ? 's' : ''} de retard sur le trimestre de la prévision (${q}). Priorité : contrat > grille du fournisseur > catalogue, puis la plus récente.`,
    unknownAsOf: 'inconnue',
    warnings: 'Avertissements',
    sheetReviews: {
      note: 'Revue de chaque grille tarifaire à la création de la prévision : acceptée ou refusée par la finance, jamais par la personne qui l’a chargée ; la dernière revue fait foi.',
      reviewCol: 'Revue',
      byCol: 'Par',
      onCol: 'Le',
      noteCol: 'Note',
      status: { accepted: 'Acceptée', refused: 'REFUSÉE', unreviewed: 'NON REVUE' },
    },
  },
  inputs: {
    title: 'Hypothèses',
    note: 'Les chiffres bleus sur fond jaune sont des hypothèses : modifiez-les et tous les calculs se mettent à jour. La structure (trimestres, charges, SKU) est fixe : relancez costcast pour la changer.',
    general: 'Général',
    modelName: 'Modèle',
    currency: 'Devise de présentation',
    startQuarter: 'Premier trimestre de l’horizon',
    horizon: 'Horizon (trimestres)',
    horizonNote: (max) => `de 1 à ${max} : les trimestres au-delà de l’horizon ne coûtent rien`,
    fyStart: 'Mois de début de l’exercice',
    quartersPerYear: 'Trimestres par an',
    hhiScale: 'Échelle HHI (points pour une part de 100 %)',
    constant: 'constante',
    structure: 'structure : relancez costcast pour la changer',
    fx: 'Taux de change',
    currencyCol: 'Devise',
    rateCol: (r) => `${r} par unité`,
    reportingNote: 'devise de présentation (fixée à 1)',
    budgets: 'Budgets',
    budgetCol: (c) => `Budget (${c})`,
    outsideHorizon: 'hors horizon : non comparé',
    scenarios: 'Paramètres des scénarios',
    parameter: 'Paramètre',
    scenarioId: 'Identifiant du scénario',
    scenarioName: 'Nom du scénario',
    delay: 'Retard du déploiement',
    decline: (c) => `Baisse de prix par trimestre — ${c}`,
    premium: 'Prime de pénurie pendant le retard',
    availability: 'Disponibilité pendant le retard (part servie)',
    fallbackPremium: 'Prime de secours sur la part non servie',
    unitQuarters: 'trimestres',
    unitRate: 'taux',
    unitText: 'texte',
    windows: 'Fenêtres de disponibilité des fournisseurs (ruptures)',
    windowsNote:
      'Plafonne la part servie des charges dont le fournisseur principal est nommé, d’un trimestre à un autre (inclus). Lignes libres : remplissez-en une pour ajouter une fenêtre.',
    from: 'Du (trimestre)',
    to: 'Au (trimestre)',
    windowAvailability: 'Disponibilité (part servie)',
    fromT: 'Du t',
    toT: 'Au t',
    providers: 'Fournisseurs',
    workloads: 'Charges de travail',
    sku: 'SKU',
    region: 'Région',
    baseQuantity: 'Quantité de base par trimestre',
    growth: 'Croissance par trimestre',
    efficiency: 'Efficacité (part retirée)',
    fallbackProvider: 'Fournisseur de secours',
    fallbackSku: 'SKU de secours',
    invalid: {
      horizon: (max) => `Un nombre entier de trimestres de 1 à ${max}.`,
      rate01: 'Un taux de 0 à 1 (0 % à 100 %).',
      aboveMinusOne: 'Un taux supérieur à −1 (−100 %).',
      decline: 'Un taux supérieur à −1 et au plus 1.',
      efficiency: 'Une part de 0 (inclus) à 1 (exclu).',
      positive: 'Un nombre supérieur à 0.',
      nonNegative: 'Un nombre au moins égal à 0.',
      delay: 'Un nombre entier de trimestres de 0 à 40.',
      quarter: 'Un trimestre écrit T3 2027 (ou 2027-Q3).',
      scenario: 'Un des identifiants de scénario.',
      provider: 'Un des fournisseurs listés plus bas.',
    },
  },
  prices: {
    title: 'Prix',
    note: 'Chaque ligne de prix utilisée par une charge. Les prix catalogue et contractuels sont des hypothèses ; le prix contractuel, s’il existe, remplace le prix catalogue.',
    list: 'Prix catalogue',
    contracted: 'Prix contractuel',
    currency: 'Devise',
    effective: 'Prix retenu (devise d’origine)',
    fx: (r) => `Change (${r} par unité)`,
    converted: (r) => `Prix unitaire (${r})`,
    sheet: 'Grille tarifaire',
    line: 'Ligne',
    asOf: 'Date',
    source: 'Source',
  },
  calc: {
    title: (s) => `Calcul — ${s}`,
    note: (c, id) =>
      `Scénario « ${id} ». Chaque chiffre est une formule vivante des hypothèses et des prix ; montants en ${c}.`,
    totals: (c) => `Totaux (${c})`,
    totalCost: 'Coût total',
    byCategory: 'Par catégorie',
    byProvider: 'Par fournisseur (la part non servie revient au fournisseur de secours)',
    fallbackByProvider: 'Dont part non servie, par fournisseur qui la sert',
    byFiscalYear: 'Par exercice (colonne F)',
    index: 'Indice de prix par catégorie (1 = prix d’aujourd’hui)',
    quantity: 'Quantité (unités par trimestre, colonne E)',
    served: 'Part servie par le fournisseur principal',
    primary: (c) => `Coût de la part servie, fournisseur principal (${c})`,
    fallback: (c) => `Coût de la part non servie, fournisseur de secours (${c})`,
    cost: (c) => `Coût par charge (${c})`,
    unitIndex: 'indice',
    unitShare: 'part',
    windows:
      'Fenêtres de rupture : part de la demande que chaque fenêtre retire à son fournisseur dans ce scénario',
    window: (k, r) => `Fenêtre ${k} (Hypothèses, ligne ${r})`,
    capByProvider: 'Plafond de disponibilité par fournisseur (1 − la plus grande part retirée)',
  },
  scenarios: {
    title: 'Scénarios comparés',
    note: 'Liens vers les feuilles de calcul, côte à côte.',
    total: (c) => `Coût total par scénario (${c})`,
    delta: (b, c) => `Écart avec ${b} (${c})`,
    byCategory: (c) => `Par catégorie (${c})`,
    byProvider: (c) => `Par fournisseur (${c})`,
    byFiscalYear: (c) => `Par exercice (${c}, colonne F)`,
  },
  tornado: {
    title: 'Sensibilité — tornade',
    block: (s) => `Scénario : ${s}`,
    base: 'Total de l’horizon (base)',
    driver: 'Facteur',
    mode: 'Variation',
    low: 'Valeur basse',
    high: 'Valeur haute',
    totalAtLow: 'Total au bas',
    totalAtHigh: 'Total au haut',
    swing: 'Écart',
    changeAtLow: 'Variation au bas',
    changeAtHigh: 'Variation au haut',
    chart: (s) => `Tornade — ${s}`,
    axis: (c) => `Variation du total de l’horizon (${c})`,
  },
  grid: {
    title: 'Sensibilité — retard × baisse des prix',
    block: (s, c) => `Scénario : ${s} — total de l’horizon (${c})`,
    corner: 'Retard (trimestres) ↓ · multiplicateur de baisse →',
    delay: (d) => `${d} trim.`,
    multiplier: (m) => `× ${m.replace('.', ',')}`,
    baseNote: (d) =>
      `Cas de base : retard de ${frText.quarterCount(d)}, multiplicateur × 1 (en gras).`,
  },
  monteCarlo: {
    title: 'Monte-Carlo',
    note: (n, seed) =>
      `${n.toLocaleString('fr-FR')} tirages par scénario, graine ${seed} ; chaque donnée suit une loi triangulaire autour de sa propre valeur de base (intervalles ci-dessous), un tirage par facteur commun à toutes les charges.`,
    notRun: 'Monte-Carlo n’a pas été exécuté (0 tirage).',
    block: (s, c) => `Scénario : ${s} (${c})`,
    forecast: 'Prévision (base)',
    band: 'P90 − P10 (bande)',
    horizon: 'Horizon',
    overBudget: (fy) => `Probabilité de dépasser le budget ${fy}`,
    chart: (s) => `P10–P90 par trimestre — ${s}`,
    ranges: 'Intervalles tirés (loi triangulaire : bas, base, haut)',
    around: 'Tiré autour de',
    aroundScale: '× 1 : la valeur propre de chaque charge, de chaque taux',
    aroundSet: 'la valeur du scénario (remplacée par le tirage)',
    aroundSetEfficiency: 'un taux pour tous, centré sur celui de chaque charge',
    position: (pos, share) => {
      const pct = `${Math.round(share * 100)} %`;
      if (pos === 'inside')
        return `Prévision (base) entre P10 et P90 : ${pct} des tirages sont en dessous.`;
      return pos === 'below-p10'
        ? `Prévision (base) sous P10 : seuls ${pct} des tirages sont en dessous.`
        : `Prévision (base) au-dessus de P90 : ${pct} des tirages sont en dessous.`;
    },
    skew: 'Intervalles asymétriques autour de leur base, qui décalent les tirages (effet le plus fort d’abord)',
    base: 'Base',
    ownValues: 'celle de chaque charge',
    effect: (c) => `Effet seul (${c})`,
    effectNote: [
      'Effet : variation du total de l’horizon au bas plus au haut de l’intervalle, chacun seul,',
      'le reste à la base (comme la tornade) ; positif, il tire les tirages au-dessus de la prévision.',
      '0 : aucun effet seul (une prime ou une pénurie n’agit que pendant un retard tiré).',
    ],
    noSkew:
      'Chaque intervalle est symétrique autour de sa base : la médiane de chaque facteur tiré est sa base.',
  },
  changes: {
    title: 'Écarts depuis la prévision précédente',
    subtitle: (old, c) => `De ${old} à cette prévision — montants en ${c}`,
    sides: (a, b) => `Précédente\u00A0: ${a} · cette prévision\u00A0: ${b}`,
    valuesNote: [
      'Les montants du pont (anciens totaux, effets, anciens prix et taux) sont des valeurs calculées par costcast à partir des entrées des deux prévisions lors de la génération\u00A0: les entrées de la prévision précédente ne sont pas dans ce classeur, elles ne se recalculent donc pas.',
      'Formules actives\u00A0: les nouveaux totaux (liés aux feuilles Calcul), les nouveaux prix et taux (liés à Prix et Hypothèses), les écarts, le contrôle et les colonnes du graphique. Après une modification des Hypothèses, le contrôle montre l’écart de la prévision au pont.',
    ],
    bridge: (s, c) => `Scénario\u00A0: ${s} — pont (${c})`,
    step: 'Étape',
    amount: 'Montant',
    running: 'Cumul',
    base: 'Graphique\u00A0: base',
    increase: 'Hausse',
    decrease: 'Baisse',
    totalBar: 'Graphique\u00A0: total',
    oldTotal: (name) => `Total précédent (${name})`,
    newTotal: 'Nouveau total',
    effect: {
      removed: 'Charges retirées',
      horizon: 'Horizon et trimestre de départ',
      volume: 'Volume (quantités aux anciens prix)',
      price: 'Prix (prix unitaires aux nouvelles quantités)',
      fx: 'Taux de change',
      scenario: 'Paramètres du scénario',
      new: 'Nouvelles charges',
    },
    effectShort: {
      removed: 'Retirées',
      horizon: 'Horizon',
      volume: 'Volume',
      price: 'Prix',
      fx: 'Change',
      scenario: 'Scénario',
      new: 'Nouvelles',
    },
    check: 'Contrôle\u00A0: précédent + effets − nouveau',
    checkNote: '0 quand les effets font l’écart',
    change: 'Écart',
    changePct: 'Écart %',
    chart: (s) => `Du total précédent au nouveau — ${s}`,
    axis: (c) => `Total de l’horizon (${c})`,
    movers: (s, top) => `Plus fortes variations — ${s} (${top} premières charges par ampleur)`,
    noMovers: 'Aucune charge n’a changé.',
    status: 'Statut',
    statusWord: { continuing: '', removed: 'retirée', new: 'nouvelle', replaced: 'unité changée' },
    old: 'Précédent',
    new: 'Nouveau',
    prices: (c) => `Prix derrière l’effet prix (prix unitaires en ${c})`,
    noPriceChange: 'Aucun prix de charge n’a changé.',
    role: 'Prix',
    primary: 'principal',
    fallback: 'repli',
    nativeOld: 'Prix précédent',
    nativeNew: 'Nouveau prix',
    currencyOldNew: 'Devise',
    unitOld: (c) => `Prix unitaire précédent (${c})`,
    unitNew: (c) => `Nouveau prix unitaire (${c})`,
    sheetOld: 'Grille précédente (ligne)',
    sheetNew: 'Nouvelle grille (ligne)',
    priceEffect: (s) => `Effet prix — ${s}`,
    fx: 'Taux de change',
    noFxChange: 'Aucun taux de change n’a changé.',
    rateOld: 'Taux précédent',
    rateNew: 'Nouveau taux',
    parameters: 'Paramètres des scénarios',
    noParameterChange: 'Aucun paramètre de scénario n’a changé.',
    parameter: 'Paramètre',
    unmatched: (s, side, t) =>
      side === 'old'
        ? `Le scénario ${s} n’est que dans la prévision précédente (total ${t})\u00A0: sans pont.`
        : `Le scénario ${s} n’est que dans cette prévision (total ${t})\u00A0: sans pont.`,
  },
  providers: {
    title: 'Fournisseurs et juridictions',
    note: 'Dépense sur l’horizon ; la part non servie compte pour le fournisseur qui la sert. HHI = Σ part² × 10 000 (10 000 : un seul fournisseur).',
    block: (s) => `Scénario : ${s}`,
    spend: (c) => `Dépense (${c})`,
    fallbackSpend: (c) => `Dont en secours (${c})`,
    hhi: 'HHI par fournisseur',
    jurisdictionHhi: 'HHI par juridiction',
    byJurisdiction: 'Par juridiction',
  },
  checks: {
    section: 'Contrôles (VRAI : les chiffres concordent ; un FAUX signale une formule cassée)',
    check: 'Contrôle',
    tolerance: (c) => `Tolérance (${c})`,
    byCategory: 'Σ par catégorie = total du scénario',
    byProvider: 'Σ par fournisseur = total du scénario',
    byFiscalYear: 'Σ par exercice = total du scénario',
    byWorkload: 'Σ des charges, part servie + non servie = total du scénario',
    budget: 'Lignes de budget ci-dessus = Hypothèses ; prévision et marge = calcul',
    all: 'Tous les contrôles passent',
  },
  about: {
    title: 'À propos de ce classeur',
    generated: 'Généré le',
    engineVersion: 'Version du moteur',
    inputHash: 'Empreinte des entrées',
    locale: 'Langue',
    model: 'Modèle',
    workloads: 'Charges de travail',
    priceSheets: 'Grilles tarifaires',
    method: 'Méthode',
    methodText: [
      'Pour chaque charge et chaque trimestre, costcast multiplie une quantité par un prix unitaire et par un indice de prix. La quantité croît à partir de la quantité de base au taux de croissance trimestriel de la charge, diminuée de la part d’efficacité que la sobriété en jetons et le routage vers de petits modèles retirent.',
      'Les prix unitaires viennent des grilles tarifaires : le prix contractuel s’il existe, sinon le prix catalogue, convertis dans la devise de présentation aux taux de la feuille Hypothèses.',
      'Chaque scénario fixe un indice de prix par catégorie : pendant le retard du déploiement les prix portent la prime de pénurie ; ensuite ils baissent chaque trimestre au taux de la catégorie. Pendant le retard, seule la part disponible de la demande est servie par le fournisseur principal ; le reste va au fournisseur de secours, à son prix majoré de la prime de secours (au prix principal s’il n’y a pas de secours). Une fenêtre de rupture plafonne la part servie par un fournisseur sur les trimestres qu’elle couvre.',
      'Chaque cellule de coût des feuilles de calcul est une formule des hypothèses : modifiez une hypothèse et le classeur se recalcule. Les feuilles de sensibilité et de Monte-Carlo contiennent des valeurs calculées par costcast à la génération du classeur.',
    ],
    formulas: 'Formules (t = indice du trimestre à partir de 0)',
    formulaLines: [
      'quantité[w,t] = quantitéDeBase × (1 + croissance)^t × (1 − efficacité)',
      'prix[w] = (prix contractuel, sinon prix catalogue) × change[devise]',
      'indice[c,t] = (1 − baisse[c])^max(0, t − retard) × (1 + prime si t < retard, sinon 1)',
      'servie[w,t] = min(disponibilité si t < retard, sinon 1 ; chaque fenêtre de rupture du fournisseur de w couvrant t)',
      'coût[w,t] = quantité × indice × (servie × prix + (1 − servie) × prixDeSecours × (1 + primeDeSecours))',
    ],
    assumptions: 'Hypothèses retenues',
    assumptionText: [
      'Les quantités, croissances, efficacités, taux de change et budgets sont les hypothèses de l’analyste (feuille Hypothèses).',
      'Les prix sont des faits datés (feuille Prix, colonne « Date ») : paliers, franchises, taxes et engagements ne sont pas modélisés.',
      'Une charge sans SKU de secours facture sa part non servie au SKU principal, avec la prime de secours.',
      'Les montants ne sont arrondis au centime qu’à l’affichage ; les totaux additionnent des cellules non arrondies.',
    ],
    ranges: 'Intervalles de sensibilité',
    monteCarlo: (n, seed) =>
      `Monte-Carlo : ${n.toLocaleString('fr-FR')} ${n < 2 ? 'tirage' : 'tirages'} par scénario, graine ${seed}.`,
    legend: 'Légende des styles',
    legendInput: 'Hypothèse : à modifier',
    legendCalc: 'Calcul : une formule de sa propre feuille',
    legendLink: 'Lien : une formule qui reprend un chiffre d’une autre feuille',
    legendValue: 'Valeur calculée par costcast (pas une formule)',
    legendTotal: 'Total',
    legendDelta: 'Écart de coût : en rouge s’il coûte plus, une économie en noir',
    legendHeadroom: 'Budget restant : en rouge quand la prévision dépasse le budget',
    sheets: 'Feuilles',
    sheetText: {
      summary: 'La page du directeur financier : totaux, budget, facteurs, graphique.',
      changes:
        'Ce qui a changé depuis la prévision précédente\u00A0: le pont de chaque scénario, ses plus fortes variations, les prix, taux et paramètres qui l’expliquent.',
      inputs: 'Toutes les hypothèses, modifiables.',
      prices: 'Chaque ligne de prix utilisée, avec sa grille, sa date et sa source.',
      calc: 'Une par scénario : quantité, part servie, indice de prix et coût par charge, par trimestre.',
      scenarios: 'Les scénarios côte à côte.',
      tornado: 'Un facteur à la fois à sa valeur basse et haute.',
      grid: 'Retard × multiplicateur de baisse des prix.',
      monteCarlo: 'P10 / P50 / P90 par trimestre.',
      providers: 'Concentration par fournisseur et juridiction, exposition au secours.',
      about: 'Cette page.',
    },
    warnings: 'Avertissements',
    noWarnings: 'Aucun.',
  },
  text: frText,
};

export const LABELS: Readonly<Record<Locale, Labels>> = { en, fr };
