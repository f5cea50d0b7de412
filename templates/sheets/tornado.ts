import { type Cell, onSheet, type Row, type SheetLayout } from '../layout.ts';
import type { ChartSpec } from '../package.ts';
import { type Context, header, n, noteRow, section, titleRow } from './common.ts';
import { driverValue } from './drivers.ts';

/** Rows per scenario block: tall enough for its chart, to the right of the table. */
export const TORNADO_BLOCK_ROWS = 22;
const TABLE_COLS = 9;
const COLUMNS = [30, 24, 12, 12, 18, 18, 16, 16, 16, 2];

/**
 * Sensitivity — tornado: per scenario, each driver at its low and high value with the
 * horizon totals (values from the engine), the change from the base total, and a bar chart.
 */
export function tornadoSheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const T = L.tornado;
  const cur = p.currency;
  const charts: ChartSpec[] = [];
  const first = 4; // title, note, blank

  f.scenarios.forEach((s, i) => {
    const top = first + i * TORNADO_BLOCK_ROWS;
    const bars = f.tornado.filter((b) => b.scenarioId === s.id);
    const r0 = top + 3;
    const r1 = r0 + bars.length - 1;
    charts.push({
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
      valueAxisTitle: T.axis(cur),
      numberFormat: '#,##0',
    });
  });

  function* rows(): Iterable<Row> {
    yield titleRow(T.title);
    yield noteRow(L.common.valuesNote(ctx.generatedText));
    yield { cells: [] };
    for (const [i, pr] of f.projections.entries()) {
      const s = pr.scenario;
      const top = first + i * TORNADO_BLOCK_ROWS;
      const baseRow = top + 1;
      const bars = f.tornado.filter((b) => b.scenarioId === s.id);
      yield { at: top, ...section(T.block(s.name), TABLE_COLS) };
      yield {
        at: baseRow,
        cells: [
          { v: T.base, s: 'labelBold' },
          null,
          null,
          null,
          { v: n(pr.total), s: 'val.money' },
        ],
      };
      yield header(
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
      );
      for (const [j, b] of bars.entries()) {
        const r = top + 3 + j;
        const show = (v: string) => driverValue(L, ctx.locale, b.driver, b.mode, v);
        yield {
          at: r,
          cells: [
            { v: L.driver[b.driver], s: 'label' },
            { v: L.mode[b.mode], s: 'note' },
            { v: show(b.low), s: 'label' },
            { v: show(b.high), s: 'label' },
            { v: n(b.totalAtLow), s: 'val.money' },
            { v: n(b.totalAtHigh), s: 'val.money' },
            { v: n(b.swing), s: 'val.money' },
            {
              f: `E${r}-$E$${baseRow}`,
              r: n(b.totalAtLow.minus(pr.total)),
              s: 'calc.delta',
            } as Cell,
            {
              f: `F${r}-$E$${baseRow}`,
              r: n(b.totalAtHigh.minus(pr.total)),
              s: 'calc.delta',
            } as Cell,
          ],
        };
      }
      for (let k = 3 + bars.length; k < TORNADO_BLOCK_ROWS; k++) yield { cells: [] };
    }
  }

  return {
    name: p.sheets.tornado,
    columns: COLUMNS,
    freeze: { rows: 2, cols: 1 },
    rows,
    charts,
    tabColor: 'FF2E75B6',
  };
}
