import { CATEGORIES } from '../../models/fields.ts';
import type { PricePoint } from '../../models/model.ts';
import { Decimal, ONE, sum, ZERO } from '../../models/money.ts';
import type { Projection, WorkloadSeries } from '../../models/projection.ts';
import { CALC_COL, type Facts, tcol } from '../facts.ts';
import { type Cell, col, onSheet, type SheetLayout } from '../layout.ts';
import { BLANK, build, fixed, keyed, type Line, type Ref } from '../rows.ts';
import { type Context, n, section, titleRow } from './common.ts';
import { INPUT_WORKLOAD_COL } from './inputs.ts';
import { PRICE_COL } from './prices.ts';

/**
 * Σ of `values` where `keys` equals `key` exactly: SUMPRODUCT with `=`, not SUMIF, whose
 * criterion reads `*` and `?` as wildcards and a leading `=`, `<` or `>` as a comparison (a
 * provider may be named `*`). `=` ignores case, as the engine does when it matches providers.
 * @example sumWhere('$D$9:$D$12', '$D20', 'H$9:H$12') //=> "SUMPRODUCT(($D$9:$D$12=$D20)*H$9:H$12)"
 */
export const sumWhere = (keys: string, key: string, values: string): string =>
  `SUMPRODUCT((${keys}=${key})*${values})`;

const lead7 = (label: string): (Cell | null)[] => [
  { v: label, s: 'labelBold' },
  null,
  null,
  null,
  null,
  null,
  null,
];

/**
 * The shared timeline rows, keys `quarter`, `fiscalQuarter`, `fiscalYear` and `t` (the
 * horizon index, a formula of the cell to its left).
 */
export function timelineLines(p: Facts): Line[] {
  const { model } = p.f;
  const H = p.horizon;
  const L = p.L.common;
  const T = p.L.text;
  const timeline = (key: string, label: string, values: readonly string[]) =>
    fixed({ cells: [...lead7(label), ...values.map((v): Cell => ({ v, s: 'timeline' }))] }, key);
  return [
    timeline('quarter', L.quarter, model.quarters.map(T.quarter)),
    timeline('fiscalQuarter', L.fiscalQuarter, model.fiscalQuarters.map(T.fiscalQuarter)),
    // Compared by the fiscal-year SUMIFs with the key column of each year's row, written
    // the same way (T.fiscalYear) on both sides.
    timeline(
      'fiscalYear',
      L.fiscalYear,
      model.fiscalQuarters.map((q) => T.fiscalYear(q.slice(0, q.indexOf('-')))),
    ),
    keyed('t', (ref) => ({
      ...(H > 2 ? { shared: [tcol(1), tcol(H - 1)] as const } : {}),
      cells: [
        ...lead7(L.t),
        ...Array.from(
          { length: H },
          (_, t): Cell =>
            t === 0
              ? { v: 0, s: 'val.int' }
              : { f: `${col(tcol(t - 1))}${ref('t')}+1`, r: t, s: 'calc.int' },
        ),
      ],
    })),
  ];
}

/** What every part of one calculation sheet shares. */
interface Sheet {
  readonly p: Facts;
  readonly s: number;
  /** The scenario's projection and the names of its parameters. */
  readonly pr: Projection;
  readonly sn: Facts['names']['scenarios'][number];
  readonly cols: readonly string[];
  /** Rows whose timeline holds one formula copied across. */
  readonly across: { readonly shared?: readonly [number, number] };
  readonly width: number;
}

type Lead = 'label' | 'labelIndent' | 'labelBold';

/** Columns A–G of a row: label, key, category, provider, unit, total, a gap. */
const lead = (
  label: string,
  key: string | null,
  category: string | null,
  provider: string | null,
  unit: string,
  total: Cell | null,
  style: Lead = 'labelIndent',
): (Cell | null)[] => [
  { v: label, s: style },
  key === null ? null : { v: key, s: 'label' },
  category === null ? null : { v: category, s: 'label' },
  provider === null ? null : { v: provider, s: 'label' },
  { v: unit, s: 'note' },
  total,
  null,
];

/** The horizon total of row `r`. */
const sumRow = (
  { cols }: Sheet,
  r: number,
  cached: Decimal,
  style: 'tot.money' | 'calc.money' = 'calc.money',
): Cell => ({ f: `SUM(${cols[0]}${r}:${cols.at(-1)}${r})`, r: n(cached), s: style });

