import { DRIVER_IDS } from '../../models/ranges.ts';
import { type Cell, onSheet, type Row, type SheetLayout } from '../layout.ts';
import type { ChartSpec } from '../package.ts';
import { type Context, header, n, noteRow, section, titleRow } from './common.ts';
import { driverValue } from './drivers.ts';

const TABLE_COLS = 6;
const CHART_ROWS = 20;
const COLUMNS = [40, 18, 18, 18, 18, 18, 2];

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
  const { model } = f;
  const H = p.horizon;
  const cur = p.currency;
  const ranges = f.monteCarlo.length > 0 ? DRIVER_IDS.length + 3 : 0; // section, header, rows, blank
  const first = 5 + ranges; // title, draws note, values note, blank, the ranges
  // Each block: section, header, one row per quarter, the horizon row, one row per
  // budgeted year, the forecast's position, the skewing drivers (a title, a header, one row
  // each and a note) or a line saying there are none, then blank rows down to the chart's
  // height.
  const used = (mc: (typeof f.monteCarlo)[number]) =>
    3 +
    H +
    mc.probabilityOverBudget.size +
    1 +
    (mc.skewedBy.length > 0 ? 2 + mc.skewedBy.length + M.effectNote.length : 1);
  const tops: number[] = [];
  let next = first;
  for (const mc of f.monteCarlo) {
    tops.push(next);
    next += Math.max(used(mc) + 1, CHART_ROWS + 2);
  }
  const charts: ChartSpec[] = f.monteCarlo.map((mc, k) => {
    const s = f.scenarios.find((x) => x.id === mc.id)!;
    const q0 = tops[k]! + 2;
    const q1 = q0 + H - 1;
    const ref = (c: string) => onSheet(p.sheets.monteCarlo, `$${c}$${q0}:$${c}$${q1}`);
    return {
      sheet: p.sheets.monteCarlo,
      kind: 'fan',
      title: M.chart(s.name),
      anchor: {
        from: { col: TABLE_COLS + 1, row: tops[k]! - 1 },
        to: { col: TABLE_COLS + 9, row: tops[k]! - 1 + CHART_ROWS },
      },
      categories: ref('A'),
      series: [
        { name: 'P10', values: ref('B') },
        { name: 'P50', values: ref('C') },
        { name: 'P90', values: ref('D') },
      ],
      band: { name: 'P10–P90', values: ref('F') },
      forecast: { name: M.forecast, values: ref('E') },
      valueAxisTitle: cur,
      numberFormat: '#,##0',
    };
  });

  function* rows(): Iterable<Row> {
    yield titleRow(M.title);
    yield noteRow(
      f.monteCarlo.length > 0 ? M.note(f.json.monteCarlo.draws, f.json.monteCarlo.seed) : M.notRun,
    );
    yield noteRow(L.common.valuesNote(ctx.generatedText));
    yield { cells: [] };
    if (f.monteCarlo.length > 0) {
      yield section(M.ranges, TABLE_COLS);
      // the values say the mode (× 0.5 scales, 30% sets); the last column says around what
      yield header([L.tornado.driver, L.tornado.low, L.tornado.high, M.around, '', ''], 1, {
        widths: COLUMNS,
      });
      for (const id of DRIVER_IDS) {
        const r = f.monteCarloRanges[id];
        const around =
          r.mode === 'scale'
            ? M.aroundScale
            : id === 'efficiency'
              ? M.aroundSetEfficiency
              : M.aroundSet;
        yield {
          cells: [
            { v: L.driver[id], s: 'label' },
            { v: driverValue(L, ctx.locale, id, r.mode, r.low), s: 'label' },
            { v: driverValue(L, ctx.locale, id, r.mode, r.high), s: 'label' },
            { v: around, s: 'label' },
          ],
        };
      }
      yield { cells: [] };
    }
    for (const [k, mc] of f.monteCarlo.entries()) {
      const s = f.scenarios.findIndex((x) => x.id === mc.id);
      const pr = f.projections[s]!;
      yield { at: tops[k]!, ...section(M.block(pr.scenario.name, cur), TABLE_COLS) };
      yield header([L.common.quarter, 'P10', 'P50', 'P90', M.forecast, M.band], 1, {
        widths: COLUMNS,
        numericFrom: 1,
      });
      for (const [t, q] of model.quarters.entries()) {
        const x = mc.byQuarter[t]!;
        const row = tops[k]! + 2 + t;
        yield {
          at: row,
          cells: [
            { v: L.text.quarter(q), s: 'labelBold' },
            { v: x.p10, s: 'val.money' },
            { v: x.p50, s: 'val.money' },
            { v: x.p90, s: 'val.money' },
            { v: n(pr.byQuarter[t]!), s: 'val.money' },
            { f: `D${row}-B${row}`, r: x.p90 - x.p10, s: 'calc.money' },
          ],
        };
      }
      yield {
        cells: [
          { v: M.horizon, s: 'labelBold' },
          { v: mc.total.p10, s: 'tot.money' },
          { v: mc.total.p50, s: 'tot.money' },
          { v: mc.total.p90, s: 'tot.money' },
          { v: n(pr.total), s: 'tot.money' },
        ],
      };
      for (const [fy, prob] of mc.probabilityOverBudget)
        yield {
          cells: [
            { v: M.overBudget(L.text.fiscalYear(fy)), s: 'label' },
            { v: prob, s: 'val.prob' } as Cell,
          ],
        };
      yield {
        cells: [{ v: M.position(mc.forecastPosition, mc.shareBelowForecast), s: 'labelBold' }],
      };
      if (mc.skewedBy.length === 0) yield noteRow(M.noSkew);
      else {
        yield { cells: [{ v: M.skew, s: 'labelBold' }] };
        yield header([L.tornado.driver, L.tornado.low, M.base, L.tornado.high, M.effect(cur)], 1, {
          widths: COLUMNS,
          numericFrom: 4,
        });
        for (const d of mc.skewedBy) {
          const value = (x: { toString(): string } | null) =>
            x === null ? M.ownValues : driverValue(L, ctx.locale, d.driver, d.mode, x.toString());
          yield {
            cells: [
              { v: L.driver[d.driver], s: 'label' },
              { v: value(d.low), s: 'label' },
              { v: value(d.base), s: 'label' },
              { v: value(d.high), s: 'label' },
              { v: n(d.effect), s: 'val.money' },
            ],
          };
        }
        for (const line of M.effectNote) yield noteRow(line);
      }
      const height = Math.max(used(mc) + 1, CHART_ROWS + 2);
      for (let i = used(mc); i < height; i++) yield { cells: [] };
    }
  }

  return {
    name: p.sheets.monteCarlo,
    columns: COLUMNS,
    freeze: { rows: 3, cols: 1 },
    rows,
    charts,
    tabColor: 'FF2E75B6',
  };
}
