import { CATEGORIES } from '../../models/fields.ts';
import { Decimal, ONE, sum, ZERO } from '../../models/money.ts';
import { type Cell, col, onSheet, type Row, type SheetLayout } from '../layout.ts';
import { CALC_COL, type Plan, tcol } from '../plan.ts';
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

/** The shared timeline rows (quarter, fiscal quarter, fiscal year, t, in-horizon flag). */
export function* timelineRows(p: Plan): Iterable<Row> {
  const { model } = p.f;
  const g = p.calc;
  const H = p.horizon;
  const lead = (label: string): (Cell | null)[] => [
    { v: label, s: 'labelBold' },
    null,
    null,
    null,
    null,
    null,
    null,
  ];
  const L = p.L.common;
  const T = p.L.text;
  yield {
    at: g.quarter,
    cells: [
      ...lead(L.quarter),
      ...model.quarters.map((q): Cell => ({ v: T.quarter(q), s: 'timeline' })),
    ],
  };
  yield {
    at: g.fiscalQuarter,
    cells: [
      ...lead(L.fiscalQuarter),
      ...model.fiscalQuarters.map((q): Cell => ({ v: T.fiscalQuarter(q), s: 'timeline' })),
    ],
  };
  yield {
    at: g.fiscalYear,
    cells: [
      ...lead(L.fiscalYear),
      // Compared by the fiscal-year SUMIFs with the key column of each year's row, written
      // the same way (T.fiscalYear) on both sides.
      ...model.fiscalQuarters.map(
        (q): Cell => ({ v: T.fiscalYear(q.slice(0, q.indexOf('-'))), s: 'timeline' }),
      ),
    ],
  };
  yield {
    at: g.t,
    ...(H > 2 ? { shared: [tcol(1), tcol(H - 1)] as const } : {}),
    cells: [
      ...lead(L.t),
      ...Array.from(
        { length: H },
        (_, t): Cell =>
          t === 0
            ? { v: 0, s: 'val.int' }
            : { f: `${col(tcol(t - 1))}${g.t}+1`, r: t, s: 'calc.int' },
      ),
    ],
  };
}

/**
 * One calculation sheet per scenario: the shared timeline, totals by category, provider and
 * fiscal year, the price index by category, then per workload the quantity, the served
 * share, the primary and fallback costs and the cost — every cell a live formula of Inputs
 * and Prices, one formula per row, with the engine's number as its cached result.
 */
