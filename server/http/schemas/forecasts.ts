import { z } from 'zod';
import { quarterLabel } from '../../../models/fields.ts';
import { forecastJsonSchema } from '../../../models/forecast-json.ts';
import { FORECAST_ACTIONS, FORECAST_STATUSES } from '../../db/schema.ts';
import { reviewNote } from '../../services/forecasts/request.ts';
import { errorBodySchema } from '../errors.ts';
import { storedAssumptionsSchema, storedWarningsSchema } from './assumptions.ts';
import { paging } from './common.ts';

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
  createdByKey: z
    .uuid()
    .nullable()
    .describe(
      'the id of the key that created it: four eyes, that key may not approve or reject it (compare GET /v1/session `keyId`); null on forecasts stored before keys were recorded, where `createdBy` (the name) is compared instead',
    ),
  createdAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  submittedBy: z.string().nullable().describe('who submitted it for review; null before'),
  submittedAt: z.string().nullable(),
  revises: z.uuid().nullable().describe('the rejected forecast this draft revises'),
  revisedBy: z.uuid().nullable().describe('the draft that revises this rejected forecast'),
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

/**
 * The scenarios a forecast pinned, served as stored: the input rules of today
 * (`scenariosFileSchema`) are not re-applied on the way out; what they would refuse is listed
 * in `warnings`.
 */
const storedScenariosSchema = z
  .looseObject({
    scenarios: z.array(z.looseObject({ id: z.string(), name: z.string() })),
    sensitivity: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('the scenarios file the forecast used (see POST /v1/forecasts), as stored');

export const forecastDetailSchema = forecastSchema.extend({
  inputs: z.object({
    // As pinned: the input rules of today are not re-applied to a stored document.
    assumptions: storedAssumptionsSchema,
    scenarios: storedScenariosSchema.nullable(),
    warnings: storedWarningsSchema,
  }),
});

export const listForecastsQuerySchema = z.object({
  status: z
    .enum([...FORECAST_STATUSES, 'all'])
    .optional()
    .describe('default: approved for a viewer key, all for the other roles'),
  quarter: quarterLabel.optional(),
  ...paging(50, 500),
});

export const forecastListSchema = z.object({
  items: z.array(forecastSummarySchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

export const workbookQuerySchema = z.object({
  locale: z.enum(['en', 'fr']).default('en'),
  against: z
    .union([z.literal('previous'), z.uuid()])
    .optional()
    .describe(
      'add the Changes sheet: the variance bridge from this forecast id, or from `previous` (the latest approved forecast of the quarter before); without it, no Changes sheet',
    ),
});

/** The body of submit: an optional note. */
export const submitBodySchema = z
  .strictObject({ note: reviewNote.optional() })
  .nullish()
  .describe('an optional note');

/** The body of reject: the note saying why, required. */
export const rejectBodySchema = z
  .strictObject({ note: reviewNote.min(1, { error: 'must not be empty' }) })
  .describe('why it is rejected (required)');

/** The body of approve: an optional note, and the acknowledgement its blockers need. */
export const approveBodySchema = z
  .strictObject({
    note: reviewNote.optional(),
    acknowledge: z
      .strictObject({ reason: z.string().trim().min(1, { error: 'must not be empty' }).max(2000) })
      .optional()
      .describe(
        'required when the forecast used stale or unreviewed price sheets: why it is approved all the same (recorded in its history and on the workbook)',
      ),
  })
  .nullish()
  .describe('an optional note; `acknowledge` when the forecast has blockers');

export const approvalBlockerSchema = z.object({
  sheetId: z.string(),
  quarter: z.string().nullable().describe("the sheet's as-of quarter"),
  reason: z
    .enum(['stale', 'unreviewed'])
    .describe(
      "stale: older than the forecast's staleness threshold allows; unreviewed: not accepted in a price-sheet review",
    ),
});

/** A 409 of approve: `blockers` when an acknowledgement is required. */
export const approveConflictSchema = z.object({
  error: errorBodySchema.shape.error.extend({
    blockers: z
      .array(approvalBlockerSchema)
      .optional()
      .describe('with acknowledgement_required: what the acknowledgement must cover'),
  }),
});

export const forecastEventSchema = z.object({
  id: z.int().describe('events are numbered in the order they were written'),
  at: z.string(),
  actor: z.object({
    keyId: z.uuid().nullable().describe('null only on events backfilled from before history'),
    name: z.string(),
  }),
  action: z.enum(FORECAST_ACTIONS),
  from: z.enum(FORECAST_STATUSES).nullable(),
  to: z.enum(FORECAST_STATUSES),
  note: z.string().nullable(),
  acknowledgement: z
    .object({ reason: z.string(), blockers: z.array(approvalBlockerSchema) })
    .nullable()
    .describe('an approval of a forecast with blockers: the reason given and the blockers then'),
  backfilled: z
    .boolean()
    .describe('made by migration 0005 from a forecast stored before events were kept'),
});

export const forecastHistorySchema = z.object({
  forecastId: z.uuid(),
  events: z.array(forecastEventSchema).describe('oldest first'),
});

export const quarterParams = z.object({
  quarter: quarterLabel.describe('e.g. 2027-Q1'),
});

export const quarterForecastSchema = z.object({
  quarter: z.string(),
  forecast: forecastSummarySchema.describe(
    "the quarter's forecast: its latest approved one (by approval time)",
  ),
  supersedes: z
    .array(forecastSummarySchema)
    .describe('earlier approved forecasts of the quarter, latest approval first; still readable'),
  pending: z
    .array(forecastSummarySchema)
    .describe('forecasts of the quarter in draft or in review, newest first'),
});

/** The 404 of a quarter without an approved forecast: what is pending for it. */
export const quarterNotFoundSchema = z.object({
  error: errorBodySchema.shape.error.extend({
    pending: z
      .array(forecastSummarySchema)
      .optional()
      .describe('forecasts of the quarter in draft or in review, newest first'),
  }),
});

// The request bodies live with the service that reads them (services never import http/).
export {
  type ForecastRequest,
  forecastRequestSchema,
  forecastRequestShape,
  type ReviseRequest,
  reviseRequestSchema,
} from '../../services/forecasts/request.ts';
