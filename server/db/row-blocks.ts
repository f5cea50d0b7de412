// A price sheet's rows as stored: blocks of consecutive rows, each one JSON text of arrays.
import { PRICE_COLUMNS, type PriceRow } from '../../models/price-sheet.ts';

/**
 * Rows per stored block. Blocks are written as the ingest hands over batches, so a block
 * may be shorter; a page of rows reads the one or two blocks it falls in.
 */
export const BLOCK_ROWS = 5000;

/**
 * One row as a block holds it: its line in the file, then every FOCUS column in
 * {@link PRICE_COLUMNS} order, `null` where absent. The view `price_rows` (migration 0002)
 * reads the same positions.
 */
type StoredRow = [line: number, ...values: (string | null)[]];

const utf8 = new TextEncoder();

/**
 * Rows `start` to `end` (exclusive) as a block, in UTF-8 bytes of their own (transferable to
 * another thread), as the database is sent it.
 */
export function encodeBlockBytes(
  rows: readonly PriceRow[],
  lines: readonly number[],
  start = 0,
  end = rows.length,
): Uint8Array {
  return utf8.encode(encodeBlock(rows, lines, start, end));
}

/**
 * Rows `start` to `end` (exclusive) as a block's JSON text.
 * @example encodeBlock([{ ProviderName: 'AWS', SkuId: 'm7i', PricingUnit: 'Hours', ListUnitPrice: '0.2', PricingCurrency: 'USD' }], [2]) //=> '[[2,"AWS","m7i","Hours","0.2","USD",null,null,null,null,null,null,null,null]]'
 */
export function encodeBlock(
  rows: readonly PriceRow[],
  lines: readonly number[],
  start = 0,
  end = rows.length,
): string {
  const out: StoredRow[] = new Array(end - start);
  for (let k = start; k < end; k++) {
    const r = rows[k];
    if (r === undefined)
      throw new RangeError(`rows ${start} to ${end} of ${rows.length} asked for`);
    const stored: StoredRow = [lines[k] ?? 0];
    for (const c of PRICE_COLUMNS) stored.push(r[c] ?? null);
    out[k - start] = stored;
  }
  return JSON.stringify(out);
}

/**
 * A block's rows (absent columns left out) and their lines, appended to `rows` and `lines`.
 * Throws on text that is not a block: stored blocks are only ever written by
 * {@link encodeBlock}.
 */
export function decodeBlock(text: string, rows: PriceRow[], lines: number[]): void {
  const stored = JSON.parse(text) as unknown;
  if (!Array.isArray(stored)) throw new Error('a stored price-row block is not an array');
  for (const s of stored as StoredRow[]) {
    if (!Array.isArray(s) || s.length !== PRICE_COLUMNS.length + 1)
      throw new Error(`a stored price row has ${Array.isArray(s) ? s.length : 0} fields`);
    const row: Record<string, string> = {};
    let c = 1;
    for (const column of PRICE_COLUMNS) {
      const v = s[c++] as string | null;
      if (v !== null) row[column] = v;
    }
    rows.push(row as PriceRow);
    lines.push(s[0]);
  }
}
