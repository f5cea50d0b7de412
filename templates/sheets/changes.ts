// The Changes sheet: the bridge from an earlier forecast's totals to this one's (models/variance.ts),
// present only when the workbook is rendered with a variance. The earlier forecast's inputs are
// not in the workbook, so the bridge's amounts are values; what this workbook does hold — the
// new totals, prices and rates — is linked, and the sums, the check and the chart's columns are
// live formulas.
import type { ModelWorkload, PricePoint } from '../../models/model.ts';
import { Decimal } from '../../models/money.ts';
import {
  type BridgePrice,
  EFFECTS,
  type ScenarioBridge,
  type Variance,
  type WorkloadBridge,
} from '../../models/variance.ts';
import { CALC_COL, type Laid } from '../facts.ts';
import { type Cell, col, onSheet, type Row, type SheetLayout } from '../layout.ts';
import type { ChartSpec } from '../package.ts';
import {
  BLANK,
  build,
  fixed,
  keyed,
  type Line,
  padded,
  type Ref,
  resolver,
  rowNumbers,
} from '../rows.ts';
import { type Context, header, section, titleRow } from './common.ts';
import { baseName, PRICE_COL } from './prices.ts';

/** Workloads listed per scenario among the largest movers. */
export const TOP_MOVERS = 10;
/** Rows of a scenario's bridge block: tall enough for its chart, beside the table. */
const BLOCK_ROWS = 22;
/** Bridge columns: label, amount, running total, then the chart's base, up, down, total. */
const B = { label: 1, amount: 2, running: 3, base: 4, up: 5, down: 6, total: 7 } as const;
const COLUMNS = [44, 15, 15, 22, 15, 15, 15, 15, 15, 15, 15, 26, 26, 15, 15, 15, 15];
/** Where the chart stands: columns I to O (0-based corners). */
const CHART_COLS = { from: 8, to: 15 } as const;
const TABLE_WIDTH = 13;
/** Colours of the waterfall: totals, increases (red: a cost increase), decreases. */
const WATERFALL = { total: '1F4E79', up: 'C00000', down: '7F7F7F' } as const;

const num = (d: string | Decimal): number => new Decimal(d).toNumber();
const cell = (v: string | number, s: Cell['s'] = 'label'): Cell => ({ v, s });
const B_COL = (c: number, r: number) => `${col(c)}${r}`;

/** A paragraph across the table, wrapped, as tall as its text. */
const paragraph = (text: string): Row => ({
  cells: [{ v: text, s: 'paragraph' }],
  height: 14 * Math.max(1, Math.ceil(text.length / 150)) + 4,
});

/** The movers of a scenario: workloads whose total changed (or came or went), largest first. */
export function movers(s: ScenarioBridge, top = TOP_MOVERS): WorkloadBridge[] {
  return s.workloads
    .filter((w) => !new Decimal(w.exact.change).isZero() || w.status !== 'continuing')
    .map((w, i) => ({ w, i, size: new Decimal(w.exact.change).abs() }))
    .sort((a, b) => b.size.cmp(a.size) || a.i - b.i)
    .slice(0, top)
    .map((x) => x.w);
}

/** Where the scenario's total lives on this workbook: its Calc sheet's total cell. */
function calcTotal(p: Laid, ref: Ref, scenarioId: string): string | null {
  const k = p.f.scenarios.findIndex((s) => s.id === scenarioId);
  const sheet = p.sheets.calc[k];
  return sheet === undefined
    ? null
    : onSheet(sheet, `$${col(CALC_COL.total)}$${ref.on('calc', 'total')}`);
}

/** The running total after each effect, in `EFFECTS` order, from the earlier total. */
function runningTotals(t: ScenarioBridge['total']): Decimal[] {
  const out: Decimal[] = [];
  let acc = new Decimal(t.old);
  for (const e of EFFECTS) {
    acc = acc.plus(t.effects[e]);
    out.push(acc);
  }
  return out;
}

