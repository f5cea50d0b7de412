import type { PriceRow } from '../../models/price-sheet.ts';
import type { PriceColumn } from './columns.ts';

/** How the schema checks each column; `priceRowSchema` stays the rule, this its common case. */
type Check =
  | { readonly kind: 'text'; readonly max: number; readonly required: boolean }
  | { readonly kind: 'price'; readonly required: boolean }
  | { readonly kind: 'currency' };

const CHECKS: Readonly<Record<PriceColumn, Check>> = {
  ProviderName: { kind: 'text', max: 100, required: true },
  SkuId: { kind: 'text', max: 200, required: true },
  PricingUnit: { kind: 'text', max: 100, required: true },
  ListUnitPrice: { kind: 'price', required: true },
  PricingCurrency: { kind: 'currency' },
  ContractedUnitPrice: { kind: 'price', required: false },
  ServiceCategory: { kind: 'text', max: 100, required: false },
  ServiceName: { kind: 'text', max: 200, required: false },
  RegionId: { kind: 'text', max: 100, required: false },
  PricingCategory: { kind: 'text', max: 100, required: false },
  Description: { kind: 'text', max: 1000, required: false },
  x_Source: { kind: 'text', max: 1000, required: false },
  x_AsOf: { kind: 'text', max: 40, required: false },
};

/** A non-negative plain decimal the schema accepts as it is (short enough for any exponent bound). */
const PLAIN_PRICE = /^\d{1,30}(?:\.\d{1,30})?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** The trimmed text when it is a string of at most `max` characters (non-blank if required). */
function textOk(v: unknown, max: number, required: boolean): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t.length > max || (required && t === '') ? null : t;
}

const OPTIONAL_TEXT: readonly (readonly [PriceColumn, number])[] = Object.entries(CHECKS).flatMap(
  ([c, check]) => (check.kind === 'text' && !check.required ? [[c as PriceColumn, check.max]] : []),
);

/**
 * The row `priceRowSchema.safeParse(values)` would give, worked out by hand for the common
 * case, or `null` when the values are not plainly valid and the schema must decide (and word
 * the issues). Accepts only what the schema accepts, with the same output, keys in schema order.
 * @example fastPriceRow({ ProviderName: 'A', SkuId: 's', PricingUnit: 'GB', ListUnitPrice: '1.5', PricingCurrency: 'USD' }) //=> { ProviderName: "A", … }
 */
export function fastPriceRow(values: Partial<Record<PriceColumn, unknown>>): PriceRow | null {
  const provider = textOk(values.ProviderName, 100, true);
  const sku = textOk(values.SkuId, 200, true);
  const unit = textOk(values.PricingUnit, 100, true);
  const list = values.ListUnitPrice;
  const currency = values.PricingCurrency;
  if (provider === null || sku === null || unit === null) return null;
  if (typeof list !== 'string' || !PLAIN_PRICE.test(list)) return null;
  if (typeof currency !== 'string') return null;
  const code = currency.trim();
  if (!CURRENCY.test(code)) return null;
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
    if (t === null) return null;
    row[c] = t;
  }
  return row as PriceRow;
}
