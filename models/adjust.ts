import { z } from 'zod';
import { type Assumptions, assumptionsSchema } from './assumptions.ts';
import { decimalString } from './fields.ts';
import { Decimal, ONE } from './money.ts';
import { fail, type InputIssue, ok, type Result } from './result.ts';

/*
 * A what-if's adjustment of the assumptions: multipliers applied to every workload's
 * growthPerQuarter and efficiency before the projection — the "scale" meaning of the
 * tornado's growth and efficiency drivers (ranges.ts), as one value instead of a range. The
 * service applies it to the assumptions a request names; a stored forecast pins the adjusted
 * assumptions and records the adjustment (its warnings, its workbook's Summary).
 */

/** The largest multiplier: 10 × a growth or an efficiency is already far past any real case. */
export const MAX_ADJUST = '10';

/** `{ "growth": "1.2", "efficiency": "0.8" }`: × each workload's own value. */
export const adjustmentSchema = z
  .strictObject({
    growth: decimalString({ min: '0', max: MAX_ADJUST })
      .optional()
      .describe("× every workload's growthPerQuarter (1: unchanged)"),
    efficiency: decimalString({ min: '0', max: MAX_ADJUST })
      .optional()
      .describe("× every workload's efficiency (1: unchanged); each result must stay < 1"),
  })
  .describe(
    "multipliers of every workload's growthPerQuarter and efficiency, applied before the projection (the scale of the tornado's growth and efficiency drivers); a stored forecast pins the adjusted assumptions and says so in its warnings",
  );
export type Adjustment = z.infer<typeof adjustmentSchema>;

/**
 * The adjustment as it is recorded: its multipliers as written, those equal to 1 left out;
 * null when nothing is left (no adjustment at all).
 * @example effectiveAdjustment({ growth: '1.20', efficiency: '1' }) //=> { growth: '1.20' }
 */
export function effectiveAdjustment(a: Adjustment | undefined | null): Adjustment | null {
  if (!a) return null;
  const out: { growth?: string; efficiency?: string } = {};
  if (a.growth !== undefined && !new Decimal(a.growth).eq(ONE)) out.growth = a.growth;
  if (a.efficiency !== undefined && !new Decimal(a.efficiency).eq(ONE))
    out.efficiency = a.efficiency;
  return out.growth === undefined && out.efficiency === undefined ? null : out;
}

/** A product as a plain decimal string (never exponent notation, which the fields accept but read badly). */
const times = (value: string, by: string) => new Decimal(value).times(by).toFixed();

/**
 * Two adjustments one after the other, as one (what is recorded of a revision adjusted again):
 * each multiplier the product of both, a multiplier only one has as it was written, those
 * equal to 1 left out (`effectiveAdjustment`). Exact: decimal products, and × a then × b is
 * × (a × b).
 * @example composeAdjustments({ growth: '1.2' }, { growth: '1.5', efficiency: '0.8' })
 * //=> { growth: '1.8', efficiency: '0.8' }
 */
export function composeAdjustments(
  first: Adjustment | null,
  then: Adjustment | null,
): Adjustment | null {
  const both = (a: string | undefined, b: string | undefined) =>
    a === undefined ? b : b === undefined ? a : times(a, b);
  const growth = both(first?.growth, then?.growth);
  const efficiency = both(first?.efficiency, then?.efficiency);
  return effectiveAdjustment({
    ...(growth === undefined ? {} : { growth }),
    ...(efficiency === undefined ? {} : { efficiency }),
  });
}

/**
 * The assumptions with every workload's growthPerQuarter × `a.growth` and efficiency ×
 * `a.efficiency` (decimal arithmetic, exact), or the issues of the workloads the adjustment
 * takes out of bounds: an efficiency that reaches 1 (all of the quantity removed), a growth
 * past the bounds of assumptionsSchema (≤ −100 % or over +1 000 % a quarter, or a quantity
 * past 1e18 by the horizon's end). Issues are at `adjust.efficiency` / `adjust.growth`, the
 * multiplier as the value, the message naming the workload and the numbers, the path the
 * workload's field in the assumptions (where the CLI locates it in the file).
 * @example adjustAssumptions(a, { growth: '1.2' }) // workloads' growth 0.08 → "0.096"
 */
export function adjustAssumptions(
  assumptions: Assumptions,
  adjustment: Adjustment | null,
): Result<Assumptions> {
  if (!adjustment) return ok(assumptions);
  const { growth, efficiency } = adjustment;
  const issues: InputIssue[] = [];
  const workloads = assumptions.workloads.map((w, index) => {
    const g = growth === undefined ? w.growthPerQuarter : times(w.growthPerQuarter, growth);
    const e = efficiency === undefined ? w.efficiency : times(w.efficiency, efficiency);
    if (efficiency !== undefined && new Decimal(e).gte(ONE))
      issues.push({
        field: 'adjust.efficiency',
        path: ['workloads', index, 'efficiency'],
        value: efficiency,
        message: `workload "${w.id}": efficiency ${w.efficiency} × ${efficiency} = ${e}, must be < 1`,
      });
    return { ...w, growthPerQuarter: g, efficiency: e };
  });
  if (issues.length > 0) return fail(issues);
  const adjusted: Assumptions = { ...assumptions, workloads };
  if (growth === undefined) return ok(adjusted);
  // The growth bounds are the schema's (BOUNDS): checked again on the adjusted assumptions.
  const checked = assumptionsSchema.safeParse(adjusted);
  if (checked.success) return ok(adjusted);
  // A growth the stored set already had out of bounds (read as stored) is not the adjustment's.
  const before = new Set(
    (assumptionsSchema.safeParse(assumptions).error?.issues ?? []).map((i) => i.path.join('.')),
  );
  for (const issue of checked.error.issues) {
    if (before.has(issue.path.join('.'))) continue;
    const [where, index, field] = issue.path;
    if (where !== 'workloads' || typeof index !== 'number' || field !== 'growthPerQuarter')
      continue;
    const w = workloads[index];
    const original = assumptions.workloads[index];
    if (!w || !original) continue;
    issues.push({
      field: 'adjust.growth',
      path: ['workloads', index, 'growthPerQuarter'],
      value: growth,
      message: `workload "${w.id}": growthPerQuarter ${original.growthPerQuarter} × ${growth} = ${w.growthPerQuarter}: ${issue.message}`,
    });
  }
  // Anything else the schema refused was refused before the adjustment (a stored set as
  // stored): not the adjustment's doing, left to the engine as without one.
  return issues.length > 0 ? fail(issues) : ok(adjusted);
}