/** Scenario i's bridge: earlier total, each effect, new total, the check and the change. */
function bridgeLines(p: Laid, s: ScenarioBridge, i: number): Line[] {
  const C = p.L.changes;
  const t = s.total;
  const name = p.L.text.scenarioName(s.id, s.name);
  // Cached results, worked out in decimals: the running total after each step.
  const running = runningTotals(t);
  const effectLine = (e: (typeof EFFECTS)[number], k: number) =>
    keyed(`effect:${i}:${e}`, (ref): Row => {
      const r = ref(`effect:${i}:${e}`);
      const amount = B_COL(B.amount, r);
      const before = B_COL(B.running, r - 1);
      const after = B_COL(B.running, r);
      const prev = k === 0 ? new Decimal(t.old) : (running[k - 1] ?? new Decimal(0));
      const now = running[k] ?? new Decimal(0);
      const d = new Decimal(t.effects[e]);
      return {
        cells: [
          cell(C.effect[e], 'labelIndent'),
          cell(num(d), 'val.delta'),
          { f: `${before}+${amount}`, r: num(now), s: 'calc.money' },
          { f: `MIN(${before},${after})`, r: num(Decimal.min(prev, now)), s: 'calc.money' },
          { f: `MAX(${amount},0)`, r: num(Decimal.max(d, 0)), s: 'calc.money' },
          { f: `MAX(-${amount},0)`, r: num(Decimal.max(d.neg(), 0)), s: 'calc.money' },
          cell(0, 'calc.money'),
        ],
      };
    });
  const lines: Line[] = [
    fixed(section(C.bridge(name, p.currency), 7), `block:${i}`),
    fixed(
      header([C.step, C.amount, C.running, C.base, C.increase, C.decrease, C.totalBar], 1, {
        widths: COLUMNS,
        numericFrom: 1,
      }),
    ),
    keyed(`old:${i}`, (ref): Row => {
      const r = ref(`old:${i}`);
      return {
        cells: [
          cell(C.oldTotal(p.L.text.scenarioName(s.id, s.oldName)), 'labelBold'),
          cell(num(t.old), 'val.money'),
          { f: B_COL(B.amount, r), r: num(t.old), s: 'calc.money' },
          cell(0, 'calc.money'),
          cell(0, 'calc.money'),
          cell(0, 'calc.money'),
          { f: B_COL(B.amount, r), r: num(t.old), s: 'calc.money' },
        ],
      };
    }),
    ...EFFECTS.map(effectLine),
    keyed(`new:${i}`, (ref): Row => {
      const r = ref(`new:${i}`);
      const total = calcTotal(p, ref, s.id);
      return {
        cells: [
          cell(C.newTotal, 'labelBold'),
          total === null
            ? cell(num(t.new), 'tot.money')
            : { f: `ROUND(${total},2)`, r: num(t.new), s: 'link.money' },
          { f: B_COL(B.amount, r), r: num(t.new), s: 'calc.money' },
          cell(0, 'calc.money'),
          cell(0, 'calc.money'),
          cell(0, 'calc.money'),
          { f: B_COL(B.amount, r), r: num(t.new), s: 'calc.money' },
        ],
      };
    }),
    keyed(`check:${i}`, (ref): Row => {
      const old = B_COL(B.amount, ref(`old:${i}`));
      const first = B_COL(B.amount, ref(`effect:${i}:${EFFECTS[0]}`));
      const last = B_COL(B.amount, ref(`effect:${i}:${EFFECTS[EFFECTS.length - 1]}`));
      const next = B_COL(B.amount, ref(`new:${i}`));
      return {
        cells: [
          cell(C.check, 'labelIndent'),
          { f: `ROUND(${old}+SUM(${first}:${last})-${next},2)`, r: 0, s: 'calc.money' },
          cell(C.checkNote, 'note'),
        ],
      };
    }),
    keyed(`change:${i}`, (ref): Row => {
      const old = B_COL(B.amount, ref(`old:${i}`));
      const next = B_COL(B.amount, ref(`new:${i}`));
      const oldD = new Decimal(t.old);
      return {
        cells: [
          cell(C.change, 'labelBold'),
          { f: `${next}-${old}`, r: num(t.change), s: 'calc.delta' },
          oldD.isZero()
            ? { f: `IF(${old}=0,"",${next}/${old}-1)`, r: '', s: 'calc.pct' }
            : {
                f: `IF(${old}=0,"",${next}/${old}-1)`,
                r: num(new Decimal(t.change).div(oldD)),
                s: 'calc.pct',
              },
        ],
      };
    }),
  ];
  return padded(lines, BLOCK_ROWS);
}

