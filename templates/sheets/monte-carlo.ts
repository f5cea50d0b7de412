import type { MonteCarloResult } from '../../models/forecast.ts';
import { DRIVER_IDS } from '../../models/ranges.ts';
import type { Facts } from '../facts.ts';
import { type Cell, onSheet, type SheetLayout } from '../layout.ts';
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
import { type Context, header, n, noteRow, section, titleRow } from './common.ts';
import { driverValue } from './drivers.ts';

const TABLE_COLS = 6;
const CHART_ROWS = 20;
const COLUMNS = [40, 18, 18, 18, 18, 18, 2];

/** The ranges drawn: one row per driver, the mode in its values (× 0.5 scales, 30% sets). */
function rangeLines(p: Facts, locale: Context['locale']): Line[] {
  const { f, L } = p;
  const M = L.monteCarlo;
  if (f.monteCarlo.length === 0) return [];
  return [
    fixed(section(M.ranges, TABLE_COLS)),
    // the last column says around what
    fixed(
      header([L.tornado.driver, L.tornado.low, L.tornado.high, M.around, '', ''], 1, {
        widths: COLUMNS,
      }),
    ),
    ...DRIVER_IDS.map((id) => {
      const r = f.monteCarloRanges[id];
      const around =
        r.mode === 'scale'
          ? M.aroundScale
          : id === 'efficiency'
            ? M.aroundSetEfficiency
            : M.aroundSet;
      return fixed({
        cells: [
          { v: L.driver[id], s: 'label' },
          { v: driverValue(L, locale, id, r.mode, r.low), s: 'label' },
          { v: driverValue(L, locale, id, r.mode, r.high), s: 'label' },
          { v: around, s: 'label' },
        ],
      });
    }),
    BLANK,
  ];
}

/** The drivers whose asymmetric ranges skew the draws, or a line saying none do. */
function skewLines(p: Facts, locale: Context['locale'], mc: MonteCarloResult): Line[] {
  const { L } = p;
  const M = L.monteCarlo;
  if (mc.skewedBy.length === 0) return [fixed(noteRow(M.noSkew))];
  return [
    fixed({ cells: [{ v: M.skew, s: 'labelBold' }] }),
    fixed(
      header([L.tornado.driver, L.tornado.low, M.base, L.tornado.high, M.effect(p.currency)], 1, {
        widths: COLUMNS,
        numericFrom: 4,
      }),
    ),
    ...mc.skewedBy.map((d) => {
      const value = (x: { toString(): string } | null) =>
        x === null ? M.ownValues : driverValue(L, locale, d.driver, d.mode, x.toString());
      return fixed({
        cells: [
          { v: L.driver[d.driver], s: 'label' },
          { v: value(d.low), s: 'label' },
          { v: value(d.base), s: 'label' },
          { v: value(d.high), s: 'label' },
          { v: n(d.effect), s: 'val.money' },
        ],
      });
    }),
    ...M.effectNote.map((line) => fixed(noteRow(line))),
  ];
}

/**
 * One scenario's block (`block:<k>`, k-th of `f.monteCarlo`): percentiles by quarter
 * (`quarter:<k>:<t>`) and for the horizon, the probability of exceeding each budget, the
 * forecast's position and the skew, as tall as its chart at least.
 */
