import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../models/model.ts';
import { money } from '../../models/money.ts';
import {
  DEFAULT_RANGES,
  monteCarloRanges,
  rangesSchema,
  resolveRanges,
} from '../../models/ranges.ts';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { grid, tornado } from '../../models/sensitivity.ts';
import { validate } from '../../models/validate.ts';
import { model } from './build.ts';
import { tinyAssumptions, tinySheet } from './tiny.ts';

const m = model(tinyAssumptions(), [tinySheet]);
const [onTime, delayed] = DEFAULT_SCENARIOS.map((s) => buildScenario(s, '2027-Q1')) as [
  ReturnType<typeof buildScenario>,
  ReturnType<typeof buildScenario>,
];

describe('tornado on the tiny model, on time (base total 2908.014462)', () => {
  const bars = tornado(m, onTime);
  const bar = (driver: string) => bars.find((b) => b.driver === driver)!;

  it('scales every unit price: 0.8 and 1.2 × the base total', () => {
    // 2908.014462 × 0.8 = 2326.4115696; × 1.2 = 3489.6173544
    expect(bar('basePrice').totalAtLow.toString()).toBe('2326.4115696');
    expect(bar('basePrice').totalAtHigh.toString()).toBe('3489.6173544');
    expect(money(bar('basePrice').swing)).toBe('1163.21');
  });

  it('scales every non-reporting FX rate: all prices are USD, so 0.9 and 1.1 × the total', () => {
    // 2908.014462 × 0.9 = 2617.2130158; × 1.1 = 3198.8159082
    expect(bar('fx').totalAtLow.toString()).toBe('2617.2130158');
    expect(bar('fx').totalAtHigh.toString()).toBe('3198.8159082');
  });

  it("scales each workload's own efficiency by 0.5 and 1.5 by default", () => {
    // chat at base efficiency 0.20 costs 2837.08728, storage at 0 costs 70.927182 (0 × any
    // scale is 0: storage never moves).
    // × 0.5: chat at 0.10 → × 0.9/0.8 = 3191.72319 → 3262.650372
    // × 1.5: chat at 0.30 → × 0.7/0.8 = 2482.45137 → 2553.378552
    expect(bar('efficiency')).toMatchObject({ mode: 'scale', low: '0.5', high: '1.5' });
    expect(bar('efficiency').totalAtLow.toString()).toBe('3262.650372');
    expect(bar('efficiency').totalAtHigh.toString()).toBe('2553.378552');
  });

  it('sets every efficiency to 0.40 and 0.20 when asked for a set range', () => {
    // At 0.40: chat × 0.6/0.8 = 2127.81546, storage × 0.6 = 42.5563092 → 2170.3717692
    // At 0.20: chat unchanged, storage × 0.8 = 56.7417456 → 2893.8290256
    const r = resolveRanges({ efficiency: { mode: 'set', low: '0.40', high: '0.20' } });
    const b = tornado(m, onTime, r).find((x) => x.driver === 'efficiency')!;
    expect(b.mode).toBe('set');
    expect(b.totalAtLow.toString()).toBe('2170.3717692');
    expect(b.totalAtHigh.toString()).toBe('2893.8290256');
  });

  it('caps a scaled efficiency at 1: the whole quantity removed, never a negative one', () => {
    // × 6: chat 0.20 → 1.2, capped at 1 → chat costs 0; storage (0) stays 70.927182
    const r = resolveRanges({ efficiency: { mode: 'scale', low: '6', high: '1' } });
    const b = tornado(m, onTime, r).find((x) => x.driver === 'efficiency')!;
    expect(b.totalAtLow.toString()).toBe('70.927182');
    expect(b.totalAtHigh.toString()).toBe('2908.014462');
  });

  it('moves the delay to 0 and base + 4 — on time, delay 4 puts the whole horizon in shortage', () => {
    expect(bar('delay').low).toBe('0');
    expect(bar('delay').high).toBe('4');
    expect(bar('delay').totalAtLow.toString()).toBe('2908.014462');
    // with delay 4 but premium 0 and availability 1 (on-time's own), every index is 1:
    // chat 9 × (80 + 88 + 96.8 + 106.48) = 3341.52; storage 18 × 4 = 72 → 3413.52
    expect(bar('delay').totalAtHigh.toString()).toBe('3413.52');
  });

  it('sorts bars by swing, largest first', () => {
    const swings = bars.map((b) => Number(b.swing.toString()));
    expect(swings).toEqual([...swings].sort((a, b) => b - a));
    expect(bars).toHaveLength(8);
  });

  it('uses overridden ranges', () => {
    const r = resolveRanges({ basePrice: { low: '0.5', high: '2' } });
    const b = tornado(m, onTime, r).find((x) => x.driver === 'basePrice')!;
    // 2908.014462 × 0.5 = 1454.007231; × 2 = 5816.028924
    expect([b.totalAtLow.toString(), b.totalAtHigh.toString()]).toEqual([
      '1454.007231',
      '5816.028924',
    ]);
  });
});