/**
 * Where a waterfall's value axis starts: below its lowest level (the earlier total, each
 * running total, the new total) by half the levels' span, rounded down to the span's order of
 * magnitude — so steps of 50 000 on totals of 1.5 million are seen, not drawn as slivers on
 * bars from 0. Undefined (the axis from 0, or below it) when nothing moves or that start
 * would be at or below 0.
 * @example axisStart(['1400', '1600', '1800']) //=> "1200" (span 400, 1 400 − 200, by 100)
 */
export function axisStart(levels: readonly string[]): string | undefined {
  const d = levels.map((l) => new Decimal(l));
  const low = Decimal.min(...d);
  const span = Decimal.max(...d).minus(low);
  if (span.isZero()) return undefined;
  const target = low.minus(span.div(2));
  if (target.lte(0)) return undefined;
  const step = new Decimal(10).pow(span.log(10).floor());
  const start = target.div(step).floor().times(step);
  return start.gt(0) ? start.toFixed() : undefined;
}

/** Scenario i's waterfall: a stacked column chart on an unpainted base. */
function waterfall(p: Laid, ref: Ref, s: ScenarioBridge, i: number): ChartSpec {
  const C = p.L.changes;
  const sheet = p.sheets.changes;
  const top = ref(`block:${i}`);
  const r0 = ref(`old:${i}`);
  const r1 = ref(`new:${i}`);
  const column = (c: number) => onSheet(sheet, `$${col(c)}$${r0}:$${col(c)}$${r1}`);
  // The levels the bars reach: the earlier total, the running total after each step, the new.
  const start = axisStart([
    s.total.old,
    ...runningTotals(s.total).map((d) => d.toFixed()),
    s.total.new,
  ]);
  return {
    sheet,
    kind: 'stacked',
    title: C.chart(p.L.text.scenarioName(s.id, s.name)),
    anchor: {
      from: { col: CHART_COLS.from, row: top - 1 },
      to: { col: CHART_COLS.to, row: top - 1 + BLOCK_ROWS - 1 },
    },
    categories: column(B.label),
    series: [
      { name: C.base, values: column(B.base), fill: null },
      { name: p.L.common.total, values: column(B.total), fill: WATERFALL.total },
      { name: C.increase, values: column(B.up), fill: WATERFALL.up },
      { name: C.decrease, values: column(B.down), fill: WATERFALL.down },
    ],
    valueAxisTitle: C.axis(p.currency),
    ...(start === undefined ? {} : { valueAxisMin: start }),
    numberFormat: '#,##0',
  };
}

/** Scenario i's largest movers: each workload's earlier and new total, change and effects. */
function moverLines(p: Laid, s: ScenarioBridge, i: number): Line[] {
  const C = p.L.changes;
  const shown = movers(s);
  const head = fixed(
    header(
      [
        p.L.common.workload,
        C.status,
        C.old,
        C.new,
        C.change,
        ...EFFECTS.map((e) => C.effectShort[e]),
      ],
      1,
      { widths: COLUMNS, numericFrom: 2 },
    ),
  );
  return [
    fixed(section(C.movers(p.L.text.scenarioName(s.id, s.name), TOP_MOVERS), TABLE_WIDTH)),
    ...(shown.length === 0
      ? [fixed({ cells: [cell(C.noMovers, 'note')] })]
      : [
          head,
          ...shown.map((w, j) =>
            keyed(`mover:${i}:${j}`, (ref): Row => {
              const r = ref(`mover:${i}:${j}`);
              return {
                cells: [
                  cell(w.name),
                  cell(C.statusWord[w.status], 'note'),
                  cell(num(w.old), 'val.money'),
                  cell(num(w.new), 'val.money'),
                  { f: `D${r}-C${r}`, r: num(w.change), s: 'calc.delta' },
                  ...EFFECTS.map((e) => cell(num(w.effects[e]), 'val.delta')),
                ],
              };
            }),
          ),
        ]),
    BLANK,
  ];
}

