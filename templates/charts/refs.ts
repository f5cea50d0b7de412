/** A cell position, 0-based. */
export interface CellPos {
  readonly col: number;
  readonly row: number;
}

/** A one-row or one-column range on a named sheet (what a chart series may reference). */
export interface RangeRef {
  readonly sheet: string;
  readonly cells: readonly CellPos[];
}

const CELL = /^\$?([A-Z]{1,3})\$?([1-9]\d{0,6})$/;

const columnIndex = (letters: string): number =>
  [...letters].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0) - 1;

/**
 * Column letters of a 0-based column index.
 * @example columnLetters(0) //=> "A"
 * @example columnLetters(27) //=> "AB"
 */
export function columnLetters(col: number): string {
  let s = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  }
  return s;
}

/** "C20" → { col: 2, row: 19 }; `undefined` when it is not an A1 cell address. */
export function parseCell(a1: string): CellPos | undefined {
  const [, letters, digits] = CELL.exec(a1.toUpperCase()) ?? [];
  if (letters === undefined || digits === undefined) return undefined;
  return { col: columnIndex(letters), row: Number(digits) - 1 };
}

/**
 * Reads a sheet-qualified reference to one row or one column of cells (or one cell).
 * Quoted sheet names double their apostrophes, as in Excel formulas.
 * @example parseRange("'Synthèse fr'!$C$20:$E$20").cells.length //=> 3
 */
export function parseRange(ref: string): RangeRef {
  const text = ref.trim().replace(/^=/, '');
  const bang = text.lastIndexOf('!');
  if (bang <= 0) throw new Error(`chart reference must name its sheet: ${ref}`);
  const rawSheet = text.slice(0, bang);
  const sheet =
    rawSheet.startsWith("'") && rawSheet.endsWith("'") && rawSheet.length >= 2
      ? rawSheet.slice(1, -1).replace(/''/g, "'")
      : rawSheet;
  const [a, b = a, ...rest] = text.slice(bang + 1).split(':');
  const from = parseCell(a ?? '');
  const to = parseCell(b ?? '');
  if (!from || !to || rest.length > 0) throw new Error(`not a cell range: ${ref}`);
  if (from.row !== to.row && from.col !== to.col) {
    throw new Error(`chart reference must be one row or one column: ${ref}`);
  }
  const cells: CellPos[] = [];
  if (from.row === to.row) {
    for (let c = Math.min(from.col, to.col); c <= Math.max(from.col, to.col); c++) {
      cells.push({ col: c, row: from.row });
    }
  } else {
    for (let r = Math.min(from.row, to.row); r <= Math.max(from.row, to.row); r++) {
      cells.push({ col: from.col, row: r });
    }
  }
  return { sheet, cells };
}

/** "$C$20" for { col: 2, row: 19 }. */
export const absoluteCell = (p: CellPos): string => `$${columnLetters(p.col)}$${p.row + 1}`;

/**
 * The reference as a chart formula: sheet always quoted, cells absolute.
 * @example rangeFormula(parseRange("Summary!C20:E20")) //=> "'Summary'!$C$20:$E$20"
 */
export function rangeFormula(range: RangeRef): string {
  const sheet = `'${range.sheet.replace(/'/g, "''")}'`;
  const [first] = range.cells;
  const last = range.cells.at(-1);
  if (first === undefined || last === undefined) throw new Error(`an empty range on ${sheet}`);
  const cells =
    range.cells.length === 1 ? absoluteCell(first) : `${absoluteCell(first)}:${absoluteCell(last)}`;
  return `${sheet}!${cells}`;
}
