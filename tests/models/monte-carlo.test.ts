import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../models/model.ts';
import { Decimal } from '../../models/money.ts';
import { monteCarlo, percentile, triangular } from '../../models/monte-carlo.ts';
import { projectTotal } from '../../models/projection.ts';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { resolveRanges } from '../../models/sensitivity.ts';
import { model } from './build.ts';
import { tinyAssumptions, tinySheet } from './tiny.ts';

const m = model(tinyAssumptions(), [tinySheet]);
const delayed = buildScenario(DEFAULT_SCENARIOS[1]!, '2027-Q1');

describe('triangular and percentile', () => {
  it('inverts the triangular CDF', () => {
    // on [0, 2] with mode 1: F(x) = x²/2 below the mode, so u = 0.125 → x = 0.5
    expect(triangular(0.5, 0, 1, 2)).toBe(1);
    expect(triangular(0.125, 0, 1, 2)).toBeCloseTo(0.5, 12);
    expect(triangular(0.875, 0, 1, 2)).toBeCloseTo(1.5, 12);
    expect(triangular(0.3, 4, 4, 4)).toBe(4);
  });

  it('interpolates like Excel PERCENTILE.INC', () => {
    // PERCENTILE.INC({1,2,3,4}, 0.1) = 1.3; 0.5 → 2.5; 0.9 → 3.7
    expect(percentile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
  });
});

describe('Monte Carlo', () => {
  it('gives the same draws for the same seed and different ones for another', () => {
    const a = monteCarlo(m, delayed, { draws: 500, seed: 7 });
    const b = monteCarlo(m, delayed, { draws: 500, seed: 7 });
    const c = monteCarlo(m, delayed, { draws: 500, seed: 8 });
    expect(b).toEqual(a);
    expect(c.total.p50).not.toBe(a.total.p50);
  });

  it('collapses to the decimal engine when every range is a single point', () => {
    // low = high: every draw is the same model; efficiency set to 0.2 for both workloads,
    // delay 4, premium 0.15, availability 0.85 — the delayed scenario's own values
    const point = (v: string) => ({ low: v, high: v });
    const ranges = resolveRanges({
      growth: point('1'),
      efficiency: point('0.2'),
      priceDecline: point('1'),
      delay: point('4'),
      premium: point('0.15'),
      availability: point('0.85'),
      fx: point('1'),
      basePrice: point('1'),
    });
    const mc = monteCarlo(m, delayed, { draws: 50, seed: 1, ranges });
    const exact = projectTotal(m, delayed, { efficiency: new Decimal('0.2') }).toNumber();
    expect(mc.total.p10).toBeCloseTo(exact, 6);
    expect(mc.total.p90).toBeCloseTo(exact, 6);
  });

  it('orders P10 ≤ P50 ≤ P90 and counts budget overruns', () => {
    const mc = monteCarlo(m, delayed, { draws: 2000, seed: 3 });
    expect(mc.total.p10).toBeLessThanOrEqual(mc.total.p50);
    expect(mc.total.p50).toBeLessThanOrEqual(mc.total.p90);
    for (const q of mc.byQuarter) expect(q.p10).toBeLessThanOrEqual(q.p90);
    // the delayed tiny model costs 4181.65 against a 3000 budget: most draws overrun
    const p = mc.exceedBudget.get('FY2027')!;
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThanOrEqual(1);
  });
});
