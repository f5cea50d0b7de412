// The workbook as data: sheets, columns, rows of cells, styles by key, validations, names
// and charts. Sheet modules build these; `render.ts` is the only code that calls exceljs.
import type { ChartSpec } from './package.ts';
import type { StyleKey } from './styles.ts';

export type Scalar = string | number | boolean;

/**
 * One cell. `v` is a plain value; `f` a formula (without `=`) whose cached result is `r`
 * (the engine's number, so the file opens with the right figures before any recalculation).
 */
export interface Cell {
  readonly v?: Scalar;
  readonly f?: string;
  readonly r?: Scalar;
  readonly s?: StyleKey;
}

/**
 * A row of cells from column A; `null` leaves a cell empty. Its number is its place in the
 * sheet's lines (rows.ts).
 * `shared` declares that the formulas of columns `first`…`last` (1-based) are one formula
 * copied across (the timeline's "one formula per row"): the file stores it once.
 */
export interface Row {
  readonly cells: readonly (Cell | null)[];
  readonly height?: number;
  readonly shared?: readonly [first: number, last: number];
}

export type Validation =
  | {
      readonly kind: 'decimal' | 'whole';
      readonly range: string;
      readonly operator: 'between' | 'greaterThan' | 'greaterThanOrEqual';
      readonly values: readonly number[];
      readonly message: string;
      readonly allowBlank?: boolean;
    }
  | {
      readonly kind: 'custom' | 'list';
      readonly range: string;
      readonly formula: string;
      readonly message: string;
      readonly allowBlank?: boolean;
    };

/** A three-colour scale over `range`: low green, middle yellow, high red. */
export interface ColorScale {
  readonly range: string;
}

export interface SheetLayout {
  readonly name: string;
  /** Column widths in characters, from column A. */
  readonly columns: readonly number[];
  /** Rows and columns kept in view (freeze panes). */
  readonly freeze: { readonly rows: number; readonly cols: number };
  /** Rows from row 1, produced lazily so that large sheets stream. */
  readonly rows: () => Iterable<Row>;
  /** Cells merged, each within one row (`B4:G4`). */
  readonly merges?: readonly string[];
  readonly validations?: readonly Validation[];
  readonly colorScales?: readonly ColorScale[];
  /** Defined names on this sheet: `ref` is an absolute address on it (`$C$8`, `$A$3:$A$9`). */
  readonly names?: readonly { readonly name: string; readonly ref: string }[];
  readonly charts?: readonly ChartSpec[];
  /** Rows repeated at the top of every printed page, e.g. `4:8`. */
  readonly printTitleRows?: string;
  readonly tabColor?: string;
}

/**
 * Column letters of a 1-based column number.
 * @example col(1) //=> "A"
 * @example col(28) //=> "AB"
 */
export function col(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * An A1 address; `abs` makes the column and the row absolute.
 * @example addr(3, 8) //=> "C8"
 * @example addr(3, 8, true) //=> "$C$8"
 */
export const addr = (column: number, row: number, abs = false): string =>
  abs ? `$${col(column)}$${row}` : `${col(column)}${row}`;

/** `$C$8:$J$8` */
export const range = (c1: number, r1: number, c2: number, r2: number): string =>
  `${addr(c1, r1, true)}:${addr(c2, r2, true)}`;

/**
 * A sheet name as a formula writes it: always quoted, apostrophes doubled.
 * @example sheetRef("Calc — on-time") //=> "'Calc — on-time'"
 */
export const sheetRef = (name: string): string => `'${name.replace(/'/g, "''")}'`;

/** `'Sheet'!$C$8` */
export const onSheet = (sheet: string, ref: string): string => `${sheetRef(sheet)}!${ref}`;

const FORBIDDEN = /[[\]:*?/\\]/g;

/**
 * A valid, unique worksheet name: ≤ 31 characters, none of `[]:*?/\`, not starting or ending
 * with an apostrophe, unique without regard to case.
 * @example sheetName('Calc — a/b', new Set()) //=> "Calc — a-b"
 */
export function sheetName(wanted: string, taken: Set<string>): string {
  const clean =
    wanted
      .replace(FORBIDDEN, '-')
      .replace(/^'+|'+$/g, '')
      .trim() || 'Sheet';
  let name = clean.slice(0, 31).trim();
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    name = clean.slice(0, 31 - suffix.length).trim() + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/**
 * An Excel defined name built from free text: letters, digits and `_`, starting with a
 * letter, unique without regard to case.
 * @example definedName('Delay', 'on-time', new Set()) //=> "Delay_on_time"
 */
export function definedName(prefix: string, key: string, taken: Set<string>): string {
  const base = `${prefix}_${key.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 200);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}_${i}`;
  taken.add(name.toLowerCase());
  return name;
}

/** Shorthands for cells. */
export const text = (v: string, s: StyleKey = 'label'): Cell => ({ v, s });
export const value = (v: Scalar, s: StyleKey): Cell => ({ v, s });
export const formula = (f: string, r: Scalar, s: StyleKey): Cell => ({ f, r, s });
export const blank: Row = { cells: [] };
