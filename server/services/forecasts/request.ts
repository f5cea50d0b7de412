import { z } from 'zod';
import { adjustmentSchema } from '../../../models/adjust.ts';
import { assumptionsSchema } from '../../../models/assumptions.ts';
import { quarterLabel } from '../../../models/fields.ts';
import { MAX_STALE_AFTER_QUARTERS } from '../../../models/freshness.ts';
import { MAX_DRAWS } from '../../../models/monte-carlo.ts';
import { scenariosFileSchema } from '../../../models/scenarios.ts';

/*
 * The bodies of POST /v1/forecasts, POST /v1/what-if and POST /v1/forecasts/:id/revise: the
 * service reads them, the routes validate them (server/http/schemas/forecasts.ts re-exports
 * them for the OpenAPI document).
 */

/** A review note (submit, approve, reject, revise). */
export const reviewNote = z.string().trim().max(2000);

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
    adjust: adjustmentSchema.optional(),
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

/**
 * The body of revise: what changes from the rejected forecast's pinned inputs; anything
 * left out is taken from them.
 */
export const reviseRequestSchema = z
  .strictObject({
    name: forecastRequestShape.name,
    assumptions: forecastRequestShape.assumptions,
    assumptionsId: forecastRequestShape.assumptionsId,
    priceSheetIds: forecastRequestShape.priceSheetIds,
    asOf: forecastRequestShape.asOf,
    scenarios: forecastRequestShape.scenarios,
    draws: forecastRequestShape.draws,
    seed: forecastRequestShape.seed,
    staleAfterQuarters: forecastRequestShape.staleAfterQuarters,
    adjust: adjustmentSchema
      .optional()
      .describe(
        "multipliers of every workload's growthPerQuarter and efficiency in the assumptions the revision is computed from: the rejected forecast's pinned ones, already adjusted when it was computed with `adjust` (× 1.2 then × 1.5 is recorded as × 1.8), or the body's",
      ),
    note: reviewNote.optional().describe('what the revision changes (recorded in its history)'),
  })
  .superRefine((b, ctx) => {
    if (b.assumptions !== undefined && b.assumptionsId !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['assumptions'],
        message: 'give exactly one of "assumptions" (inline) and "assumptionsId"',
      });
    if (b.priceSheetIds && new Set(b.priceSheetIds).size !== b.priceSheetIds.length)
      ctx.addIssue({
        code: 'custom',
        path: ['priceSheetIds'],
        message: 'lists a price sheet twice',
      });
  })
  .nullish()
  .describe(
    "overrides of the rejected forecast's inputs; without a body, the same inputs (prices chosen again as of its quarter when it took the newest prices)",
  );
export type ReviseRequest = NonNullable<z.infer<typeof reviseRequestSchema>>;
