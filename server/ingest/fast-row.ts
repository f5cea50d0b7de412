import { z } from 'zod';
import { CURRENCY_CODE, invisibleInName, isNfc } from '../../models/fields.ts';
import { readAsOfDate } from '../../models/freshness.ts';
import { type PriceRow, priceRowSchema } from '../../models/price-sheet.ts';
import { hostileText } from '../../models/validate.ts';
import type { PriceColumn } from './columns.ts';

/** A text column's bounds, read from the schema: its longest trimmed value, and whether it is required. */
export interface TextLimit {
  readonly max: number;
  readonly required: boolean;
}

/**
 * The text columns of `priceRowSchema` and their bounds, read from the schema itself (its
 * `.max()` and whether the column is optional), so the plain path below can never drift from
 * the rule it stands in for.
 * @example TEXT_LIMITS.SkuId //=> { max: 200, required: true }
 */
export const TEXT_LIMITS: Readonly<Partial<Record<PriceColumn, TextLimit>>> = Object.fromEntries(
  Object.entries(priceRowSchema.shape).flatMap(([c, schema]) => {
    const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
    if (!(inner instanceof z.ZodString) || inner.maxLength === null) return [];
    return [[c, { max: inner.maxLength, required: !schema.isOptional() }]];
  }),
);

/** The bound of a text column the schema is known to give one. */
function limitOf(c: PriceColumn): number {
  const limit = TEXT_LIMITS[c];
  if (!limit) throw new Error(`priceRowSchema gives ${c} no maximum length`);
  return limit.max;
}

const MAX_PROVIDER = limitOf('ProviderName');
const MAX_SKU = limitOf('SkuId');
const MAX_UNIT = limitOf('PricingUnit');

/** A non-negative plain decimal the schema accepts as it is (short enough for any exponent bound). */
const PLAIN_PRICE = /^\d{1,30}(?:\.\d{1,30})?$/;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether an `x_AsOf` text is already what ingest stores: a real ISO date. Anything else (a
 * day-first date to rewrite, a bad date to refuse) goes the full way.
 */
export const plainAsOf = (t: string): boolean => ISO_DATE.test(t) && readAsOfDate(t).ok;

/** The trimmed text when it is a string of at most `max` characters (non-blank if required). */
function textOk(v: unknown, max: number, required: boolean): string | null {
  if (typeof v !== 'string' || hostileText(v) !== null) return null;
  const t = v.trim();
  return t.length > max || (required && t === '') ? null : t;
}

const OPTIONAL_TEXT: readonly (readonly [PriceColumn, number])[] = Object.entries(
  TEXT_LIMITS,
).flatMap(([c, limit]) => (limit.required ? [] : [[c as PriceColumn, limit.max]]));

/**
 * The row `priceRowSchema.safeParse(values)` would give, worked out by hand for the common
 * case, or `null` when the values are not plainly valid and the schema must decide (and word
 * the issues). Accepts only what the schema accepts, with the same output, keys in schema order.
 * @example fastPriceRow({ ProviderName: 'A', SkuId: 's', PricingUnit: 'GB', ListUnitPrice: '1.5', PricingCurrency: 'USD' }) //=> { ProviderName: "A", … }
 */
export function fastPriceRow(values: Partial<Record<PriceColumn, unknown>>): PriceRow | null {
  const p = textOk(values.ProviderName, MAX_PROVIDER, true);
  const provider = p === null || invisibleInName(p) !== null || !isNfc(p) ? null : p;
  const sku = textOk(values.SkuId, MAX_SKU, true);
  const unit = textOk(values.PricingUnit, MAX_UNIT, true);
  const list = values.ListUnitPrice;
  const currency = values.PricingCurrency;
  if (provider === null || sku === null || unit === null) return null;
  if (typeof list !== 'string' || !PLAIN_PRICE.test(list)) return null;
  if (typeof currency !== 'string') return null;
  const code = currency.trim();
  if (!CURRENCY_CODE.test(code)) return null;
  const row: Record<string, string> = {
    ProviderName: provider,
    SkuId: sku,
    PricingUnit: unit,
    ListUnitPrice: list,
    PricingCurrency: code,
  };
  const contracted = values.ContractedUnitPrice;
  if (contracted !== undefined) {
    if (typeof contracted !== 'string' || !PLAIN_PRICE.test(contracted)) return null;
    row.ContractedUnitPrice = contracted;
  } else if ('ContractedUnitPrice' in values) return null;
  for (const [c, max] of OPTIONAL_TEXT) {
    const v = values[c];
    if (v === undefined) {
      if (c in values) return null;
      continue;
    }
    const t = textOk(v, max, false);
    if (t === null || (c === 'x_AsOf' && t !== '' && !plainAsOf(t))) return null;
    row[c] = t;
  }
  return row as PriceRow;
}

