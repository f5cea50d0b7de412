import { z } from 'zod';
import { SHEET_KINDS } from './freshness.ts';

/** Amounts are decimal strings rounded to 2 places, half away from zero. */
const amount = z.string().describe('decimal string, 2 places');
const share = z.string().describe('decimal string, a fraction of 1');
const series = z.object({ total: amount, quarters: z.array(amount) });

const sheetKind = z.enum(SHEET_KINDS).describe('contract > provider > catalogue');
const priceSource = z.object({
  sheetId: z.string(),
  sheet: z.string(),
  kind: sheetKind,
  line: z.int().nullable(),
});

const spread = z.object({ p10: amount, p50: amount, p90: amount });

const drawnRange = z.object({
  driver: z.string(),
  mode: z.enum(['scale', 'set']),
  low: z.string(),
  base: z.string().nullable().describe("null: each workload's own value (a set efficiency)"),
  high: z.string(),
  symmetric: z.boolean(),
});

export const scenarioResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  parameters: z.object({
    delayQuarters: z.int(),
    priceDeclinePerQuarter: z.record(z.string(), z.string()),
    shortagePremium: z.string(),
    availability: z.string(),
    fallbackPremium: z.string(),
    providerAvailability: z.array(
      z.object({
        provider: z.string(),
        from: z.string(),
        to: z.string(),
        availability: z.string(),
      }),
    ),
  }),
  total: amount,
  byQuarter: z.array(z.object({ quarter: z.string(), fiscalQuarter: z.string(), total: amount })),
  byWorkload: z.array(
    z.object({
      workloadId: z.string(),
      name: z.string(),
      category: z.string(),
      provider: z.string(),
      fallbackProvider: z.string().nullable(),
      quarters: z.array(amount),
      total: amount,
    }),
  ),
  byCategory: z.record(z.string(), series),
  byProvider: z.record(z.string(), series),
  byFiscalYear: z.record(
    z.string(),
    z.object({
      total: amount,
      quarterCount: z.int(),
      complete: z.boolean(),
      budget: amount.nullable(),
      headroom: amount.nullable().describe('budget − total'),
    }),
  ),
});

export const forecastJsonSchema = z.object({
  name: z.string(),
  currency: z.string(),
  startQuarter: z.string(),
  asOfQuarter: z
    .string()
    .nullable()
    .describe(
      "the forecast's as-of quarter: the asOf asked for, else the quarter of generation; prices' age counts from it",
    ),
  staleAfterQuarters: z
    .int()
    .describe('a price sheet is stale when more than this many quarters older than asOfQuarter'),
  fiscalYearStartMonth: z.int(),
  quarters: z.array(z.string()),
  fiscalQuarters: z.array(z.string()),
  fiscalYears: z.array(z.string()),
  scenarios: z.array(scenarioResultSchema),
  sensitivity: z.object({
    ranges: z.array(
      z.object({
        driver: z.string(),
        mode: z.enum(['scale', 'set']),
        low: z.string(),
        high: z.string(),
      }),
    ),
    tornado: z.array(
      z.object({
        scenarioId: z.string(),
        driver: z.string(),
        mode: z.enum(['scale', 'set']),
        low: z.string(),
        high: z.string(),
        totalAtLow: amount,
        totalAtHigh: amount,
        swing: amount,
      }),
    ),
    grid: z.array(
      z.object({
        scenarioId: z.string(),
        delays: z.array(z.int()),
        multipliers: z.array(z.string()),
        totals: z.array(z.array(amount)),
      }),
    ),
  }),
  monteCarlo: z.object({
    draws: z.int(),
    seed: z.int(),
    ranges: z
      .array(
        z.object({
          driver: z.string(),
          mode: z.enum(['scale', 'set']),
          low: z.string(),
          high: z.string(),
        }),
      )
      .describe(
        "the ranges drawn: each driver triangular (low, base, high); a scale multiplies each instance of the input around its own value (base 1), a set draws the value itself around the scenario's",
      ),
    scenarios: z.array(
      z.object({
        id: z.string(),
        total: spread,
        byQuarter: z.array(spread.extend({ quarter: z.string() })),
        probabilityOverBudget: z.record(z.string(), share),
        forecast: amount.describe('the point forecast (the scenario total)'),
        shareBelowForecast: share.describe('share of draws whose total is below the forecast'),
        forecastPosition: z.enum(['below-p10', 'inside', 'above-p90']),
        ranges: z.array(drawnRange).describe("this scenario's ranges, a relative delay resolved"),
        skewedBy: z
          .array(drawnRange.extend({ effect: amount }))
          .describe(
            'drivers whose range is asymmetric around the base, largest effect first; effect = (total at low − forecast) + (total at high − forecast), each end alone as in the tornado: positive pushes the draws above the forecast',
          ),
      }),
    ),
  }),
  concentration: z.object({
    scenarioId: z.string(),
    byProvider: z.record(z.string(), share),
    byJurisdiction: z.record(z.string(), share),
    hhi: z.string(),
    scenarios: z.array(
      z.object({
        scenarioId: z.string(),
        byProvider: z.record(z.string(), share),
        byJurisdiction: z.record(z.string(), share),
        hhi: z.string(),
        jurisdictionHhi: z.string(),
        fallbackSpendByProvider: z.record(z.string(), amount),
      }),
    ),
  }),
  prices: z.array(
    z.object({
      provider: z.string(),
      skuId: z.string(),
      regionId: z.string().nullable(),
      unit: z.string(),
      currency: z.string(),
      listUnitPrice: z.string(),
      contractedUnitPrice: z.string().nullable(),
      fxRate: z.string(),
      unitPrice: z.string().describe('in the reporting currency, unrounded'),
      sheet: z.string(),
      kind: sheetKind,
      line: z.int().nullable(),
      asOf: z.string().nullable(),
      source: z.string().nullable(),
    }),
  ),
  priceSheets: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: sheetKind,
        asOfQuarter: z.string().nullable(),
        asOfDate: z.string().nullable().describe('the newest x_AsOf date of its rows'),
        ageQuarters: z.int().nullable().describe('quarters from asOfQuarter to the forecast’s'),
        stale: z.boolean().nullable(),
        rowsUsed: z.int(),
      }),
    )
    .describe('the price sheets that priced at least one workload'),
  workloadPrices: z
    .array(
      z.object({
        workloadId: z.string(),
        primary: priceSource,
        fallback: priceSource.nullable(),
      }),
    )
    .describe('which sheet and line priced each workload'),
  warnings: z.array(z.string()),
  adjust: z
    .object({ growth: z.string().optional(), efficiency: z.string().optional() })
    .optional()
    .describe(
      "only on a forecast computed with a what-if's `adjust`: the multipliers applied to every workload's growthPerQuarter and efficiency (the assumptions pinned are the adjusted ones)",
    ),
});
export type ForecastJson = z.infer<typeof forecastJsonSchema>;
