import { type Cell, col, type Row, type SheetLayout } from '../layout.ts';
import { type Context, n, noteRow, section, titleRow } from './common.ts';

/**
 * Sensitivity — grid: per scenario, the horizon total for each build-out delay (rows) and
 * price-decline multiplier (columns), with a colour scale; the base case in bold.
 */
export function gridSheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const G = L.grid;
  // Each block: section, header, one row per delay, note, blank; the first starts at row 4.
  const tops: number[] = [];
  let next = 4;
  for (const g of f.grids) {
    tops.push(next + 2);
    next += 4 + g.delays.length;
  }
  const colorScales = f.grids.map((g, k) => ({
    range: `B${tops[k]}:${col(1 + g.multipliers.length)}${tops[k]! + g.delays.length - 1}`,
  }));

  function* rows(): Iterable<Row> {
    yield titleRow(G.title);
    yield noteRow(L.common.valuesNote(ctx.generatedText));
    yield { cells: [] };
    for (const [k, grid] of f.grids.entries()) {
      const s = f.scenarios.find((x) => x.id === grid.scenarioId)!;
      const width = 1 + grid.multipliers.length;
      yield section(G.block(s.name, p.currency), width);
      yield {
        cells: [
          { v: G.corner, s: 'header' },
          ...grid.multipliers.map((m): Cell => ({ v: G.multiplier(m), s: 'header' })),
        ],
        height: 28,
      };
      for (const [i, delay] of grid.delays.entries())
        yield {
          at: tops[k]! + i,
          cells: [
            { v: G.delay(delay), s: 'labelBold' },
            ...grid.multipliers.map(
              (m, j): Cell => ({
                v: n(grid.totals[i]![j]!),
                s: delay === s.delayQuarters && Number(m) === 1 ? 'tot.money' : 'val.money',
              }),
            ),
          ],
        };
      yield noteRow(G.baseNote(s.delayQuarters));
      yield { cells: [] };
    }
  }

  const width = 1 + Math.max(0, ...f.grids.map((g) => g.multipliers.length));
  return {
    name: p.sheets.grid,
    columns: [34, ...Array.from({ length: width - 1 }, () => 18)],
    freeze: { rows: 2, cols: 1 },
    rows,
    colorScales,
    tabColor: 'FF2E75B6',
  };
}
