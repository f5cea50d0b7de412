import type { Facts } from '../facts.ts';
import { type Cell, col, type SheetLayout } from '../layout.ts';
import { BLANK, build, fixed, type Line, resolver, rowNumbers } from '../rows.ts';
import { type Context, n, noteRow, section, titleRow } from './common.ts';

/** Grid k: its section, the multipliers, one row per delay (`delay:<k>:<i>`), a note. */
function gridLines(p: Facts, grid: Facts['f']['grids'][number], k: number): Line[] {
  const { f, L } = p;
  const G = L.grid;
  const s = f.scenarios.find((x) => x.id === grid.scenarioId);
  if (!s) throw new Error(`grid ${k} is of an unknown scenario ${grid.scenarioId}`);
  return [
    fixed(section(G.block(s.name, p.currency), 1 + grid.multipliers.length)),
    fixed({
      cells: [
        { v: G.corner, s: 'header' },
        ...grid.multipliers.map((m): Cell => ({ v: G.multiplier(m), s: 'header' })),
      ],
      height: 28,
    }),
    ...grid.delays.map((delay, i) =>
      fixed(
        {
          cells: [
            { v: G.delay(delay), s: 'labelBold' },
            ...grid.multipliers.map(
              (m, j): Cell => ({
                // biome-ignore lint/style/noNonNullAssertion: the grid has one row of totals per delay and one total per multiplier
                v: n(grid.totals[i]![j]!),
                s: delay === s.delayQuarters && Number(m) === 1 ? 'tot.money' : 'val.money',
              }),
            ),
          ],
        },
        `delay:${k}:${i}`,
      ),
    ),
    fixed(noteRow(G.baseNote(s.delayQuarters))),
    BLANK,
  ];
}

/**
 * Sensitivity — grid: per scenario, the horizon total for each build-out delay (rows) and
 * price-decline multiplier (columns), with a colour scale; the base case in bold.
 */
export function gridSheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const lines = [
    fixed(titleRow(L.grid.title)),
    fixed(noteRow(L.common.valuesNote(ctx.generatedText))),
    BLANK,
    ...f.grids.flatMap((grid, k) => gridLines(p, grid, k)),
  ];
  const ref = resolver(rowNumbers(p.sheets.grid, lines), p.rows);
  const colorScales = f.grids.map((g, k) => ({
    range: `B${ref(`delay:${k}:0`)}:${col(1 + g.multipliers.length)}${ref(`delay:${k}:${g.delays.length - 1}`)}`,
  }));
  const width = 1 + Math.max(0, ...f.grids.map((g) => g.multipliers.length));
  return {
    name: p.sheets.grid,
    columns: [34, ...Array.from({ length: width - 1 }, () => 18)],
    freeze: { rows: 2, cols: 1 },
    rows: () => build(lines, ref),
    colorScales,
    tabColor: 'FF2E75B6',
  };
}
