import { REQUIRED_PRICE_COLUMNS } from '../../models/price-sheet.ts';
import { type PriceColumn, priceColumn } from './columns.ts';
import type { IssueLog } from './rows.ts';
import type { ParseContext } from './types.ts';

const snake = (c: string) => c.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * The price column of each header cell (`null` for columns we do not use), or `null` after
 * logging the problems: a column named twice, a required column missing (one issue each,
 * listing the columns found). ProviderName is not required when `ctx.provider` fills it.
 * @param names header cells, first column first
 * @param row the header's line or sheet row
 * @param where how a message names column `j` (0-based), e.g. `column 3` or `cell C1`
 */
export function mapHeader(
  names: readonly string[],
  row: number,
  ctx: ParseContext,
  log: IssueLog,
  where: (j: number) => string,
): (PriceColumn | null)[] | null {
  const before = log.count();
  // A NUL in a header name is a file that is not UTF-8 text (UTF-16 without its byte order
  // mark, or binary): say so, rather than list the columns as garbled names.
  const nul = names.findIndex((h) => h.includes('\u0000'));
  if (nul !== -1) {
    log.add({
      row,
      column: nul + 1,
      message: `the header has a NUL character (${where(nul)}): the file is not UTF-8 text; save it as "CSV UTF-8", or UTF-16 with its byte order mark`,
    });
    return null;
  }
  const columns = names.map((h) => priceColumn(h));
  const first = new Map<PriceColumn, number>();
  columns.forEach((c, j) => {
    if (c === null) return;
    const k = first.get(c);
    if (k === undefined) first.set(c, j);
    else
      log.add({
        row,
        column: j + 1,
        field: c,
        value: names[j] ?? '',
        message: `duplicate column: "${names[j]?.trim()}" (${where(j)}) and "${names[k]?.trim()}" (${where(k)}) both name ${c}`,
      });
  });
  const found = names
    .map((h) => h.trim())
    .filter((h) => h !== '')
    .map((h) => `"${h}"`)
    .join(', ');
  for (const c of REQUIRED_PRICE_COLUMNS) {
    if (first.has(c) || (c === 'ProviderName' && ctx.provider !== undefined)) continue;
    log.add({
      row,
      field: c,
      message: `the required column ${c} (or ${snake(c)}) is missing; the header has ${found || 'no names'}`,
    });
  }
  return log.count() > before ? null : columns;
}