/** A non-negative decimal without grouping or exponent, as a price cell usually holds it. */
const SIMPLE = {
  '.': /^(?:0|[1-9]\d{0,29})(?:\.\d{1,30})?$/,
  ',': /^(?:0|[1-9]\d{0,29})(?:,\d{1,30})?$/,
};

/**
 * A reader of CSV records into price rows for the common case, built once per header: the
 * row {@link fastPriceRow} gives for the record's values, or `null` for anything less plain
 * (a grouped or scientific price, an over-long text, a missing required cell…), which the
 * caller then reads the full way. `columns[j]` is the price column of field `j` (each named
 * once); `provider` fills ProviderName where the cell is empty.
 * @example plainRowReader(['ProviderName', 'SkuId', 'PricingUnit', 'ListUnitPrice', 'PricingCurrency'], ',')(['A', 's', 'GB', '2,50', 'EUR']) //=> { …, ListUnitPrice: "2.50", … }
 */
export function plainRowReader(
  columns: readonly (PriceColumn | null)[],
  decimal: ',' | '.',
  provider?: string | undefined,
): (fields: readonly string[]) => PriceRow | null {
  const index = (c: PriceColumn) => columns.indexOf(c);
  const optional = OPTIONAL_TEXT.map(([c, max]) => [c, index(c), max] as const).filter(
    ([, j]) => j !== -1,
  );
  const [iProvider, iSku, iUnit, iList, iCurrency, iContracted] = [
    index('ProviderName'),
    index('SkuId'),
    index('PricingUnit'),
    index('ListUnitPrice'),
    index('PricingCurrency'),
    index('ContractedUnitPrice'),
  ];
  const simple = SIMPLE[decimal];
  const given = provider === undefined ? null : textOk(provider, MAX_PROVIDER, true);
  const fallback =
    given === null || invisibleInName(given) !== null || !isNfc(given) ? null : given;
  /** The cell's text, trimmed; undefined when empty or NULL (or the column is absent). */
  const cell = (fields: readonly string[], j: number): string | undefined => {
    if (j === -1) return undefined;
    const t = (fields[j] ?? '').trim();
    return t === '' || t === 'NULL' ? undefined : t;
  };
  const price = (t: string) =>
    simple.test(t) ? (decimal === ',' ? t.replace(',', '.') : t) : null;
  return (fields) => {
    // A NUL or lone surrogate anywhere: the schema path locates and refuses it.
    for (const f of fields) if (hostileText(f) !== null) return null;
    const p = cell(fields, iProvider);
    const providerName =
      p === undefined
        ? fallback
        : p.length <= MAX_PROVIDER && invisibleInName(p) === null && isNfc(p)
          ? p
          : null;
    const sku = cell(fields, iSku);
    const unit = cell(fields, iUnit);
    const listText = cell(fields, iList);
    const currency = cell(fields, iCurrency);
    if (providerName === null || sku === undefined || sku.length > MAX_SKU) return null;
    if (unit === undefined || unit.length > MAX_UNIT || listText === undefined) return null;
    if (currency === undefined || !CURRENCY_CODE.test(currency)) return null;
    const list = price(listText);
    if (list === null) return null;
    const row: Record<string, string> = {
      ProviderName: providerName,
      SkuId: sku,
      PricingUnit: unit,
      ListUnitPrice: list,
      PricingCurrency: currency,
    };
    const contractedText = cell(fields, iContracted);
    if (contractedText !== undefined) {
      const contracted = price(contractedText);
      if (contracted === null) return null;
      row.ContractedUnitPrice = contracted;
    }
    for (const [c, j, max] of optional) {
      const t = cell(fields, j);
      if (t === undefined) continue;
      if (t.length > max || (c === 'x_AsOf' && !plainAsOf(t))) return null;
      row[c] = t;
    }
    return row as PriceRow;
  };
}