/** A price as its sheet gives it: the sheet's file name and line. */
const sheetAt = (x: BridgePrice | null): string =>
  x === null ? '' : x.line === null ? baseName(x.sheet) : `${baseName(x.sheet)} (${x.line})`;

const samePrice = (a: BridgePrice | null, b: BridgePrice | null): boolean =>
  a === null || b === null
    ? a === b
    : a.provider === b.provider &&
      a.skuId === b.skuId &&
      a.regionId === b.regionId &&
      a.currency === b.currency &&
      new Decimal(a.nativePrice).eq(b.nativePrice);

/** `old → new` when they differ, else the one value. */
const both = (a: string | undefined, b: string | undefined): string =>
  a === undefined ? (b ?? '') : b === undefined || a === b ? a : `${a} → ${b}`;

/**
 * The workloads' price changes: one row per continuing workload and role whose price point
 * moved (provider, SKU, region, currency or native price; a change of FX rate alone is in the
 * FX table). The change % is of the native price in one currency, else of the unit price.
 */
function priceLines(p: Laid, v: Variance): Line[] {
  const C = p.L.changes;
  const [first] = v.scenarios;
  const byId = new Map(p.f.model.workloads.map((w) => [w.id, w] as const));
  const priceEffects = new Map(
    v.scenarios.map((s) => [s.id, new Map(s.workloads.map((w) => [w.workloadId, w]))] as const),
  );
  const rows = (first?.workloads ?? []).flatMap((w) => {
    if (w.status !== 'continuing') return [];
    const roles = (['primary', 'fallback'] as const).flatMap((role) => {
      const a =
        role === 'primary' ? (w.prices.old?.primary ?? null) : (w.prices.old?.fallback ?? null);
      const b =
        role === 'primary' ? (w.prices.new?.primary ?? null) : (w.prices.new?.fallback ?? null);
      return samePrice(a, b) ? [] : [{ role, a, b }];
    });
    return roles.map((x, k) => ({ w, ...x, firstOfWorkload: k === 0 }));
  });
  const head = fixed(
    header(
      [
        p.L.common.workload,
        C.role,
        p.L.common.provider,
        p.L.inputs.sku,
        p.L.inputs.region,
        C.nativeOld,
        C.nativeNew,
        C.currencyOldNew,
        C.unitOld(p.currency),
        C.unitNew(p.currency),
        C.changePct,
        C.sheetOld,
        C.sheetNew,
        ...v.scenarios.map((s) => C.priceEffect(p.L.text.scenarioName(s.id, s.name))),
      ],
      1,
      { widths: COLUMNS },
    ),
  );
  const point = (w: ModelWorkload | undefined, role: 'primary' | 'fallback'): PricePoint | null =>
    w === undefined ? null : role === 'primary' ? w.primary : w.fallback;
  return [
    fixed(section(C.prices(p.currency), TABLE_WIDTH + v.scenarios.length), 'prices'),
    ...(rows.length === 0
      ? [fixed({ cells: [cell(C.noPriceChange, 'note')] })]
      : [
          head,
          ...rows.map(({ w, role, a, b, firstOfWorkload }, j) =>
            keyed(`price:${j}`, (ref): Row => {
              const r = ref(`price:${j}`);
              // The new price is this workbook's own: linked to its row on Prices.
              const pp = point(byId.get(w.workloadId), role);
              const at =
                pp !== null && b !== null && pp.ref.row.SkuId === b.skuId
                  ? ref.on('prices', `price:${p.priceIndex(pp)}`)
                  : null;
              const prices = (c: number) => onSheet(p.sheets.prices, `$${col(c)}$${at}`);
              const oldUnit = a === null ? null : num(a.unitPrice);
              const newUnit = b === null ? null : num(b.unitPrice);
              return {
                cells: [
                  cell(w.name),
                  cell(role === 'primary' ? C.primary : C.fallback, 'note'),
                  cell(both(a?.provider, b?.provider)),
                  cell(both(a?.skuId, b?.skuId)),
                  cell(both(a?.regionId ?? undefined, b?.regionId ?? undefined)),
                  a === null ? null : cell(num(a.nativePrice), 'val.native'),
                  b === null
                    ? null
                    : at === null
                      ? cell(num(b.nativePrice), 'val.native')
                      : {
                          f: prices(PRICE_COL.effective),
                          r: num(b.nativePrice),
                          s: 'link.native',
                        },
                  cell(both(a?.currency, b?.currency)),
                  oldUnit === null ? null : cell(oldUnit, 'val.price'),
                  b === null || newUnit === null
                    ? null
                    : at === null
                      ? cell(newUnit, 'val.price')
                      : { f: prices(PRICE_COL.unitPrice), r: newUnit, s: 'link.price' },
                  a === null || b === null
                    ? null
                    : a.currency === b.currency
                      ? new Decimal(a.nativePrice).isZero()
                        ? null
                        : {
                            f: `G${r}/F${r}-1`,
                            r: num(new Decimal(b.nativePrice).div(a.nativePrice).minus(1)),
                            s: 'calc.pct',
                          }
                      : new Decimal(a.unitPrice).isZero()
                        ? null
                        : {
                            f: `J${r}/I${r}-1`,
                            r: num(new Decimal(b.unitPrice).div(a.unitPrice).minus(1)),
                            s: 'calc.pct',
                          },
                  cell(sheetAt(a)),
                  cell(sheetAt(b)),
                  ...v.scenarios.map((s) => {
                    const effect = priceEffects.get(s.id)?.get(w.workloadId)?.effects.price;
                    return firstOfWorkload && effect !== undefined
                      ? cell(num(effect), 'val.delta')
                      : null;
                  }),
                ],
              };
            }),
          ),
        ]),
    BLANK,
  ];
}

