import { z } from 'zod';
import { CATEGORIES, quarterLabel } from '../../../models/fields.ts';
import { SHEET_KINDS } from '../../../models/freshness.ts';

export const pricesQuerySchema = z.object({
  asOf: quarterLabel
    .optional()
    .describe(
      'the prices a forecast "as of" this quarter would use (default: the current quarter)',
    ),
  provider: z.string().trim().min(1).max(100).optional().describe('one provider (any case)'),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('only SKUs whose id or provider contains this text (any case)'),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('at most 500'),
});

export const catalogueItemSchema = z.object({
  provider: z.string(),
  skuId: z.string(),
  region: z.string().nullable(),
  unit: z.string().describe('the PricingUnit: a workload priced by this SKU must use it'),
  category: z.enum(CATEGORIES).describe('the workload category its ServiceCategory suggests'),
  serviceCategory: z.string().nullable(),
  description: z.string().nullable(),
  unitPrice: z
    .string()
    .describe('the contracted price when there is one, else the list price (decimal string)'),
  currency: z.string(),
  sheetId: z.uuid().describe('the version the price comes from'),
  sheetName: z.string(),
  sheetQuarter: z.string().nullable().describe('the as-of quarter of that version'),
  sheetKind: z.enum(SHEET_KINDS),
});

export const catalogueSchema = z.object({
  asOf: z.string(),
  items: z.array(catalogueItemSchema),
  total: z.int().describe('prices matching the query (items holds the first `limit`)'),
  limit: z.int(),
  ambiguous: z
    .int()
    .describe('SKUs left out: several different prices of the same kind, which price nothing'),
});
