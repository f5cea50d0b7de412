import { z } from 'zod';
import { currencyCode, decimalString, providerName, text } from './fields.ts';
import type { SheetKind } from './freshness.ts';

const optionalText = (max = 500) => z.string().trim().max(max).optional();

/**
 * One price row, with FinOps FOCUS column names. Prices are canonical decimal strings: the
 * parsers turn "1 250,50" or "1,250.50" into "1250.50" before this schema sees them.
 * `x_Source` and `x_AsOf` are FOCUS-style custom columns for provenance.
 */
export const priceRowSchema = z.object({
  ProviderName: providerName(),
  SkuId: text(200),
  PricingUnit: text(100),
  ListUnitPrice: decimalString({ min: '0' }),
  PricingCurrency: currencyCode,
  ContractedUnitPrice: decimalString({ min: '0' }).optional(),
  ServiceCategory: optionalText(100),
  ServiceName: optionalText(200),
  RegionId: optionalText(100),
  PricingCategory: optionalText(100),
  Description: optionalText(1000),
  x_Source: optionalText(1000),
  x_AsOf: optionalText(40),
});
export type PriceRow = z.infer<typeof priceRowSchema>;

/** Every column a price sheet may carry, required ones first. */
export const PRICE_COLUMNS = Object.keys(priceRowSchema.shape) as readonly (keyof PriceRow)[];
export const REQUIRED_PRICE_COLUMNS: readonly (keyof PriceRow)[] = [
  'ProviderName',
  'SkuId',
  'PricingUnit',
  'ListUnitPrice',
  'PricingCurrency',
];

/** A validated price sheet: where it came from, and its rows with their source lines. */
export interface PriceSheet {
  /** A stable identifier: the stored version id, or the file name for the CLI. */
  readonly id: string;
  /** What a person calls it: the file name. */
  readonly name: string;
  /** The as-of quarter of the sheet, when known (`2026-Q3`). */
  readonly asOfQuarter?: string;
  /** Contract, provider price list or catalogue: which wins (see freshness.ts); default provider. */
  readonly kind?: SheetKind;
  readonly rows: readonly PriceRow[];
  /** `lines[i]` is the 1-based line (or record number) of `rows[i]` in the file. */
  readonly lines?: readonly number[];
}
