import { z } from 'zod';
import { quarterLabel } from '../../../models/fields.ts';
import { SHEET_KINDS } from '../../../models/freshness.ts';
import { priceRowSchema } from '../../../models/price-sheet.ts';
import { SHEET_REVIEW_DECISIONS } from '../../db/schema.ts';
import { paging } from './common.ts';

export const sheetReviewDecision = z.enum(SHEET_REVIEW_DECISIONS);

/** A version's latest review, beside its freshness. */
export const sheetReviewStateSchema = z
  .object({
    status: sheetReviewDecision,
    by: z.string().describe('the reviewer key’s name'),
    at: z.string().describe('when (ISO)'),
    note: z.string().nullable(),
  })
  .nullable()
  .describe('its latest review (a later one supersedes an earlier); null when never reviewed');

export const sheetSummarySchema = z.object({
  id: z.uuid(),
  quarter: z.string().describe('the as-of quarter'),
  fileName: z.string(),
  format: z.enum(['csv', 'json', 'litellm', 'xlsx']),
  mediaType: z.string().nullable(),
  sha256: z.string(),
  byteSize: z.int(),
  providers: z.array(z.string()),
  rowCount: z.int(),
  skipped: z.int().describe('catalogue entries left out: not models, or no token prices'),
  notes: z.array(z.string()),
  uploadedBy: z.string(),
  uploadedByKey: z
    .uuid()
    .nullable()
    .describe(
      'the id of the key that uploaded it: four eyes, that key may not review it (compare GET /v1/session `keyId`); null on versions stored before keys were recorded, where `uploadedBy` (the name) is compared instead',
    ),
  uploadedAt: z.string(),
  kind: z
    .enum(SHEET_KINDS)
    .describe(
      'which sheet wins a SKU: contract > provider (price list) > catalogue, then the newest',
    ),
  asOf: z.string().describe('the as-of quarter of its prices'),
  ageRelativeTo: z.string().describe('the quarter ages count to: the current one, or ?asOf='),
  ageQuarters: z.int().describe('whole quarters from asOf to ageRelativeTo'),
  staleAfterQuarters: z.int().describe('COSTCAST_STALE_AFTER_QUARTERS'),
  stale: z.boolean().describe('ageQuarters > staleAfterQuarters'),
  review: sheetReviewStateSchema,
});

export const uploadResultSchema = sheetSummarySchema.extend({
  duplicate: z.boolean().describe('true: an identical file was already stored; nothing new was'),
  message: z
    .string()
    .optional()
    .describe(
      'with duplicate: true, what happened, e.g. that the stored version is for another quarter than the one asked for',
    ),
});

const ageQuarter = quarterLabel
  .optional()
  .describe('count ages and staleness to this quarter (default: the current quarter)');

export const listSheetsQuerySchema = z.object({
  provider: z.string().trim().min(1).max(100).optional(),
  quarter: quarterLabel.optional(),
  asOf: ageQuarter,
  ...paging(50, 500),
});

export const sheetListSchema = z.object({
  items: z.array(sheetSummarySchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

export const rowsQuerySchema = z.object({ asOf: ageQuarter, ...paging(100, 1000) });

export const listedRowSchema = priceRowSchema.extend({ line: z.int() });

export const sheetWithRowsSchema = sheetSummarySchema.extend({
  rows: z.array(listedRowSchema),
  limit: z.int(),
  offset: z.int(),
});

export const diffQuerySchema = z.object({
  from: z.uuid().describe('the older version'),
  to: z.uuid().describe('the newer version'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('entries per list'),
});

const diffSide = z.object({
  line: z.int(),
  ListUnitPrice: z.string(),
  ContractedUnitPrice: z.string().nullable(),
  PricingUnit: z.string(),
  PricingCurrency: z.string(),
});

const diffEntry = z.object({
  ProviderName: z.string(),
  SkuId: z.string(),
  RegionId: z.string().nullable(),
  PricingCategory: z.string().nullable(),
  from: diffSide.nullable(),
  to: diffSide.nullable(),
  unitPriceChangePct: z
    .string()
    .nullable()
    .describe(
      '% change of the price used (contracted, else list), 2 places; null if not comparable',
    ),
  listUnitPriceChangePct: z.string().nullable(),
});

export const diffSchema = z.object({
  from: sheetSummarySchema,
  to: sheetSummarySchema,
  counts: z.object({ added: z.int(), removed: z.int(), changed: z.int(), unchanged: z.int() }),
  added: z.array(diffEntry),
  removed: z.array(diffEntry),
  changed: z.array(diffEntry),
  limit: z.int(),
});

/** A review of a version: accepted or refused, with a note (required when refusing). */
export const sheetReviewBodySchema = z
  .strictObject({
    decision: sheetReviewDecision.describe('accepted or refused'),
    note: z.string().trim().max(2000).optional().describe('why; required when refusing'),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'refused' && !b.note)
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'a refusal needs a note saying why',
      });
  });

export const sheetReviewSchema = z.object({
  decision: sheetReviewDecision,
  by: z.string().describe('the reviewer key’s name'),
  at: z.string().describe('when (ISO)'),
  note: z.string().nullable(),
});

export const sheetReviewListSchema = z.object({
  items: z.array(sheetReviewSchema).describe('oldest first; the last is the version’s state'),
});

// The upload's query lives with the service that reads it (services never import http/).
export { uploadQuerySchema } from '../../services/price-sheets/upload-query.ts';
