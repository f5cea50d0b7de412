// Keyed rows: a sheet declares its rows once, in order, naming the ones others refer to. Row
// numbers come from that order (the first line is row 1), so nothing counts rows a second
// time, and formulas and defined names ask for a row by its key.
import type { Row } from './layout.ts';

/** The sheets whose rows other sheets refer to by key. */
export type KeyedSheet = 'inputs' | 'prices' | 'calc';

/** Row numbers by key: `ref(key)` on the sheet being built, `ref.on(sheet, key)` on another. */
export interface Ref {
  (key: string): number;
  readonly on: (sheet: KeyedSheet, key: string) => number;
}

/** One row of a sheet: its key, when anything refers to it, and its cells given `ref`. */
export interface Line {
  readonly key?: string;
  readonly row: (ref: Ref) => Row;
}

/** A line whose cells refer to no row. */
export const fixed = (row: Row, key?: string): Line =>
  key === undefined ? { row: () => row } : { key, row: () => row };

/** A line others refer to by `key`. */
export const keyed = (key: string, row: (ref: Ref) => Row): Line => ({ key, row });

export const BLANK: Line = fixed({ cells: [] });

/**
 * The row number of each key of `lines`, as a lookup that throws on an unknown key.
 * @example rowNumbers('Inputs', [BLANK, fixed({ cells: [] }, 'a')])('a') //=> 2
 */
export function rowNumbers(sheet: string, lines: readonly Line[]): (key: string) => number {
  const at = new Map<string, number>();
  for (const [i, l] of lines.entries()) {
    if (l.key === undefined) continue;
    if (at.has(l.key)) throw new Error(`${sheet}: the row key "${l.key}" is declared twice`);
    at.set(l.key, i + 1);
  }
  return (key) => {
    const r = at.get(key);
    if (r === undefined) throw new Error(`${sheet}: no row has the key "${key}"`);
    return r;
  };
}

/** The resolver of one sheet: its own rows, and the keyed sheets for `on`. */
export function resolver(
  own: (key: string) => number,
  sheets: Readonly<Record<KeyedSheet, (key: string) => number>>,
): Ref {
  return Object.assign((key: string) => own(key), {
    on: (sheet: KeyedSheet, key: string) => sheets[sheet](key),
  });
}

/** The rows of `lines` in order, each built when the renderer reaches it. */
export function* build(lines: readonly Line[], ref: Ref): Iterable<Row> {
  for (const l of lines) yield l.row(ref);
}

/** `lines` followed by blank lines up to `count` lines in all (a block as tall as its chart). */
export const padded = (lines: readonly Line[], count: number): Line[] => [
  ...lines,
  ...Array.from({ length: Math.max(0, count - lines.length) }, () => BLANK),
];
