import { z } from 'zod';
import { EFFECTS } from '../../../models/variance.ts';
import { forecastSummarySchema } from './forecasts.ts';

const money = z.string().describe('an amount in the reporting currency, 2 places');
const effects = z.object(
  Object.fromEntries(EFFECTS.map((e) => [e, money])) as Record<
    (typeof EFFECTS)[number],
    typeof money
  >,
);

const closeSheetSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  quarter: z.string(),
  review: z.enum(['accepted', 'refused', 'unreviewed']).describe('its latest review'),
  reviewedBy: z.string().nullable(),
});

export const quarterCloseSchema = z
  .object({
    quarter: z.string(),
    ready: z
      .boolean()
      .describe(
        'nothing left: an approved forecast, every provider in use with an accepted sheet of the quarter, no stale sheet, nothing waiting for review',
      ),
    approved: forecastSummarySchema
      .nullable()
      .describe("the quarter's approved forecast (its latest approval), or null"),
    providers: z
      .array(
        z.object({
          provider: z.string(),
          problem: z
            .enum(['no_sheet', 'unreviewed'])
            .describe(
              'no_sheet: no version of the quarter lists the provider; unreviewed: none of them is accepted in review',
            ),
          sheets: z.array(closeSheetSchema).describe("the quarter's versions that list it"),
          forecasts: z.array(z.uuid()).describe("the quarter's forecasts that use it"),
        }),
      )
      .describe(
        "providers the quarter's forecasts use (fallbacks included) without a price-sheet version of the quarter accepted in review",
      ),
    staleSheets: z
      .array(
        z.object({
          sheetId: z.string(),
          name: z.string(),
          asOfQuarter: z.string().nullable(),
          ageQuarters: z.int().nullable(),
          forecasts: z.array(z.uuid()),
        }),
      )
      .describe("sheets the quarter's forecasts used that were stale for them"),
    awaitingReview: z.array(forecastSummarySchema).describe('submitted, waiting for a reviewer'),
    drafts: z.array(forecastSummarySchema).describe('not yet submitted'),
    variance: z
      .discriminatedUnion('available', [
        z.object({
          available: z.literal(true),
          against: z.object({ id: z.uuid(), name: z.string(), quarter: z.string() }),
          currency: z.string(),
          effects: z.array(z.enum(EFFECTS)).describe('the order of the effects'),
          scenarios: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              old: money,
              new: money,
              change: money,
              effects,
            }),
          ),
        }),
        z.object({
          available: z.literal(false),
          reason: z.enum(['no_approved', 'no_previous', 'unfit']),
          message: z.string(),
        }),
      ])
      .describe(
        "the bridge of each scenario's total from the previous quarter's approved forecast to this quarter's (GET /v1/forecasts/:id/variance has the workloads)",
      ),
  })
  .describe('what is left to close a quarter');
