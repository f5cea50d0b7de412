import { z } from 'zod';
import {
  BOUNDS,
  categorySchema,
  currencyCode,
  decimalString,
  horizon,
  providerName,
  quarterLabel,
  slug,
  text,
} from './fields.ts';
import { Decimal, decimalFromText } from './money.ts';

const skuRef = {
  provider: providerName(),
  skuId: text(200),
  region: text(100).nullable().optional(),
};

export const workloadSchema = z.strictObject({
  id: slug,
  name: text(),
  category: categorySchema,
  ...skuRef,
  unit: text(100),
  baseQuantity: decimalString({ min: '0', max: BOUNDS.maxBaseQuantity }),
  growthPerQuarter: decimalString({ gt: '-1', max: BOUNDS.maxGrowthPerQuarter }),
  efficiency: decimalString({ min: '0', lt: '1' }),
  fallback: z.strictObject(skuRef).nullable().optional(),
});
export type Workload = z.infer<typeof workloadSchema>;

export const providerSchema = z.strictObject({
  name: providerName(),
  jurisdiction: text(64),
});
export type Provider = z.infer<typeof providerSchema>;

/** Usage assumptions, exactly as docs/contracts.md names them. */
export const assumptionsSchema = z
  .strictObject({
    name: text(),
    startQuarter: quarterLabel,
    horizonQuarters: horizon,
    fiscalYearStartMonth: z
      .int({ error: 'must be a month number from 1 to 12' })
      .min(1, 'must be a month number from 1 to 12')
      .max(12, 'must be a month number from 1 to 12')
      .default(1),
    reportingCurrency: currencyCode,
    fx: z.record(currencyCode, decimalString({ gt: '0', max: BOUNDS.maxFx })).default({}),
    budget: z
      .record(
        z.string().regex(/^FY\d{4}$/, 'budget keys are fiscal years such as "FY2027"'),
        decimalString({ min: '0', max: BOUNDS.maxBudget }),
      )
      .optional(),
    providers: z.array(providerSchema).max(500).default([]),
    workloads: z.array(workloadSchema).min(1, 'needs at least one workload').max(5000),
  })
  .superRefine((a, ctx) => {
    // What the forecast will need: every quantity of the horizon stays a real number.
    const maxQ = new Decimal(BOUNDS.maxProjectedQuantity);
    a.workloads.forEach((w, i) => {
      const base = decimalFromText(w.baseQuantity);
      const g = decimalFromText(w.growthPerQuarter);
      if (!base || !g || g.lte(0) || g.gt(BOUNDS.maxGrowthPerQuarter)) return;
      if (base.gt(BOUNDS.maxBaseQuantity)) return;
      const last = base.times(g.plus(1).pow(a.horizonQuarters - 1));
      if (last.gt(maxQ))
        ctx.addIssue({
          code: 'custom',
          path: ['workloads', i, 'growthPerQuarter'],
          message: `grows ${w.baseQuantity} to ${last.toSignificantDigits(3).toExponential()} units by the last of ${a.horizonQuarters} quarters; at most ${BOUNDS.maxProjectedQuantity} (lower baseQuantity, growthPerQuarter or horizonQuarters)`,
        });
    });
    const seen = new Map<string, number>();
    a.workloads.forEach((w, i) => {
      const first = seen.get(w.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['workloads', i, 'id'],
          message: `duplicate workload id "${w.id}" (first used by workloads[${first}])`,
        });
      } else seen.set(w.id, i);
    });
    const names = new Map<string, number>();
    a.providers.forEach((p, i) => {
      const key = p.name.toLowerCase();
      if (names.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', i, 'name'],
          message: `provider "${p.name}" is listed twice`,
        });
      } else names.set(key, i);
    });
  });
export type Assumptions = z.infer<typeof assumptionsSchema>;
export type AssumptionsInput = z.input<typeof assumptionsSchema>;
