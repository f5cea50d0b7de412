import { z } from 'zod';
import { assumptionsSchema } from '../../../models/assumptions.ts';
import { quarterLabel } from '../../../models/fields.ts';
import { forecastJsonSchema } from '../../../models/forecast-json.ts';
import { MAX_STALE_AFTER_QUARTERS } from '../../../models/freshness.ts';
import { MAX_DRAWS } from '../../../models/monte-carlo.ts';
import { scenariosFileSchema } from '../../../models/scenarios.ts';
import { FORECAST_STATUSES } from '../../db/schema.ts';
import { storedAssumptionsSchema, storedWarningsSchema } from './assumptions.ts';
import { paging } from './common.ts';

/** The body of POST /v1/forecasts and POST /v1/what-if. */
export const forecastRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional().describe('defaults to the assumptions name'),
    assumptions: assumptionsSchema.optional().describe('inline assumptions, as in the CLI file'),
    assumptionsId: z.uuid().optional().describe('a stored assumption set instead'),
    priceSheetIds: z.array(z.uuid()).min(1).max(100).optional().describe('price-sheet versions'),
    asOf: quarterLabel
      .optional()
      .describe(
        "price every SKU and region of the providers used from the versions uploaded for this quarter or before, by precedence (contract > provider price list > catalogue) then newest (when priceSheetIds is absent); also the forecast's as-of quarter (default: the quarter of generation)",
      ),
    scenarios: scenariosFileSchema
      .optional()
      .describe('as in the CLI scenarios file; default on-time and delayed'),
    draws: z
      .int()
      .min(0)
      .max(MAX_DRAWS)
      .optional()
      .describe('Monte Carlo draws per scenario (forecasts: default 10 000; what-if: default 0)'),
    seed: z.int().min(0).max(2_147_483_647).optional(),
    staleAfterQuarters: z
      .int()
      .min(0)
      .max(MAX_STALE_AFTER_QUARTERS)
      .optional()
      .describe(
        "a price sheet is stale when its as-of quarter is more than this many quarters before the forecast's (default COSTCAST_STALE_AFTER_QUARTERS, else 1)",
      ),
    sensitivity: z
      .boolean()
      .optional()
      .describe('the tornado and the grid (forecasts: always computed; what-if: default false)'),
  })
  .superRefine((b, ctx) => {
    if ((b.assumptions === undefined) === (b.assumptionsId === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['assumptions'],
        message: 'give exactly one of "assumptions" (inline) and "assumptionsId"',
      });
    if (b.priceSheetIds === undefined && b.asOf === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['priceSheetIds'],
        message:
          'give "priceSheetIds", or "asOf" to use the newest prices uploaded for that quarter or before',
      });
    if (b.priceSheetIds && new Set(b.priceSheetIds).size !== b.priceSheetIds.length)
      ctx.addIssue({
        code: 'custom',
        path: ['priceSheetIds'],
        message: 'lists a price sheet twice',
      });
  });
export type ForecastRequest = z.infer<typeof forecastRequestSchema>;
/** The body's fields one by one, to read what is valid of a body that is not. */
export const forecastRequestShape = forecastRequestSchema.shape;

export const forecastSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  quarter: z
    .string()
    .describe(
      "the forecast's as-of quarter: asOf when given, else the quarter it was generated in",
    ),
  staleAfterQuarters: z.int().describe('the staleness threshold the forecast used'),
  status: z.enum(FORECAST_STATUSES),
  currency: z.string(),
  totals: z.array(z.object({ scenarioId: z.string(), name: z.string(), total: z.string() })),
  assumptionsId: z.uuid().nullable(),
  priceSheets: z.array(
    z.object({
      id: z.uuid(),
      providers: z.array(z.string()).nullable().describe('the providers taken from it; null: all'),
    }),
  ),
  priceSelection: z
    .enum(['listed', 'latest'])
    .describe(
      '"listed": every row of the listed sheets (priceSheetIds); "latest": each SKU and region at its newest price as of `quarter` (asOf), the sheets listed newest first',
    ),
  draws: z.int(),
  seed: z.int(),
  generatedAt: z.string(),
  engineVersion: z.string(),
  inputHash: z.string().describe('sha256 of the pinned inputs'),
  createdBy: z.string(),
  createdAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  sourceReviews: z
    .array(
      z.object({
        sheetId: z.uuid(),
        quarter: z.string().describe("the sheet's as-of quarter"),
        status: z.enum(['accepted', 'refused', 'unreviewed']),
        by: z.string().nullable().describe('who reviewed it; null when unreviewed'),
        at: z.string().nullable().describe('when (ISO); null when unreviewed'),
        note: z.string().nullable(),
      }),
    )
    .nullable()
    .describe(
      'the review state of each price sheet the forecast used, when it was created (its latest review then); null on forecasts made before reviews were recorded: their sheets count as unreviewed',
    ),
});

export const forecastSchema = forecastSummarySchema.extend({ forecast: forecastJsonSchema });

export const forecastDetailSchema = forecastSchema.extend({
  inputs: z.object({
    // As pinned: the input rules of today are not re-applied to a stored document.
    assumptions: storedAssumptionsSchema,
    scenarios: scenariosFileSchema.nullable(),
    warnings: storedWarningsSchema,
  }),
});

export const listForecastsQuerySchema = z.object({
  status: z.enum(FORECAST_STATUSES).optional(),
  quarter: quarterLabel.optional(),
  ...paging(50, 500),
});

export const forecastListSchema = z.object({
  items: z.array(forecastSummarySchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

export const workbookQuerySchema = z.object({ locale: z.enum(['en', 'fr']).default('en') });

export const reviewBodySchema = z
  .strictObject({ note: z.string().trim().max(2000).optional() })
  .nullish()
  .describe('an optional review note');
