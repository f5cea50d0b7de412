import { z } from 'zod';
import { CATEGORIES } from '../../../models/fields.ts';
import { EFFECTS } from '../../../models/variance.ts';
import { FORECAST_STATUSES } from '../../db/schema.ts';

/** GET /v1/forecasts/:id/variance?against= */
export const varianceQuerySchema = z.object({
  against: z
    .uuid({ error: 'must be a UUID' })
    .optional()
    .describe(
      "the old forecast's id; default: the latest approved forecast of the quarter before this forecast's",
    ),
});

/** Arrays as the models' readonly types have them. */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const amount = z.string().describe('decimal string, 2 places');
const exact = z.string().describe('decimal string, unrounded');
const effects = (value: z.ZodString) =>
  z.object(
    Object.fromEntries(EFFECTS.map((e) => [e, value])) as Record<
      (typeof EFFECTS)[number],
      z.ZodString
    >,
  );

const bridgeLine = {
  old: amount.describe("the old forecast's total, 2 places (0.00 when absent)"),
  new: amount,
  change: amount.describe('new − old of the rounded totals'),
  effects: effects(amount).describe(
    'per effect, the difference of the rounded totals before and after its step: they add up to change exactly',
  ),
  exact: z
    .object({ old: exact, new: exact, change: exact, effects: effects(exact) })
    .describe('the same unrounded; the effects add up to change exactly'),
};

const price = z.object({
  provider: z.string(),
  skuId: z.string(),
  regionId: z.string().nullable(),
  currency: z.string(),
  nativePrice: z.string(),
  fxRate: z.string(),
  unitPrice: z.string().describe('in the reporting currency'),
  sheet: z.string(),
  line: z.int().nullable(),
});
const workloadPrices = z
  .object({
    category: z.enum(CATEGORIES),
    unit: z.string(),
    primary: price,
    fallback: price.nullable(),
  })
  .nullable();

const side = z.object({
  name: z.string(),
  startQuarter: z.string(),
  horizonQuarters: z.int(),
  quarters: list(z.string()),
  workloads: z.int(),
  scenarios: list(z.object({ id: z.string(), name: z.string() })),
});

/** models/variance.ts `Variance`. */
export const varianceSchema = z.object({
  currency: z.string(),
  effects: list(z.enum(EFFECTS)).describe(
    'the order of the steps: removed, horizon, volume, price, fx, scenario, new (docs/model.md "Variance")',
  ),
  old: side,
  new: side,
  scenarios: list(
    z.object({
      id: z.string(),
      name: z.string(),
      oldName: z.string(),
      total: z.object(bridgeLine),
      workloads: list(
        z.object({
          workloadId: z.string(),
          name: z.string(),
          status: z
            .enum(['continuing', 'removed', 'new', 'replaced'])
            .describe('replaced: in both, but its unit changed (bridged as removed and new)'),
          prices: z.object({ old: workloadPrices, new: workloadPrices }),
          ...bridgeLine,
        }),
      ),
      changedParameters: list(z.string()),
      parameterChanges: list(z.object({ parameter: z.string(), old: z.string(), new: z.string() })),
    }),
  ),
  unmatchedScenarios: list(
    z.object({
      id: z.string(),
      name: z.string(),
      side: z.enum(['old', 'new']),
      total: amount,
    }),
  ).describe('scenarios only one forecast has (matched by id): not bridged'),
  fxChanges: list(
    z.object({ currency: z.string(), old: z.string().nullable(), new: z.string().nullable() }),
  ),
});

const named = z.object({
  id: z.string(),
  name: z.string(),
  quarter: z.string(),
  status: z.enum(FORECAST_STATUSES),
});

export const forecastVarianceSchema = z.object({
  forecast: named.describe('the new forecast'),
  against: named
    .extend({ chosenBy: z.enum(['against', 'previous-quarter-approved']) })
    .describe('the old forecast'),
  variance: varianceSchema,
});
