import { describe, expect, it } from 'vitest';
import { assumptionsSchema } from '../../models/assumptions.ts';
import { scenarioSchema } from '../../models/scenarios.ts';
import { tinyAssumptions } from './tiny.ts';

/** The tiny model as JSON input, its first workload changed. */
function input(change: Record<string, unknown>, top: Record<string, unknown> = {}) {
  const a = JSON.parse(JSON.stringify(tinyAssumptions()));
  a.workloads[0] = { ...a.workloads[0], ...change };
  return { ...a, ...top };
}

const messages = (r: ReturnType<typeof assumptionsSchema.safeParse>) =>
  r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('inputs bounded to what a real model can mean (issue 13)', () => {
  it('accepts the bounds themselves', () => {
    // 1e15 units growing 0 % stays 1e15 ≤ 1e18 over 40 quarters.
    expect(
      messages(
        assumptionsSchema.safeParse(
          input({ baseQuantity: '1e15', growthPerQuarter: '0' }, { horizonQuarters: 40 }),
        ),
      ),
    ).toEqual([]);
    // 1 unit × 11^(4 − 1) = 1331 units at growth 10 (+1000 %).
    expect(messages(assumptionsSchema.safeParse(input({ growthPerQuarter: '10' })))).toEqual([]);
    expect(messages(assumptionsSchema.safeParse(input({}, { startQuarter: '2999-Q4' })))).toEqual(
      [],
    );
  });

  it('refuses each input past its bound, naming the field', () => {
    expect(messages(assumptionsSchema.safeParse(input({ baseQuantity: '1.000001e15' })))).toEqual([
      'workloads.0.baseQuantity: must be ≤ 1e15 (got 1.000001e15)',
    ]);
    expect(messages(assumptionsSchema.safeParse(input({ growthPerQuarter: '9e99' })))).toEqual([
      'workloads.0.growthPerQuarter: must be ≤ 10 (got 9e99)',
    ]);
    expect(messages(assumptionsSchema.safeParse(input({}, { startQuarter: '9999-Q4' })))).toEqual([
      'startQuarter: must be a quarter from 1970-Q1 to 2999-Q4',
    ]);
    expect(messages(assumptionsSchema.safeParse(input({}, { fx: { USD: '1e99' } })))).toEqual([
      'fx.USD: must be ≤ 1000000000 (got 1e99)',
    ]);
  });

  it('refuses at save time a horizon whose quantities outgrow 1e18', () => {
    // 1e9 × (1 + 1)^(40 − 1) = 1e9 × 549 755 813 888 ≈ 5.50e20 > 1e18.
    const r = assumptionsSchema.safeParse(
      input({ baseQuantity: '1e9', growthPerQuarter: '1' }, { horizonQuarters: 40 }),
    );
    expect(messages(r)).toEqual([
      'workloads.0.growthPerQuarter: grows 1e9 to 5.5e+20 units by the last of 40 quarters; at most 1e18 (lower baseQuantity, growthPerQuarter or horizonQuarters)',
    ]);
    // 1e9 × 2^29 = 5.37e17 ≤ 1e18 over 30 quarters.
    expect(
      messages(
        assumptionsSchema.safeParse(
          input({ baseQuantity: '1e9', growthPerQuarter: '1' }, { horizonQuarters: 30 }),
        ),
      ),
    ).toEqual([]);
  });

  it('bounds the shortage and fallback premiums at +10 000 %', () => {
    const s = { id: 's', name: 'S', delayQuarters: 0 };
    expect(scenarioSchema.safeParse({ ...s, shortagePremium: '100' }).success).toBe(true);
    const r = scenarioSchema.safeParse({ ...s, shortagePremium: '1e99', fallbackPremium: '101' });
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      ['shortagePremium: must be ≤ 100 (got 1e99)', 'fallbackPremium: must be ≤ 100 (got 101)'],
    );
  });
});