/** The FX rates that changed: the new rate linked to Inputs where this workbook has it. */
function fxLines(p: Laid, v: Variance): Line[] {
  const C = p.L.changes;
  const names = new Map(p.fx.map((x) => [x.currency, x.name]));
  return [
    fixed(section(C.fx, 4), 'fx'),
    ...(v.fxChanges.length === 0
      ? [fixed({ cells: [cell(C.noFxChange, 'note')] })]
      : [
          fixed(
            header([p.L.prices.currency, C.rateOld, C.rateNew, C.changePct], 1, {
              widths: COLUMNS,
              numericFrom: 1,
            }),
          ),
          ...v.fxChanges.map((x, j) =>
            keyed(`fx:${j}`, (ref): Row => {
              const r = ref(`fx:${j}`);
              const name = names.get(x.currency);
              return {
                cells: [
                  cell(x.currency),
                  x.old === null ? null : cell(num(x.old), 'val.rate'),
                  x.new === null
                    ? null
                    : name === undefined
                      ? cell(num(x.new), 'val.rate')
                      : { f: name, r: num(x.new), s: 'link.rate' },
                  x.old === null || x.new === null || new Decimal(x.old).isZero()
                    ? null
                    : {
                        f: `C${r}/B${r}-1`,
                        r: num(new Decimal(x.new).div(x.old).minus(1)),
                        s: 'calc.pct',
                      },
                ],
              };
            }),
          ),
        ]),
    BLANK,
  ];
}

