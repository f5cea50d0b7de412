import { describe, expect, it } from 'vitest';
import {
  estimateCost,
  maxDrawsWithin,
  overBudgetMessage,
  SENSITIVITY_PROJECTIONS,
} from '../../../server/compute/cost.ts';

const bank = {
  workloads: 9,
  quarters: 8,
  scenarios: 3,
  draws: 0,
  sensitivity: false,
  workbook: false,
};
/** The request that held a worker for over 13 minutes in the hostile test of issue 13. */
const monster = {
  workloads: 1000,
  quarters: 40,
  scenarios: 20,
  draws: 100_000,
  sensitivity: true,
  workbook: false,
};

describe('the compute estimate', () => {
  it('counts 16 tornado ends (8 drivers) and 45 grid cells (9 delays × 5 multipliers) per scenario', () => {
    expect(SENSITIVITY_PROJECTIONS).toBe(61);
  });

  it('weighs the bank sample as worked out by hand', () => {
    // 9 workloads × 8 quarters × 3 scenarios = 216 workload-quarters.
    // what-if: 400 × 216 = 86 400
    expect(estimateCost(bank).units).toBe(86_400);
    // stored forecast: + sensitivity 50 × 61 × 216 = 658 800
    //                  + Monte Carlo 10 000 × 3 × (72 + 8 × 9 + 4 × 8 + 300) = 14 280 000
    const stored = estimateCost({ ...bank, draws: 10_000, sensitivity: true });
    expect(stored).toEqual({
      units: 15_025_200,
      exact: 86_400,
      sensitivity: 658_800,
      monteCarlo: 14_280_000,
      workbook: 0,
    });
    // its workbook: + 20 000 000 + 3 000 × 216 = 20 648 000
    expect(estimateCost({ ...bank, draws: 10_000, sensitivity: true, workbook: true }).units).toBe(
      35_673_200,
    );
  });

  it('puts the monster of issue 13 at about 50 times the default budget, with no draw count that would fit', () => {
    // cells 1000 × 40 × 20 = 800 000; exact 400 × 800 000 = 320 000 000;
    // sensitivity 50 × 61 × 800 000 = 2 440 000 000 (over 2e9 on its own);
    // Monte Carlo 100 000 × 20 × (40 000 + 8 000 + 160 + 300) = 96 920 000 000.
    const cost = estimateCost(monster);
    expect(cost.units).toBe(99_680_000_000);
    expect(maxDrawsWithin(monster, 2e9)).toBe(0);
    expect(overBudgetMessage(monster, cost, 2e9)).toBe(
      'this request needs about 50 times the compute one request may use (20 scenarios × 1000 workloads × 40 quarters, 100000 Monte Carlo draws, sensitivity: 99680000000 units, limit 2000000000, COSTCAST_COMPUTE_BUDGET); to stay under it, ask for fewer scenarios, workloads or quarters',
    );
  });

  it('gives the most draws that fit when some would', () => {
    const big = { ...monster, workloads: 200, scenarios: 4 };
    // cells 200 × 40 × 4 = 32 000: exact 12 800 000, sensitivity 50 × 61 × 32 000 = 97 600 000;
    // per draw 4 × (8 000 + 1 600 + 160 + 300) = 40 240; 100 000 draws: 4 024 000 000.
    const cost = estimateCost(big);
    expect(cost.units).toBe(4_134_400_000);
    // (2e9 − 110 400 000) / 40 240 = 46 958.2…
    expect(maxDrawsWithin(big, 2e9)).toBe(46_958);
    expect(overBudgetMessage(big, cost, 2e9)).toBe(
      'this request needs about 2.1 times the compute one request may use (4 scenarios × 200 workloads × 40 quarters, 100000 Monte Carlo draws, sensitivity: 4134400000 units, limit 2000000000, COSTCAST_COMPUTE_BUDGET); to stay under it, ask for at most 46958 draws, or fewer scenarios, workloads or quarters',
    );
  });

  it('grows with every factor', () => {
    const base = estimateCost({ ...bank, draws: 100, sensitivity: true, workbook: true }).units;
    for (const more of [{ workloads: 10 }, { quarters: 9 }, { scenarios: 4 }, { draws: 101 }])
      expect(
        estimateCost({ ...bank, draws: 100, sensitivity: true, workbook: true, ...more }).units,
      ).toBeGreaterThan(base);
  });
});