/** The first and last row of a per-workload block (`cost` for `cost:0` … `cost:<N − 1>`). */
const blockRows = (p: Facts, ref: Ref, block: string): [number, number] => [
  ref(`${block}:0`),
  ref(`${block}:${p.f.model.workloads.length - 1}`),
];
/** `$C$first:$C$last`: a key column of a per-workload block. */
const blockCol = (c: number, [a, b]: [number, number]) => `$${col(c)}$${a}:$${col(c)}$${b}`;
/** `H$first:H$last`: a timeline column of a per-workload block. */
const blockAt = (x: string, [a, b]: [number, number]) => `${x}$${a}:${x}$${b}`;

/** One row per key, each a formula per timeline column, with the engine's series. */
function seriesLine(
  sh: Sheet,
  key: string,
  head: (ref: Ref) => (Cell | null)[],
  formula: (ref: Ref) => (x: string) => string,
  values: () => readonly Decimal[],
  style: 'calc.money' | 'tot.money' | 'calc.index' | 'calc.pct' | 'calc.qty' | 'calc.int',
): Line {
  return keyed(key, (ref) => {
    const v = values();
    const f = formula(ref);
    return {
      ...sh.across,
      // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
      cells: [...head(ref), ...sh.cols.map((x, t): Cell => ({ f: f(x), r: n(v[t]!), s: style }))],
    };
  });
}

function totalLines(sh: Sheet): Line[] {
  const { p } = sh;
  const { L } = p;
  const C = L.calc;
  const cur = p.currency;
  const { pr } = sh;
  const zeros = () => Array.from({ length: p.horizon }, () => ZERO);
  const fallbackOf = new Map(p.providers.map((x) => [x.name, zeros()]));
  for (const w of pr.workloads) {
    // biome-ignore lint/style/noNonNullAssertion: p.providers lists every workload's primary and fallback provider (facts.ts), each with a series
    const series = fallbackOf.get((w.workload.fallback ?? w.workload.primary).provider)!;
    w.fallback.forEach((v, t) => {
      // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
      series[t] = series[t]!.plus(v);
    });
  }
  const prov = col(CALC_COL.provider);
  const byCategory = CATEGORIES.map((c) => {
    // biome-ignore lint/style/noNonNullAssertion: byCategory has every category (project() maps CATEGORIES)
    const series = () => pr.byCategory.get(c)!;
    return seriesLine(
      sh,
      `category:${c}`,
      (ref) =>
        lead(L.category[c], null, c, null, cur, sumRow(sh, ref(`category:${c}`), sum(series()))),
      (ref) => {
        const cost = blockRows(p, ref, 'cost');
        const keys = blockCol(CALC_COL.category, cost);
        const mine = `$${col(CALC_COL.category)}${ref(`category:${c}`)}`;
        return (x) => sumWhere(keys, mine, blockAt(x, cost));
      },
      series,
      'calc.money',
    );
  });
  const byProvider = (
    prefix: string,
    blocks: readonly string[],
    series: (name: string) => readonly Decimal[],
  ) =>
    p.providers.map(({ name }) => {
      const key = `${prefix}:${name}`;
      return seriesLine(
        sh,
        key,
        (ref) => lead(name, null, null, name, cur, sumRow(sh, ref(key), sum(series(name)))),
        (ref) => {
          const mine = `$${prov}${ref(key)}`;
          const rows = blocks.map((b) => {
            const r = blockRows(p, ref, b);
            return { r, keys: blockCol(CALC_COL.provider, r) };
          });
          return (x) => rows.map(({ r, keys }) => sumWhere(keys, mine, blockAt(x, r))).join('+');
        },
        () => series(name),
        'calc.money',
      );
    });
  return [
    fixed(section(C.totals(cur), sh.width)),
    seriesLine(
      sh,
      'total',
      (ref) =>
        lead(
          C.totalCost,
          null,
          null,
          null,
          cur,
          sumRow(sh, ref('total'), pr.total, 'tot.money'),
          'labelBold',
        ),
      (ref) => {
        const [first, last] = blockRows(p, ref, 'cost');
        return (x) => `SUM(${x}${first}:${x}${last})`;
      },
      () => pr.byQuarter,
      'tot.money',
    ),
    BLANK,
    fixed({ cells: [{ v: C.byCategory, s: 'labelBold' }] }),
    ...byCategory,
    BLANK,
    fixed({ cells: [{ v: C.byProvider, s: 'labelBold' }] }),
    ...byProvider(
      'provider',
      ['primary', 'fallback'],
      (name) => pr.byProvider.get(name) ?? zeros(),
    ),
    BLANK,
    fixed({ cells: [{ v: C.fallbackByProvider, s: 'labelBold' }] }),
    ...byProvider('providerFallback', ['fallback'], (name) => fallbackOf.get(name) ?? zeros()),
    BLANK,
    fixed({ cells: [{ v: C.byFiscalYear, s: 'labelBold' }] }),
    ...fiscalYearLines(sh),
  ];
}