/** A scenario parameter of the bridge (`delayQuarters`, `priceDeclinePerQuarter.storage`, …) as Inputs names it. */
function parameterLabel(p: Laid, parameter: string): string {
  const I = p.L.inputs;
  if (parameter.startsWith('priceDeclinePerQuarter.')) {
    const c = parameter.slice('priceDeclinePerQuarter.'.length);
    return I.decline(p.L.category[c as keyof typeof p.L.category] ?? c);
  }
  const named: Readonly<Record<string, string>> = {
    delayQuarters: I.delay,
    shortagePremium: I.premium,
    availability: I.availability,
    fallbackPremium: I.fallbackPremium,
    providerAvailability: I.windows,
  };
  return named[parameter] ?? parameter;
}

/** A parameter's value as the workbook's language writes it: decimals, or the windows' text. */
const parameterValue = (p: Laid, value: string): string =>
  value === 'none'
    ? p.L.common.none
    : /^-?\d+(\.\d+)?$/.test(value)
      ? p.L.text.decimal(value)
      : value;

/** The scenario parameters that changed, old → new, as text (the bridge's own words). */
function parameterLines(p: Laid, v: Variance): Line[] {
  const C = p.L.changes;
  const changes = v.scenarios.flatMap((s) =>
    s.parameterChanges.map((x) => ({ scenario: p.L.text.scenarioName(s.id, s.name), ...x })),
  );
  return [
    fixed(section(C.parameters, 4), 'parameters'),
    ...(changes.length === 0
      ? [fixed({ cells: [cell(C.noParameterChange, 'note')] })]
      : [
          fixed(header([C.parameter, C.old, C.new, p.L.common.scenario], 1, { widths: COLUMNS })),
          ...changes.map((x) =>
            fixed({
              cells: [
                cell(parameterLabel(p, x.parameter)),
                cell(parameterValue(p, x.old)),
                cell(parameterValue(p, x.new)),
                cell(x.scenario),
              ],
            }),
          ),
        ]),
    ...v.unmatchedScenarios.map((u) =>
      fixed({
        cells: [
          cell(
            C.unmatched(
              p.L.text.scenarioName(u.id, u.name),
              u.side,
              `${p.L.text.amount(u.total)} ${v.currency}`,
            ),
            'note',
          ),
        ],
      }),
    ),
  ];
}

/** Every line of the sheet, top to bottom. */
export function changesLines(p: Laid, v: Variance): Line[] {
  const C = p.L.changes;
  const T = p.L.text;
  const span = (x: Variance['old']) =>
    `${x.name}, ${T.quarter(x.quarters[0] ?? '')}…${T.quarter(x.quarters.at(-1) ?? '')}`;
  return [
    fixed(titleRow(C.title)),
    fixed({ cells: [cell(C.subtitle(v.old.name, p.currency), 'subtitle')] }),
    fixed({ cells: [cell(C.sides(span(v.old), span(v.new)), 'note')] }),
    ...C.valuesNote.map((t, k) => fixed(paragraph(t), `note:${k}`)),
    BLANK,
    ...v.scenarios.flatMap((s, i) => bridgeLines(p, s, i)),
    ...v.scenarios.flatMap((s, i) => moverLines(p, s, i)),
    ...priceLines(p, v),
    ...fxLines(p, v),
    ...parameterLines(p, v),
  ];
}

/**
 * Changes: per scenario the bridge from the earlier forecast's total to this one's (a
 * waterfall chart beside it), its largest movers, then the price changes behind the price
 * effect, the FX rates and the scenario parameters that changed. None without a variance.
 */
export function changesSheet(ctx: Context): SheetLayout | readonly SheetLayout[] {
  const { p, variance } = ctx;
  if (variance === null) return [];
  const lines = changesLines(p, variance);
  const ref = resolver(rowNumbers(p.sheets.changes, lines), p.rows);
  const noteRows = p.L.changes.valuesNote.map((_, k) => ref(`note:${k}`));
  return {
    name: p.sheets.changes,
    columns: COLUMNS,
    freeze: { rows: 3, cols: 1 },
    rows: () => build(lines, ref),
    merges: noteRows.map((r) => `A${r}:${col(TABLE_WIDTH)}${r}`),
    charts: variance.scenarios.map((s, i) => waterfall(p, ref, s, i)),
    tabColor: 'FFC00000',
  };
}