export function calcSheet({ p }: Context, s: number): SheetLayout {
  const { f, L, calc: g, inputs: gi, names } = p;
  const { model } = f;
  const pr = f.projections[s]!;
  const sn = names.scenarios[s]!;
  const H = p.horizon;
  const C = L.calc;
  const cur = p.currency;
  const cols = Array.from({ length: H }, (_, t) => col(tcol(t)));
  const first = cols[0]!;
  const lastCol = cols[H - 1]!;
  /** Rows whose timeline holds one formula copied across. */
  const across = H > 1 ? { shared: [tcol(0), tcol(H - 1)] as const } : {};
  const N = model.workloads.length;
  const sumRow = (
    r: number,
    cached: Decimal,
    style: 'tot.money' | 'calc.money' = 'calc.money',
  ): Cell => ({
    f: `SUM(${first}${r}:${lastCol}${r})`,
    r: n(cached),
    s: style,
  });
  const lead = (
    label: string,
    key: string | null,
    category: string | null,
    provider: string | null,
    unit: string,
    total: Cell | null,
    style: 'label' | 'labelIndent' | 'labelBold' = 'labelIndent',
  ): (Cell | null)[] => [
    { v: label, s: style },
    key === null ? null : { v: key, s: 'label' },
    category === null ? null : { v: category, s: 'label' },
    provider === null ? null : { v: provider, s: 'label' },
    { v: unit, s: 'note' },
    total,
    null,
  ];
  const zeros = () => Array.from({ length: H }, () => ZERO);

  const fallbackOf = new Map(p.providers.map((x) => [x.name, zeros()]));
  for (const w of pr.workloads) {
    const series = fallbackOf.get((w.workload.fallback ?? w.workload.primary).provider)!;
    w.fallback.forEach((v, t) => {
      series[t] = series[t]!.plus(v);
    });
  }
  const qRange = (c: number, block: number) => `$${col(c)}$${block}:$${col(c)}$${block + N - 1}`;
  const tRange = (block: number, t: number) => `${cols[t]}$${block}:${cols[t]}$${block + N - 1}`;

  function* rows(): Iterable<Row> {
    yield titleRow(C.title(pr.scenario.name));
    yield { cells: [{ v: C.note(cur, pr.scenario.id), s: 'note' }] };
    yield { cells: [] };
    yield* timelineRows(p);
    yield {
      at: g.flag,
      ...across,
      cells: [
        ...lead(L.common.flag, null, null, null, '', null, 'labelBold'),
        ...cols.map(
          (c): Cell => ({ f: `IF(${c}$${g.t}<${names.horizon},1,0)`, r: 1, s: 'calc.int' }),
        ),
      ],
    };
    yield { cells: [] };
    const width = tcol(H - 1);
    yield section(C.totals(cur), width);
    yield {
      at: g.total,
      ...across,
      cells: [
        ...lead(
          C.totalCost,
          null,
          null,
          null,
          cur,
          sumRow(g.total, pr.total, 'tot.money'),
          'labelBold',
        ),
        ...cols.map(
          (c, t): Cell => ({
            f: `SUM(${c}${g.cost}:${c}${g.cost + N - 1})`,
            r: n(pr.byQuarter[t]!),
            s: 'tot.money',
          }),
        ),
      ],
    };
    yield { cells: [] };
    yield { cells: [{ v: C.byCategory, s: 'labelBold' }] };
    for (const c of CATEGORIES) {
      const r = g.category[c];
      const series = pr.byCategory.get(c)!;
      yield {
        at: r,
        ...across,
        cells: [
          ...lead(L.category[c], null, c, null, cur, sumRow(r, sum(series))),
          ...cols.map(
            (_, t): Cell => ({
              f: sumWhere(
                qRange(CALC_COL.category, g.cost),
                `$${col(CALC_COL.category)}${r}`,
                tRange(g.cost, t),
              ),
              r: n(series[t]!),
              s: 'calc.money',
            }),
          ),
        ],
      };
    }
    yield { cells: [] };
    yield { cells: [{ v: C.byProvider, s: 'labelBold' }] };
    const prov = col(CALC_COL.provider);
    for (const x of p.providers) {
      const r = g.provider.get(x.name)!;
      const series = pr.byProvider.get(x.name) ?? zeros();
      yield {
        at: r,
        ...across,
        cells: [
          ...lead(x.name, null, null, x.name, cur, sumRow(r, sum(series))),
          ...cols.map(
            (_, t): Cell => ({
              f: `${sumWhere(qRange(CALC_COL.provider, g.primary), `$${prov}${r}`, tRange(g.primary, t))}+${sumWhere(qRange(CALC_COL.provider, g.fallback), `$${prov}${r}`, tRange(g.fallback, t))}`,
              r: n(series[t]!),
              s: 'calc.money',
            }),
          ),
        ],
      };
    }
    yield { cells: [] };
    yield { cells: [{ v: C.fallbackByProvider, s: 'labelBold' }] };
    for (const x of p.providers) {
      const r = g.providerFallback.get(x.name)!;
      const series = fallbackOf.get(x.name)!;
      yield {
        at: r,
        ...across,
        cells: [
          ...lead(x.name, null, null, x.name, cur, sumRow(r, sum(series))),
          ...cols.map(
            (_, t): Cell => ({
              f: sumWhere(
                qRange(CALC_COL.provider, g.fallback),
                `$${prov}${r}`,
                tRange(g.fallback, t),
              ),
              r: n(series[t]!),
              s: 'calc.money',
            }),
          ),
        ],
      };
    }
    yield { cells: [] };
    yield { cells: [{ v: C.byFiscalYear, s: 'labelBold' }] };
    const fyCol = col(CALC_COL.key);
    for (const { fy, quarters } of p.fiscalYears) {
      const r = g.fiscalYears.get(fy)!;
      yield {
        at: r,
        cells: lead(
          quarters < 4
            ? `${L.text.fiscalYear(fy)} (${L.common.partialYear(quarters)})`
            : L.text.fiscalYear(fy),
          L.text.fiscalYear(fy),
          null,
          null,
          cur,
          {
            f: sumWhere(
              `$${first}$${g.fiscalYear}:$${lastCol}$${g.fiscalYear}`,
              `$${fyCol}${r}`,
              `$${first}$${g.total}:$${lastCol}$${g.total}`,
            ),
            r: n(pr.byFiscalYear.get(fy)!),
            s: 'calc.money',
          },
        ),
      };
    }
    yield { cells: [] };
    yield section(C.index, width);
    for (const c of CATEGORIES) {
      const series = pr.index[c];
      yield {
        at: g.index[c],
        ...across,
        cells: [
          ...lead(L.category[c], null, c, null, C.unitIndex, null),
          ...cols.map(
            (x, t): Cell => ({
              f: `IF(${x}$${g.t}<${sn.delay},1+${sn.premium},(1-${sn.decline[c]})^MAX(0,${x}$${g.t}-${sn.delay}))`,
              r: n(series[t]!),
              s: 'calc.index',
            }),
          ),
        ],
      };
    }

    yield { cells: [] };
    yield section(C.windows, width);
    const inputsSheet = onSheet(p.sheets.inputs, '');
    const winRows = gi.windowLast - gi.windowFirst + 1;
    const inWin = (c: number, k: number) => `${inputsSheet}$${col(c)}$${gi.windowFirst + k}`;
    const shortfall = (k: number): Decimal[] => {
      const w = p.windows[k];
      return Array.from({ length: H }, (_, t) =>
        w && w.scenario === s && t >= w.fromIndex && t <= w.toIndex
          ? ONE.minus(w.availability)
          : ZERO,
      );
    };
    const shortfalls = Array.from({ length: winRows }, (_, k) => shortfall(k));
    for (let k = 0; k < winRows; k++) {
      const head = `IF(AND(${inWin(1, k)}=${sn.id},${inWin(6, k)}<=`;
      const mid = `$${g.t},${inWin(7, k)}>=`;
      const tail = `$${g.t}),1-${inWin(5, k)},0)`;
      const w = p.windows[k];
      yield {
        at: g.windows + k,
        ...across,
        cells: [
          { v: C.window(k + 1, gi.windowFirst + k), s: 'labelIndent' },
          null,
          null,
          {
            f: `IF(ISBLANK(${inWin(2, k)}),"",${inWin(2, k)})`,
            r: w?.provider ?? '',
            s: 'link.text',
          },
          { v: C.unitShare, s: 'note' },
          null,
          null,
          ...cols.map(
            (c, t): Cell => ({
              f: head + c + mid + c + tail,
              r: n(shortfalls[k]![t]!),
              s: 'calc.pct',
            }),
          ),
        ],
      };
    }
    yield { cells: [{ v: C.capByProvider, s: 'labelBold' }] };
    for (const [name, r] of g.cap) {
      const terms = (c: string) =>
        Array.from(
          { length: winRows },
          (_, k) => `,IF(${inWin(2, k)}=$${prov}${r},${c}$${g.windows + k},0)`,
        ).join('');
      const matches = (k: number) => p.windows[k]?.provider.toLowerCase() === name.toLowerCase();
      yield {
        at: r,
        ...across,
        cells: [
          ...lead(name, null, null, name, C.unitShare, null),
          ...cols.map((c, t): Cell => {
            let lost = ZERO;
            for (let k = 0; k < winRows; k++)
              if (matches(k)) lost = Decimal.max(lost, shortfalls[k]![t]!);
            return {
              f: `1-MAX(0${terms(c)})`,
              r: n(ONE.minus(lost)),
              s: 'calc.pct',
            };
          }),
        ],
      };
    }

    /**
     * A per-workload block. `row` gives, for workload i on row r, the row's formula as a
     * function of its timeline column (built once per row), and the engine's values.
     */
    type Block = {
      readonly title: string;
      readonly at: number;
      readonly style: 'calc.qty' | 'calc.pct' | 'calc.money';
      readonly unit: (i: number) => string;
      readonly provider: (i: number) => string;
      readonly total: ((i: number) => Decimal) | null;
      readonly row: (
        i: number,
        r: number,
      ) => { formula: (c: string) => string; values: readonly Decimal[] };
    };
    const pricesSheet = onSheet(p.sheets.prices, '');
    const unitPrice = col(PRICE_COL.unitPrice);
    const primaryOf = (i: number) => model.workloads[i]!.primary.provider;
    const blocks: Block[] = [
      {
        title: C.quantity,
        at: g.quantity,
        style: 'calc.qty',
        unit: (i) => model.workloads[i]!.unit,
        provider: primaryOf,
        total: null,
        row: (i) => {
          const r = gi.workloadFirst + i;
          const ref = (c: number) => `${inputsSheet}$${col(c)}$${r}`;
          const head = `${ref(INPUT_WORKLOAD_COL.base)}*(1+${ref(INPUT_WORKLOAD_COL.growth)})^`;
          const tail = `$${g.t}*(1-${ref(INPUT_WORKLOAD_COL.efficiency)})`;
          return { formula: (c) => head + c + tail, values: pr.workloads[i]!.quantity };
        },
      },
      {
        title: C.served,
        at: g.served,
        style: 'calc.pct',
        unit: () => C.unitShare,
        provider: primaryOf,
        total: null,
        row: (i) => {
          const t = `$${g.t}<${sn.delay},${sn.availability},1),`;
          const cap = `$${g.cap.get(primaryOf(i))!}`;
          return {
            formula: (c) => `MIN(IF(${c}${t}${c}${cap})`,
            values: pr.workloads[i]!.served,
          };
        },
      },
      {
        title: C.primary(cur),
        at: g.primary,
        style: 'calc.money',
        unit: () => cur,
        provider: primaryOf,
        total: (i) => sum(pr.workloads[i]!.primary),
        row: (i) => {
          const wl = model.workloads[i]!;
          const q = `${g.quantity + i}*`;
          const sv = `${g.served + i}*${pricesSheet}$${unitPrice}$${p.priceRow(wl.primary)}*`;
          const tail = `$${g.index[wl.category]}*`;
          const flag = `$${g.flag}`;
          return {
            formula: (c) => c + q + c + sv + c + tail + c + flag,
            values: pr.workloads[i]!.primary,
          };
        },
      },
      {
        title: C.fallback(cur),
        at: g.fallback,
        style: 'calc.money',
        unit: () => cur,
        provider: (i) => (model.workloads[i]!.fallback ?? model.workloads[i]!.primary).provider,
        total: (i) => sum(pr.workloads[i]!.fallback),
        row: (i) => {
          const wl = model.workloads[i]!;
          const q = `${g.quantity + i}*(1-`;
          const sv = `${g.served + i})*${pricesSheet}$${unitPrice}$${p.priceRow(wl.fallback ?? wl.primary)}*(1+${sn.fallbackPremium})*`;
          const tail = `$${g.index[wl.category]}*`;
          const flag = `$${g.flag}`;
          return {
            formula: (c) => c + q + c + sv + c + tail + c + flag,
            values: pr.workloads[i]!.fallback,
          };
        },
      },
      {
        title: C.cost(cur),
        at: g.cost,
        style: 'calc.money',
        unit: () => cur,
        provider: primaryOf,
        total: (i) => pr.workloads[i]!.total,
        row: (i) => {
          const a = `${g.primary + i}+`;
          const b = `${g.fallback + i}`;
          return { formula: (c) => c + a + c + b, values: pr.workloads[i]!.cost };
        },
      },
    ];
    for (const b of blocks) {
      yield { cells: [] };
      yield section(b.title, width);
      for (let i = 0; i < N; i++) {
        const wl = model.workloads[i]!;
        const r = b.at + i;
        const cells = lead(
          wl.name,
          wl.id,
          wl.category,
          b.provider(i),
          b.unit(i),
          b.total ? sumRow(r, b.total(i)) : null,
        );
        const { formula, values } = b.row(i, r);
        for (let t = 0; t < H; t++)
          cells.push({ f: formula(cols[t]!), r: n(values[t]!), s: b.style });
        yield { at: r, ...across, cells };
      }
    }
  }

  return {
    name: p.sheets.calc[s]!,
    columns: [50, 16, 14, 14, 12, 18, 2, ...cols.map(() => 17)],
    freeze: { rows: g.flag, cols: CALC_COL.t0 - 1 },
    rows,
    printTitleRows: `${g.quarter}:${g.flag}`,
    tabColor: 'FF7F7F7F',
  };
}