function fiscalYearLines({ p, pr, cols }: Sheet): Line[] {
  const { L } = p;
  // biome-ignore-start lint/style/noNonNullAssertion: the horizon has at least one quarter (horizonQuarters ≥ 1)
  const first = cols[0]!;
  const last = cols.at(-1)!;
  // biome-ignore-end lint/style/noNonNullAssertion: the horizon has at least one quarter (horizonQuarters ≥ 1)
  const fyCol = col(CALC_COL.key);
  return p.fiscalYears.map(({ fy, quarters }) =>
    keyed(`fy:${fy}`, (ref) => ({
      cells: lead(
        quarters < 4
          ? `${L.text.fiscalYear(fy)} (${L.common.partialYear(quarters)})`
          : L.text.fiscalYear(fy),
        L.text.fiscalYear(fy),
        null,
        null,
        p.currency,
        {
          f: sumWhere(
            `$${first}$${ref('fiscalYear')}:$${last}$${ref('fiscalYear')}`,
            `$${fyCol}${ref(`fy:${fy}`)}`,
            `$${first}$${ref('total')}:$${last}$${ref('total')}`,
          ),
          // biome-ignore lint/style/noNonNullAssertion: byFiscalYear has every fiscal year of the horizon, as p.fiscalYears
          r: n(pr.byFiscalYear.get(fy)!),
          s: 'calc.money',
        },
      ),
    })),
  );
}

function indexLines(sh: Sheet): Line[] {
  const { p, sn, pr } = sh;
  const C = p.L.calc;
  return [
    fixed(section(C.index, sh.width)),
    ...CATEGORIES.map((c) =>
      seriesLine(
        sh,
        `index:${c}`,
        () => lead(p.L.category[c], null, c, null, C.unitIndex, null),
        (ref) => {
          const t = ref('t');
          return (x) =>
            `IF(${x}$${t}<${sn.delay},1+${sn.premium},(1-${sn.decline[c]})^MAX(0,${x}$${t}-${sn.delay}))`;
        },
        () => pr.index[c],
        'calc.index',
      ),
    ),
  ];
}

/**
 * The rupture windows: one row per window row of Inputs (the shortfall it imposes in this
 * scenario, quarter by quarter), then one row per primary provider (its availability cap).
 */
function windowLines(sh: Sheet): Line[] {
  const { p, s } = sh;
  const C = p.L.calc;
  const H = p.horizon;
  const { sn } = sh;
  const inputs = onSheet(p.sheets.inputs, '');
  const inWin = (ref: Ref, c: number, k: number) =>
    `${inputs}$${col(c)}$${ref.on('inputs', `window:${k}`)}`;
  const shortfalls = Array.from({ length: p.windowRows }, (_, k) => {
    const w = p.windows[k];
    return Array.from({ length: H }, (_, t) =>
      w && w.scenario === s && t >= w.fromIndex && t <= w.toIndex
        ? ONE.minus(w.availability)
        : ZERO,
    );
  });
  const windows = shortfalls.map((series, k) =>
    seriesLine(
      sh,
      `window:${k}`,
      (ref) => [
        { v: C.window(k + 1, ref.on('inputs', `window:${k}`)), s: 'labelIndent' },
        null,
        null,
        {
          f: `IF(ISBLANK(${inWin(ref, 2, k)}),"",${inWin(ref, 2, k)})`,
          r: p.windows[k]?.provider ?? '',
          s: 'link.text',
        },
        { v: C.unitShare, s: 'note' },
        null,
        null,
      ],
      (ref) => {
        const head = `IF(AND(${inWin(ref, 1, k)}=${sn.id},${inWin(ref, 6, k)}<=`;
        const mid = `$${ref('t')},${inWin(ref, 7, k)}>=`;
        const tail = `$${ref('t')}),1-${inWin(ref, 5, k)},0)`;
        return (x) => head + x + mid + x + tail;
      },
      () => series,
      'calc.pct',
    ),
  );
  const prov = col(CALC_COL.provider);
  const caps = p.capped.map((name) => {
    const matches = (k: number) => p.windows[k]?.provider.toLowerCase() === name.toLowerCase();
    const kept = () =>
      Array.from({ length: H }, (_, t) => {
        let lost = ZERO;
        for (let k = 0; k < p.windowRows; k++)
          // biome-ignore lint/style/noNonNullAssertion: k < p.windowRows and t < H, the sizes of shortfalls
          if (matches(k)) lost = Decimal.max(lost, shortfalls[k]![t]!);
        return ONE.minus(lost);
      });
    return seriesLine(
      sh,
      `cap:${name}`,
      () => lead(name, null, null, name, C.unitShare, null),
      (ref) => {
        const term = (k: number) => [
          `,IF(${inWin(ref, 2, k)}=$${prov}${ref(`cap:${name}`)},`,
          `$${ref(`window:${k}`)},0)`,
        ];
        const terms = shortfalls.map((_, k) => term(k));
        return (x) => `1-MAX(0${terms.map(([a, b]) => a + x + b).join('')})`;
      },
      kept,
      'calc.pct',
    );
  });
  return [
    fixed(section(C.windows, sh.width)),
    ...windows,
    fixed({ cells: [{ v: C.capByProvider, s: 'labelBold' }] }),
    ...caps,
  ];
}

