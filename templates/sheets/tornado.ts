import type { ModelScenario } from '../../models/model.ts';
import type { Projection } from '../../models/projection.ts';
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

/** Rows per scenario block: tall enough for its chart, to the right of the table. */
export const TORNADO_BLOCK_ROWS = 22;
const TABLE_COLS = 9;
const COLUMNS = [30, 24, 12, 12, 18, 18, 16, 16, 16, 2];

/**
 * Scenario i's block (`block:<i>`): the base total (`base:<i>`), then each driver at its low
 * and high value (`bar:<i>:<j>`) with the change from the base total.
 */
function blockLines(p: Facts, locale: Context['locale'], pr: Projection, i: number): Line[] {
  const { f, L } = p;
  const T = L.tornado;
  const s = pr.scenario;
  const bars = f.tornado.filter((b) => b.scenarioId === s.id);
  const lines = [
    fixed(section(T.block(s.name), TABLE_COLS), `block:${i}`),
    fixed(
      {
        cells: [
          { v: T.base, s: 'labelBold' },
          null,
          null,
          null,
          { v: n(pr.total), s: 'val.money' },
        ],
      },
      `base:${i}`,
    ),
    fixed(
      header(
        [
          T.driver,
          T.mode,
          T.low,
          T.high,
          T.totalAtLow,
          T.totalAtHigh,
          T.swing,
          T.changeAtLow,
          T.changeAtHigh,
        ],
        1,
        { widths: COLUMNS, numericFrom: 2 },
      ),
    ),
    ...bars.map((b, j) =>
      keyed(`bar:${i}:${j}`, (ref: Ref) => {
        const r = ref(`bar:${i}:${j}`);
        const base = ref(`base:${i}`);
        const show = (v: string) => driverValue(L, locale, b.driver, b.mode, v);
        return {
          cells: [
            { v: L.driver[b.driver], s: 'label' },
            { v: L.mode[b.mode], s: 'note' },
            { v: show(b.low), s: 'label' },
            { v: show(b.high), s: 'label' },
            { v: n(b.totalAtLow), s: 'val.money' },
            { v: n(b.totalAtHigh), s: 'val.money' },
            { v: n(b.swing), s: 'val.money' },
            { f: `E${r}-$E$${base}`, r: n(b.totalAtLow.minus(pr.total)), s: 'calc.delta' } as Cell,
            { f: `F${r}-$E$${base}`, r: n(b.totalAtHigh.minus(pr.total)), s: 'calc.delta' } as Cell,
          ],
        };
      }),
    ),
  ];
  return padded(lines, TORNADO_BLOCK_ROWS);
}

/** The bar chart of scenario i, beside its table. */
function barChart(p: Facts, ref: Ref, s: ModelScenario, i: number): ChartSpec {
  const T = p.L.tornado;
  const bars = p.f.tornado.filter((b) => b.scenarioId === s.id);
  const top = ref(`block:${i}`);
  const r0 = top + 3;
  const r1 = r0 + bars.length - 1;
  return {
    sheet: p.sheets.tornado,
    kind: 'bar',
    title: T.chart(s.name),
    anchor: {
      from: { col: TABLE_COLS + 1, row: top - 1 },
      to: { col: TABLE_COLS + 9, row: top - 1 + TORNADO_BLOCK_ROWS - 2 },
    },
    categories: onSheet(p.sheets.tornado, `$A$${r0}:$A$${r1}`),
    series: [
      { name: T.changeAtLow, values: onSheet(p.sheets.tornado, `$H$${r0}:$H$${r1}`) },
      { name: T.changeAtHigh, values: onSheet(p.sheets.tornado, `$I$${r0}:$I$${r1}`) },
    ],
    valueAxisTitle: T.axis(p.currency),
    numberFormat: '#,##0',
  };
}

/**
 * Sensitivity — tornado: per scenario, each driver at its low and high value with the
 * horizon totals (values from the engine), the change from the base total, and a bar chart.
 */
export function tornadoSheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const lines = [
    fixed(titleRow(L.tornado.title)),
    fixed(noteRow(L.common.valuesNote(ctx.generatedText))),
    BLANK,
    ...f.projections.flatMap((pr, i) => blockLines(p, ctx.locale, pr, i)),
  ];
  const ref = resolver(rowNumbers(p.sheets.tornado, lines), p.rows);
  return {
    name: p.sheets.tornado,
    columns: COLUMNS,
    freeze: { rows: 2, cols: 1 },
    rows: () => build(lines, ref),
    charts: f.scenarios.map((s, i) => barChart(p, ref, s, i)),
    tabColor: 'FF2E75B6',
  };
}
