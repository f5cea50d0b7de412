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
    // what-if: 300 × 216 = 64 800
    expect(estimateCost(bank).units).toBe(64_800);
    // stored forecast: + sensitivity 22 × 61 × 216 = 289 872
    //                  + Monte Carlo 10 000 × 3 × (72 + 8 × 9 + 4 × 8) = 5 280 000
    const stored = estimateCost({ ...bank, draws: 10_000, sensitivity: true });
    expect(stored).toEqual({
      units: 5_634_672,
      exact: 64_800,
      sensitivity: 289_872,
      monteCarlo: 5_280_000,
      workbook: 0,
    });
    // its workbook: + 20 000 000 + 3 000 × 216 = 20 648 000
    expect(estimateCost({ ...bank, draws: 10_000, sensitivity: true, workbook: true }).units).toBe(
      26_282_672,
    );
  });

  it('puts the monster of issue 13 at about 49 times the default budget, 712 draws being the most that fit', () => {
    // cells 1000 × 40 × 20 = 800 000; exact 300 × 800 000 = 240 000 000;
    // sensitivity 22 × 61 × 800 000 = 1 073 600 000;
    // Monte Carlo 100 000 × 20 × (40 000 + 8 000 + 160) = 96 320 000 000.
    const cost = estimateCost(monster);
    expect(cost.units).toBe(97_633_600_000);
    // (2e9 − 1 313 600 000) / 963 200 = 712.6…
    expect(maxDrawsWithin(monster, 2e9)).toBe(712);
    const message = overBudgetMessage(monster, cost, 2e9);
    expect(message).toBe(
      'this request needs about 49 times the compute one request may use (20 scenarios × 1000 workloads × 40 quarters, 100000 Monte Carlo draws, sensitivity: 97633600000 units, limit 2000000000, COSTCAST_COMPUTE_BUDGET); to stay under it, ask for at most 712 draws, or fewer scenarios, workloads or quarters',
    );
  });

  it('gives no draw count when even no draws would be over, and grows with every factor', () => {
    const huge = { ...monster, draws: 10, scenarios: 20, workloads: 10_000 };
    expect(maxDrawsWithin(huge, 2e9)).toBe(0);
    expect(overBudgetMessage(huge, estimateCost(huge), 2e9)).toMatch(
      /to stay under it, ask for fewer scenarios, workloads or quarters$/,
    );
    const base = estimateCost({ ...bank, draws: 100, sensitivity: true, workbook: true }).units;
    for (const more of [{ workloads: 10 }, { quarters: 9 }, { scenarios: 4 }, { draws: 101 }])
      expect(
        estimateCost({ ...bank, draws: 100, sensitivity: true, workbook: true, ...more }).units,
      ).toBeGreaterThan(base);
  });
});
