import { z } from 'zod';
import { assumptionsSchema } from '../../../models/assumptions.ts';
import { paging } from './common.ts';

export const assumptionSetSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.int(),
  createdBy: z.string(),
  createdAt: z.string(),
});

const storedSkuRef = {
  provider: z.string(),
  skuId: z.string(),
  region: z.string().nullable().optional(),
};

/**
 * Assumptions as a stored document is served: the shape of {@link assumptionsSchema} without
 * its input rules (names normalised and visible, one provider listed once, bounds). A set
 * stored before a rule existed, or that migration 0004 left as it was (two spellings of one
 * provider), must stay readable as stored rather than fail the response with a 500; what
 * today's rules would refuse is said in `warnings`. Defaults fill what an older version did
 * not write.
 */
export const storedAssumptionsSchema = z
  .object({
    name: z.string(),
    startQuarter: z.string(),
    horizonQuarters: z.int(),
    fiscalYearStartMonth: z.int().default(1),
    reportingCurrency: z.string(),
    fx: z.record(z.string(), z.string()).default({}),
    budget: z.record(z.string(), z.string()).optional(),
    providers: z.array(z.object({ name: z.string(), jurisdiction: z.string() })).default([]),
    workloads: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        category: z.string(),
        ...storedSkuRef,
        unit: z.string(),
        baseQuantity: z.string(),
        growthPerQuarter: z.string(),
        efficiency: z.string(),
        fallback: z.object(storedSkuRef).nullable().optional(),
      }),
    ),
  })
  .describe('the assumptions as stored (the shape of the request body, its rules not re-applied)');

/** What today's rules would refuse in a stored document, one line each; absent when nothing. */
export const storedWarningsSchema = z
  .array(z.string())
  .optional()
  .describe(
    'what the current input rules would refuse in this stored document (stored before the rule existed); it is served as stored',
  );

export const assumptionSetSchema = assumptionSetSummarySchema.extend({
  assumptions: storedAssumptionsSchema,
  warnings: storedWarningsSchema,
});

export const listAssumptionsQuerySchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  ...paging(50, 500),
});

export const assumptionSetListSchema = z.object({
  items: z.array(assumptionSetSummarySchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

/** What a workbook upload read (POST /v1/assumptions with an XLSX body or form). */
export const workbookReadSchema = z
  .object({
    fileName: z.string(),
    sheet: z.string().describe('the sheet read back, e.g. "Inputs" or "Hypothèses"'),
    locale: z.enum(['en', 'fr']).describe('the language of its labels'),
    notes: z.array(z.string()).describe('what was read, and what a workbook does not carry back'),
  })
  .describe('present when the set was read from a workbook');

/** The stored set; with `workbook` when it was read from one. */
export const workbookSetSchema = assumptionSetSchema.extend({
  workbook: workbookReadSchema.optional(),
});

/** The multipart form of a workbook upload, for the OpenAPI document. */
export const workbookForm = z
  .object({
    file: z
      .string()
      .meta({ format: 'binary' })
      .describe('a costcast workbook (XLSX), or its Inputs sheet saved alone'),
    name: z.string().optional().describe('the assumption set (default: the model name on Inputs)'),
    fileName: z.string().optional().describe('the file name to report (printable text)'),
  })
  .describe('multipart/form-data with these fields');

/** A raw XLSX body, for the OpenAPI document. */
export const workbookBinary = z
  .string()
  .meta({ format: 'binary' })
  .describe('a costcast workbook (XLSX); name and fileName as query parameters');
