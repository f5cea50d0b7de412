// Where a printed sheet's pages break. Every sheet prints on A4, one page wide: the renderer
// chooses the orientation from the sheet's width and puts a manual row break wherever a page
// is full, at the start of a block (a section bar and the table under it) rather than inside
// one, and never across a chart. Sizes are estimates in points of the printed page, from the
// column widths and row heights the layouts set — the same for every run, so files stay
// byte-identical.

/** A4 in points: 210 × 297 mm. */
const A4 = { short: 595.3, long: 841.9 } as const;
/** Page margins in inches (render.ts writes the same), header and footer inside them. */
export const MARGINS = {
  left: 0.4,
  right: 0.4,
  top: 0.6,
  bottom: 0.6,
  header: 0.25,
  footer: 0.25,
} as const;
/** Excel's default row height (points), for rows whose layout sets none. */
export const DEFAULT_ROW_HEIGHT = 15;
/** Excel's default column width (characters), for columns a layout leaves unsized. */
const DEFAULT_COLUMN_WIDTH = 9.14;
/**
 * Part of the printable height a page is filled to, leaving room for rounding. Widths are
 * Excel's (Calibri); LibreOffice with Calibri or its metric twin Carlito prints the same,
 * and with a wider substitute font it scales the sheet down further, so its pages hold more
 * than planned: never less.
 */
const FILL = 0.95;
/** Below this scale a portrait page is too small to read: the sheet prints landscape. */
const PORTRAIT_MIN_SCALE = 0.8;
/** A block that flows over pages keeps at least this many rows together at each end. */
const KEEP = 3;

/**
 * A column width in characters as printed, in points (Excel: 7 px per character of Calibri
 * 11 plus 5 px of padding, 0.75 pt per px).
 * @example columnPoints(10) //=> 56.25
 */
export const columnPoints = (chars: number): number => (Math.trunc(chars * 7 + 5) * 3) / 4;

export interface PrintSheet {
  /** Column widths in characters from column A; columns beyond them have the default. */
  readonly columns: readonly number[];
  /** Columns the print covers: cells and charts (1-based, the last one). */
  readonly lastColumn: number;
  /** Row heights in points, row 1 first. */
  readonly heights: readonly number[];
  /** Rows (1-based) that start a block: a page may break before them. */
  readonly blockStarts: readonly number[];
  /**
   * Rows (1-based) that start a table inside a block (its header row): where a block taller
   * than a page breaks, if it can.
   */
  readonly tableStarts?: readonly number[];
  /** Rows (1-based, inclusive) each chart covers: no page breaks across them. */
  readonly charts: readonly { readonly first: number; readonly last: number }[];
  /** Rows repeated at the top of every page, e.g. `4:8`. */
  readonly printTitleRows?: string | undefined;
}

export interface PrintPlan {
  readonly orientation: 'portrait' | 'landscape';
  /** The scale fitting the sheet to one page wide (at most 1). */
  readonly scale: number;
  /** Rows after which a new page starts (1-based). */
  readonly breaks: readonly number[];
}

/** Orientation, scale and page breaks of one printed sheet. */
export function paginate(sheet: PrintSheet): PrintPlan {
  let width = 0;
  for (let c = 0; c < Math.max(sheet.lastColumn, 1); c++)
    width += columnPoints(sheet.columns[c] ?? DEFAULT_COLUMN_WIDTH);
  const printable = (paper: number, a: number, b: number) => paper - (a + b) * 72;
  const scaleOn = (paper: number) =>
    Math.min(1, printable(paper, MARGINS.left, MARGINS.right) / width);
  const orientation = scaleOn(A4.short) >= PORTRAIT_MIN_SCALE ? 'portrait' : 'landscape';
  const [across, down] = orientation === 'portrait' ? [A4.short, A4.long] : [A4.long, A4.short];
  const scale = scaleOn(across);
  const page = (printable(down, MARGINS.top, MARGINS.bottom) * FILL) / scale;

  const h = (r: number) => sheet.heights[r - 1] ?? DEFAULT_ROW_HEIGHT;
  const titles = /^(\d+):(\d+)$/.exec(sheet.printTitleRows ?? '');
  let titleHeight = 0;
  if (titles) for (let r = Number(titles[1]); r <= Number(titles[2]); r++) titleHeight += h(r);
  const rows = sheet.heights.length;
  const inChart = (r: number) => sheet.charts.some((c) => r > c.first && r <= c.last);
  // A page may start at a block's first row, unless a chart runs across it.
  const starts = [...new Set(sheet.blockStarts)]
    .filter((r) => r > 1 && r <= rows && !inChart(r))
    .sort((a, b) => a - b);
  const blocks = [1, ...starts].map((first, i, all) => ({
    first,
    last: (all[i + 1] ?? rows + 1) - 1,
  }));

  const breaks: number[] = [];
  let used = 0;
  const newPage = (before: number) => {
    breaks.push(before - 1);
    used = titleHeight;
  };
  for (const { first, last } of blocks) {
    let height = 0;
    for (let r = first; r <= last; r++) height += h(r);
    if (used + height <= page) {
      used += height;
      continue;
    }
    if (used > titleHeight && first > 1) newPage(first);
    if (used + height <= page) {
      used += height;
      continue;
    }
    // Taller than a page: it flows, breaking before one of its tables if it can, else between
    // rows outside charts, never leaving fewer than KEEP of its rows alone at the foot or the
    // head of a page.
    let start = first;
    for (let r = first; r <= last; r++) {
      if (used + h(r) > page) {
        const table = (sheet.tableStarts ?? [])
          .filter((t) => t - start >= KEEP && t <= r && !inChart(t))
          .at(-1);
        const at = table ?? Math.min(r, last - KEEP + 1);
        if (at - start >= KEEP && !inChart(at)) {
          newPage(at);
          start = at;
          for (let k = at; k < r; k++) used += h(k);
        }
      }
      used += h(r);
    }
  }
  return { orientation, scale, breaks };
}
