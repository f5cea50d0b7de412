import { describe, expect, it } from 'vitest';
import {
  adjustAssumptions,
  adjustmentSchema,
  composeAdjustments,
  effectiveAdjustment,
} from '../../models/adjust.ts';
import type { Assumptions } from '../../models/assumptions.ts';
import { forecast } from '../../models/forecast.ts';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { tinyAssumptions, tinySheet } from './tiny.ts';

/*
 * The tiny model by hand (tests/models/tiny.ts), on time: chat 100 × (1 + g)^t × (1 − e) units
 * at 10 USD × 0.9 = 9 EUR, its price × 0.9^t (LLM decline 10 %); storage 1000 GB at 0.02 USD
 * × 0.9 = 0.018 EUR, growth 0 and efficiency 0, declining 1 % a quarter:
 *   storage = 18 × (1 + 0.99 + 0.9801 + 0.970299) = 18 × 3.940399 = 70.927182, whatever the
 *   multipliers (0 × anything is 0).
 */
const adjusted = (a: Assumptions, adjust: Parameters<typeof adjustAssumptions>[1]) => {
  const r = adjustAssumptions(a, adjust);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const onTimeTotal = (a: Assumptions, extra = {}) => {
  const f = forecast(a, [tinySheet], { draws: 0, scenarios: [DEFAULT_SCENARIOS[0]!], ...extra });
  if (!f.ok) throw new Error(JSON.stringify(f.issues));
  return f.value;
};

describe('adjustAssumptions: × every workload’s growth and efficiency, in decimals', () => {
  it('multiplies exactly and writes plain decimals', () => {
    const a = adjusted(tinyAssumptions(), { growth: '1.2', efficiency: '0.8' });
    // chat: growth 0.10 × 1.2 = 0.12, efficiency 0.20 × 0.8 = 0.16; storage 0 × … = 0
    expect(a.workloads.map((w) => [w.id, w.growthPerQuarter, w.efficiency])).toEqual([
      ['chat', '0.12', '0.16'],
      ['store', '0', '0'],
    ]);
    // no floating point: 0.1 × 3 is 0.3, not 0.30000000000000004
    expect(adjusted(tinyAssumptions(), { growth: '3' }).workloads[0]?.growthPerQuarter).toBe('0.3');
    // the rest untouched, the input not mutated
    const original = tinyAssumptions();
    const copy = structuredClone(original);
    adjusted(original, { growth: '2' });
    expect(original).toEqual(copy);
  });

  it('leaves the assumptions alone without an adjustment', () => {
    const a = tinyAssumptions();
    expect(adjustAssumptions(a, null)).toEqual({ ok: true, value: a });
  });

  it('refuses an efficiency that reaches 1, naming the workload and the numbers', () => {
    // chat 0.20 × 5 = 1.00: all of its quantity removed — not a forecast
    expect(adjustAssumptions(tinyAssumptions(), { efficiency: '5' })).toEqual({
      ok: false,
      issues: [
        {
          field: 'adjust.efficiency',
          path: ['workloads', 0, 'efficiency'],
          value: '5',
          message: 'workload "chat": efficiency 0.20 × 5 = 1, must be < 1',
        },
      ],
    });
    // 0.20 × 4.99 = 0.998 stays below 1
    expect(adjustAssumptions(tinyAssumptions(), { efficiency: '4.99' }).ok).toBe(true);
  });

  it('refuses a growth the adjustment takes past the bounds of the assumptions', () => {
    // chat 0.10 × 200 = 20: over +1 000 % a quarter
    expect(adjustAssumptions(tinyAssumptions(), { growth: '200' })).toMatchObject({
      ok: false,
      issues: [
        {
          field: 'adjust.growth',
          path: ['workloads', 0, 'growthPerQuarter'],
          value: '200',
          message: 'workload "chat": growthPerQuarter 0.10 × 200 = 20: must be ≤ 10 (got 20)',
        },
      ],
    });
    // a shrinking workload: −0.5 × 2.5 = −1.25, below −100 %
    const shrinking = tinyAssumptions();
    shrinking.workloads[0]!.growthPerQuarter = '-0.5';
    expect(adjustAssumptions(shrinking, { growth: '2.5' })).toMatchObject({
      ok: false,
      issues: [
        {
          field: 'adjust.growth',
          message: 'workload "chat": growthPerQuarter -0.5 × 2.5 = -1.25: must be > -1 (got -1.25)',
        },
      ],
    });
  });

  it('records only the multipliers that change something', () => {
    expect(effectiveAdjustment(undefined)).toBeNull();
    expect(effectiveAdjustment({ growth: '1', efficiency: '1.00' })).toBeNull();
    expect(effectiveAdjustment({ growth: '1.20', efficiency: '1' })).toEqual({ growth: '1.20' });
  });

  it('composes two adjustments into one: products, one-sided multipliers as written', () => {
    // 1.2 × 1.5 = 1.8; efficiency only in the second: as written
    expect(composeAdjustments({ growth: '1.2' }, { growth: '1.5', efficiency: '0.80' })).toEqual({
      growth: '1.8',
      efficiency: '0.80',
    });
    // 1.25 × 0.8 = 1: nothing left
    expect(composeAdjustments({ growth: '1.25' }, { growth: '0.8' })).toBeNull();
    expect(composeAdjustments(null, null)).toBeNull();
    expect(composeAdjustments({ efficiency: '0.5' }, null)).toEqual({ efficiency: '0.5' });
    // × a then × b is × (a × b), exactly: 0.10 × 1.3 = 0.13, × 0.7 = 0.091 = 0.10 × 0.91
    const a = tinyAssumptions();
    const first = adjustAssumptions(a, { growth: '1.3' });
    if (!first.ok) throw new Error('× 1.3 is in bounds');
    const twice = adjustAssumptions(first.value, { growth: '0.7' });
    const once = adjustAssumptions(a, composeAdjustments({ growth: '1.3' }, { growth: '0.7' }));
    if (!once.ok) throw new Error('× 0.91 is in bounds');
    expect(once.value.workloads[0]!.growthPerQuarter).toBe('0.091');
    expect(twice).toEqual(once);
  });

  it('takes multipliers from 0 to 10 as decimal strings', () => {
    expect(adjustmentSchema.safeParse({ growth: '0', efficiency: '10' }).success).toBe(true);
    expect(adjustmentSchema.safeParse({ growth: '-0.1' }).success).toBe(false);
    expect(adjustmentSchema.safeParse({ growth: 1.2 }).success).toBe(false);
    expect(adjustmentSchema.safeParse({ delay: '1' }).success).toBe(false);
  });
});

describe('the forecast of adjusted assumptions, by hand', () => {
  it('efficiency × 0.5 is the tornado’s efficiency low (the same "scale")', () => {
    // chat at 0.10: 100 × 0.9 × 9 = 810 × (1.1 × 0.9)^t = 810 × 0.99^t
    //   = 810 + 801.9 + 793.881 + 785.94219 = 3191.72319; + storage = 3262.650372
    const f = onTimeTotal(adjusted(tinyAssumptions(), { efficiency: '0.5' }));
    expect(f.projections[0]?.total.toString()).toBe('3262.650372');
    const base = onTimeTotal(tinyAssumptions(), { sensitivity: true });
    const bar = base.tornado.find((b) => b.driver === 'efficiency');
    expect(bar?.totalAtLow.toString()).toBe('3262.650372');
  });

  it('growth × 2 and efficiency × 0.5, and the tornado moved accordingly', () => {
    // growth × 2: chat 0.20, cost 720 × (1.2 × 0.9)^t = 720 × 1.08^t
    //   = 720 + 777.6 + 839.808 + 906.99264 = 3244.40064; + storage = 3315.327822
    const g = onTimeTotal(adjusted(tinyAssumptions(), { growth: '2' }), { sensitivity: true });
    expect(g.projections[0]?.total.toString()).toBe('3315.327822');
    // its tornado's growth high is 1.5 × the adjusted 0.20 = 0.30: 720 × 1.17^t
    //   = 720 + 842.4 + 985.608 + 1153.16136 = 3701.16936; + storage = 3772.096542
    expect(g.tornado.find((b) => b.driver === 'growth')?.totalAtHigh.toString()).toBe(
      '3772.096542',
    );
    // both: chat 100 × 0.9 × 9 = 810 × 1.08^t = 810 + 874.8 + 944.784 + 1020.36672
    //   = 3649.95072; + storage = 3720.877902
    const both = onTimeTotal(adjusted(tinyAssumptions(), { growth: '2', efficiency: '0.5' }));
    expect(both.projections[0]?.total.toString()).toBe('3720.877902');
  });

  it('says so in the forecast JSON: its adjust and a warning', () => {
    const adjustment = { growth: '1.2', efficiency: '0.8' };
    const f = onTimeTotal(adjusted(tinyAssumptions(), adjustment), { adjustment });
    expect(f.json.adjust).toEqual(adjustment);
    expect(f.json.warnings).toContain(
      "growth × 1.2, efficiency × 0.8 applied as what-if multipliers: each workload's growthPerQuarter and efficiency multiplied before the projection (the assumptions shown are the adjusted ones)",
    );
    // without one, no `adjust` at all (the JSON of every other forecast is as it was)
    expect('adjust' in onTimeTotal(tinyAssumptions()).json).toBe(false);
  });
});