function blockLines(p: Facts, locale: Context['locale'], mc: MonteCarloResult, k: number): Line[] {
  const { f, L } = p;
  const M = L.monteCarlo;
  const pr = f.projections.find((x) => x.scenario.id === mc.id);
  if (!pr) throw new Error(`Monte Carlo ${k} is of an unknown scenario ${mc.id}`);
  const lines = [
    fixed(section(M.block(pr.scenario.name, p.currency), TABLE_COLS), `block:${k}`),
    fixed(
      header([L.common.quarter, 'P10', 'P50', 'P90', M.forecast, M.band], 1, {
        widths: COLUMNS,
        numericFrom: 1,
      }),
    ),
    ...f.model.quarters.map((q, t) =>
      keyed(`quarter:${k}:${t}`, (ref) => {
        // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
        const x = mc.byQuarter[t]!;
        const row = ref(`quarter:${k}:${t}`);
        return {
          cells: [
            { v: L.text.quarter(q), s: 'labelBold' },
            { v: x.p10, s: 'val.money' },
            { v: x.p50, s: 'val.money' },
            { v: x.p90, s: 'val.money' },
            // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
            { v: n(pr.byQuarter[t]!), s: 'val.money' },
            { f: `D${row}-B${row}`, r: x.p90 - x.p10, s: 'calc.money' },
          ],
        };
      }),
    ),
    fixed({
      cells: [
        { v: M.horizon, s: 'labelBold' },
        { v: mc.total.p10, s: 'tot.money' },
        { v: mc.total.p50, s: 'tot.money' },
        { v: mc.total.p90, s: 'tot.money' },
        { v: n(pr.total), s: 'tot.money' },
      ],
    }),
    ...[...mc.probabilityOverBudget].map(([fy, prob]) =>
      fixed({
        cells: [
          { v: M.overBudget(L.text.fiscalYear(fy)), s: 'label' },
          { v: prob, s: 'val.prob' } as Cell,
        ],
      }),
    ),
    fixed({
      cells: [{ v: M.position(mc.forecastPosition, mc.shareBelowForecast), s: 'labelBold' }],
    }),
    ...skewLines(p, locale, mc),
  ];
  return padded(lines, Math.max(lines.length + 1, CHART_ROWS + 2));
}

/** The fan chart of block k, beside its table. */
function fanChart(p: Facts, ref: Ref, mc: MonteCarloResult, k: number): ChartSpec {
  const { f } = p;
  const M = p.L.monteCarlo;
  const s = f.scenarios.find((x) => x.id === mc.id);
  if (!s) throw new Error(`Monte Carlo ${k} is of an unknown scenario ${mc.id}`);
  const top = ref(`block:${k}`);
  const q0 = ref(`quarter:${k}:0`);
  const q1 = ref(`quarter:${k}:${p.horizon - 1}`);
  const values = (c: string) => onSheet(p.sheets.monteCarlo, `$${c}$${q0}:$${c}$${q1}`);
  return {
    sheet: p.sheets.monteCarlo,
    kind: 'fan',
    title: M.chart(s.name),
    anchor: {
      from: { col: TABLE_COLS + 1, row: top - 1 },
      to: { col: TABLE_COLS + 9, row: top - 1 + CHART_ROWS },
    },
    categories: values('A'),
    series: [
      { name: 'P10', values: values('B') },
      { name: 'P50', values: values('C') },
      { name: 'P90', values: values('D') },
    ],
    band: { name: 'P10–P90', values: values('F') },
    forecast: { name: M.forecast, values: values('E') },
    valueAxisTitle: p.currency,
    numberFormat: '#,##0',
  };
}

/**
 * Monte Carlo: the ranges drawn, then per scenario P10 / P50 / P90 by quarter and for the
 * horizon next to the base forecast, the probability of exceeding each budget, where the
 * forecast falls among the draws and which asymmetric ranges skew them, and a fan chart
 * with the forecast as a dashed line (values from the engine, seeded and reproducible). The
 * band P90 − P10 the fan is drawn from is a visible formula column, so the workbook needs no
 * hidden helper sheet.
 */
export function monteCarloSheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const M = L.monteCarlo;
  const lines = [
    fixed(titleRow(M.title)),
    fixed(
      noteRow(
        f.monteCarlo.length > 0
          ? M.note(f.json.monteCarlo.draws, f.json.monteCarlo.seed)
          : M.notRun,
      ),
    ),
    fixed(noteRow(L.common.valuesNote(ctx.generatedText))),
    BLANK,
    ...rangeLines(p, ctx.locale),
    ...f.monteCarlo.flatMap((mc, k) => blockLines(p, ctx.locale, mc, k)),
  ];
  const ref = resolver(rowNumbers(p.sheets.monteCarlo, lines), p.rows);
  return {
    name: p.sheets.monteCarlo,
    columns: COLUMNS,
    freeze: { rows: 3, cols: 1 },
    rows: () => build(lines, ref),
    charts: f.monteCarlo.map((mc, k) => fanChart(p, ref, mc, k)),
    tabColor: 'FF2E75B6',
  };
}
