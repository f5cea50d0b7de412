import { PRICE_COLUMNS, type PriceRow } from '../../models/price-sheet.ts';

export type PriceColumn = keyof PriceRow;

/** The price columns that hold money. */
export const PRICE_VALUE_COLUMNS: readonly PriceColumn[] = ['ListUnitPrice', 'ContractedUnitPrice'];

const squash = (name: string) => name.replace(/[\s_-]/g, '').toLowerCase();
const BY_SQUASHED = new Map<string, PriceColumn>(PRICE_COLUMNS.map((c) => [squash(c), c]));

/**
 * The canonical price column a header names: FOCUS PascalCase or snake_case, any case, with
 * surrounding spaces; `null` for a column we do not use.
 * @example priceColumn(' list_unit_price ') //=> "ListUnitPrice"
 * @example priceColumn('x_as_of') //=> "x_AsOf"
 */
export function priceColumn(header: string): PriceColumn | null {
  return BY_SQUASHED.get(squash(header.replace(/^\uFEFF/, ''))) ?? null;
}