describe('efficiency ranges in the scenarios file', () => {
  const issues = (efficiency: unknown) => {
    const r = validate(rangesSchema, { efficiency });
    return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.message}`);
  };

  it('reads a range without a mode as the rate itself, as it always was', () => {
    expect(issues({ low: '0.40', high: '0.20' })).toEqual([]);
    expect(resolveRanges({ efficiency: { low: '0.40', high: '0.20' } }).efficiency).toEqual({
      id: 'efficiency',
      mode: 'set',
      low: '0.40',
      high: '0.20',
    });
    // a scale meant without saying so is caught: a rate of 1.5 is not an efficiency
    expect(issues({ low: '0.5', high: '1.5' })).toEqual([
      'efficiency.high: an efficiency must be < 1 (got 1.5); to scale each workload\'s own, add "mode": "scale"',
    ]);
    expect(issues({ mode: 'relative', low: '0.5', high: '1.5' })).toEqual([
      'efficiency.mode: must be "scale" (× each workload\'s own efficiency) or "set" (one rate for every workload)',
    ]);
  });

  it('keeps a set efficiency below 1 and a scale at or above 0', () => {
    expect(issues({ mode: 'set', low: '1', high: '0.2' })).toEqual([
      'efficiency.low: an efficiency must be < 1 (got 1); to scale each workload\'s own, add "mode": "scale"',
    ]);
    expect(issues({ mode: 'scale', low: '-0.5', high: '2' })).toEqual([
      'efficiency.low: must be ≥ 0 (got -0.5)',
    ]);
    expect(issues({ mode: 'scale', low: '0.5', high: '2' })).toEqual([]);
  });

  it('takes "monteCarlo" on a set range only', () => {
    expect(issues({ mode: 'set', low: '0.4', high: '0.2', monteCarlo: true })).toEqual([]);
    expect(issues({ mode: 'scale', low: '0.5', high: '1.5', monteCarlo: true })).toEqual([
      'efficiency.monteCarlo: applies to a "set" range only: a scale range always drives the Monte Carlo',
    ]);
  });

  it('draws a set efficiency in the Monte Carlo only when asked', () => {
    const set = resolveRanges({ efficiency: { mode: 'set', low: '0.40', high: '0.20' } });
    expect(monteCarloRanges(set).efficiency).toEqual(DEFAULT_RANGES.efficiency);
    expect(monteCarloRanges(set).growth).toBe(set.growth);
    const asked = resolveRanges({
      efficiency: { mode: 'set', low: '0.40', high: '0.20', monteCarlo: true },
    });
    expect(monteCarloRanges(asked).efficiency).toEqual({
      id: 'efficiency',
      mode: 'set',
      low: '0.40',
      high: '0.20',
      monteCarlo: true,
    });
  });
});

describe('forecast({ sensitivity: false })', () => {
  it('skips the tornado and the grid and changes nothing else', async () => {
    const { forecast } = await import('../../models/forecast.ts');
    const full = forecast(tinyAssumptions(), [tinySheet], { draws: 0 });
    const fast = forecast(tinyAssumptions(), [tinySheet], { draws: 0, sensitivity: false });
    if (!full.ok || !fast.ok) throw new Error('tiny model failed');
    expect(fast.value.json.sensitivity.tornado).toEqual([]);
    expect(fast.value.json.sensitivity.grid).toEqual([]);
    expect(fast.value.json.scenarios).toEqual(full.value.json.scenarios);
    expect(full.value.json.sensitivity.tornado).toHaveLength(16);
  });
});

describe('two-way grid', () => {
  it('holds the base totals where the grid meets the scenario', () => {
    const g = grid(m, delayed);
    expect(g.delays).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(g.multipliers).toEqual(['0.5', '0.75', '1', '1.25', '1.5']);
    expect(g.totals[4]![2]!.toString()).toBe('4181.653368');
    // delayed with delay 0 has no premium and full availability: the on-time total
    expect(g.totals[0]![2]!.toString()).toBe('2908.014462');
  });

  it('halves every decline at multiplier 0.5', () => {
    // on time, declines 5 % (llm) and 0.5 % (storage), index 1, 0.95, 0.9025, 0.857375 for chat:
    // chat 9 × (80 + 83.6 + 87.362 + 91.29329) = 9 × 342.25529 = 3080.29761
    // storage 18 × (1 + 0.995 + 0.990025 + 0.985074875) = 18 × 3.970099875 = 71.46179775
    const g = grid(m, onTime);
    expect(g.totals[0]![0]!.toString()).toBe('3151.75940775');
  });
});