/**
 * A per-workload block: for workload i, the row's formula as a function of its timeline
 * column (built once per row), and the engine's values.
 */
interface Block {
  readonly key: 'quantity' | 'served' | 'primary' | 'fallback' | 'cost';
  readonly title: string;
  readonly style: 'calc.qty' | 'calc.pct' | 'calc.money';
  readonly unit: (w: WorkloadSeries) => string;
  readonly provider: (w: WorkloadSeries) => string;
  readonly total: ((w: WorkloadSeries) => Decimal) | null;
  readonly formula: (ref: Ref, w: WorkloadSeries, i: number) => (x: string) => string;
  readonly values: (w: WorkloadSeries) => readonly Decimal[];
}

function blocks({ p, sn }: Sheet): Block[] {
  const C = p.L.calc;
  const cur = p.currency;
  const inputs = onSheet(p.sheets.inputs, '');
  const prices = onSheet(p.sheets.prices, '');
  const unitPrice = col(PRICE_COL.unitPrice);
  const primaryOf = (w: WorkloadSeries) => w.workload.primary.provider;
  const priceOf = (ref: Ref, point: PricePoint) =>
    `${prices}$${unitPrice}$${ref.on('prices', `price:${p.priceIndex(point)}`)}`;
  return [
    {
      key: 'quantity',
      title: C.quantity,
      style: 'calc.qty',
      unit: (w) => w.workload.unit,
      provider: primaryOf,
      total: null,
      formula: (ref, _w, i) => {
        const at = (c: number) => `${inputs}$${col(c)}$${ref.on('inputs', `workload:${i}`)}`;
        const head = `${at(INPUT_WORKLOAD_COL.base)}*(1+${at(INPUT_WORKLOAD_COL.growth)})^`;
        const tail = `$${ref('t')}*(1-${at(INPUT_WORKLOAD_COL.efficiency)})`;
        return (x) => head + x + tail;
      },
      values: (w) => w.quantity,
    },
    {
      key: 'served',
      title: C.served,
      style: 'calc.pct',
      unit: () => C.unitShare,
      provider: primaryOf,
      total: null,
      formula: (ref, w) => {
        const t = `$${ref('t')}<${sn.delay},${sn.availability},1),`;
        const cap = `$${ref(`cap:${primaryOf(w)}`)}`;
        return (x) => `MIN(IF(${x}${t}${x}${cap})`;
      },
      values: (w) => w.served,
    },
    {
      key: 'primary',
      title: C.primary(cur),
      style: 'calc.money',
      unit: () => cur,
      provider: primaryOf,
      total: (w) => sum(w.primary),
      formula: (ref, w, i) => {
        const wl = w.workload;
        const q = `${ref(`quantity:${i}`)}*`;
        const sv = `${ref(`served:${i}`)}*${priceOf(ref, wl.primary)}*`;
        const index = `$${ref(`index:${wl.category}`)}*`;
        const flag = `$${ref('flag')}`;
        return (x) => x + q + x + sv + x + index + x + flag;
      },
      values: (w) => w.primary,
    },
    {
      key: 'fallback',
      title: C.fallback(cur),
      style: 'calc.money',
      unit: () => cur,
      provider: (w) => (w.workload.fallback ?? w.workload.primary).provider,
      total: (w) => sum(w.fallback),
      formula: (ref, w, i) => {
        const wl = w.workload;
        const q = `${ref(`quantity:${i}`)}*(1-`;
        const sv = `${ref(`served:${i}`)})*${priceOf(ref, wl.fallback ?? wl.primary)}*(1+${sn.fallbackPremium})*`;
        const index = `$${ref(`index:${wl.category}`)}*`;
        const flag = `$${ref('flag')}`;
        return (x) => x + q + x + sv + x + index + x + flag;
      },
      values: (w) => w.fallback,
    },
    {
      key: 'cost',
      title: C.cost(cur),
      style: 'calc.money',
      unit: () => cur,
      provider: primaryOf,
      total: (w) => w.total,
      formula: (ref, _w, i) => {
        const a = `${ref(`primary:${i}`)}+`;
        const b = `${ref(`fallback:${i}`)}`;
        return (x) => x + a + x + b;
      },
      values: (w) => w.cost,
    },
  ];
}

function blockLines(sh: Sheet, b: Block): Line[] {
  return [
    BLANK,
    fixed(section(b.title, sh.width)),
    // The projection has the model's workloads, in order: i is the workload's row key.
    ...sh.pr.workloads.map((w, i) =>
      seriesLine(
        sh,
        `${b.key}:${i}`,
        (ref) =>
          lead(
            w.workload.name,
            w.workload.id,
            w.workload.category,
            b.provider(w),
            b.unit(w),
            b.total ? sumRow(sh, ref(`${b.key}:${i}`), b.total(w)) : null,
          ),
        (ref) => b.formula(ref, w, i),
        () => b.values(w),
        b.style,
      ),
    ),
  ];
}

/**
 * One calculation sheet's rows, the same keys for every scenario: the timeline
 * (`quarter` … `t`), `flag`, `total`, `category:<c>`, `provider:<name>`,
 * `providerFallback:<name>`, `fy:<fy>`, `index:<c>`, `window:<k>`, `cap:<name>`, and per
 * workload i `quantity:<i>`, `served:<i>`, `primary:<i>`, `fallback:<i>`, `cost:<i>`.
 */
export function calcLines(p: Facts, s: number): Line[] {
  const H = p.horizon;
  // biome-ignore-start lint/style/noNonNullAssertion: s is a scenario index: projections and names.scenarios have one entry per scenario
  const pr = p.f.projections[s]!;
  const sn = p.names.scenarios[s]!;
  // biome-ignore-end lint/style/noNonNullAssertion: s is a scenario index: projections and names.scenarios have one entry per scenario
  const C = p.L.calc;
  const cols = Array.from({ length: H }, (_, t) => col(tcol(t)));
  const sh: Sheet = {
    p,
    s,
    pr,
    sn,
    cols,
    across: H > 1 ? { shared: [tcol(0), tcol(H - 1)] as const } : {},
    width: tcol(H - 1),
  };
  return [
    fixed(titleRow(C.title(pr.scenario.name))),
    fixed({ cells: [{ v: C.note(p.currency, pr.scenario.id), s: 'note' }] }),
    BLANK,
    ...timelineLines(p),
    seriesLine(
      sh,
      'flag',
      () => lead(p.L.common.flag, null, null, null, '', null, 'labelBold'),
      (ref) => (x) => `IF(${x}$${ref('t')}<${p.names.horizon},1,0)`,
      () => cols.map(() => ONE),
      'calc.int',
    ),
    BLANK,
    ...totalLines(sh),
    BLANK,
    ...indexLines(sh),
    BLANK,
    ...windowLines(sh),
    ...blocks(sh).flatMap((b) => blockLines(sh, b)),
  ];
}

/**
 * One calculation sheet per scenario: the shared timeline, totals by category, provider and
 * fiscal year, the price index by category, then per workload the quantity, the served
 * share, the primary and fallback costs and the cost — every cell a live formula of Inputs
 * and Prices, one formula per row, with the engine's number as its cached result.
 */
export function calcSheet({ p }: Context, s: number): SheetLayout {
  const ref = p.ref('calc');
  const H = p.horizon;
  return {
    // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
    name: p.sheets.calc[s]!,
    columns: [50, 16, 14, 14, 12, 18, 2, ...Array.from({ length: H }, () => 17)],
    freeze: { rows: ref('flag'), cols: CALC_COL.t0 - 1 },
    rows: () => build(calcLines(p, s), ref),
    printTitleRows: `${ref('quarter')}:${ref('flag')}`,
    tabColor: 'FF7F7F7F',
  };
}
