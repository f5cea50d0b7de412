import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DRAWS, DEFAULT_SEED, forecast } from '../../models/forecast.ts';
import type { Spread } from '../../models/monte-carlo.ts';
import { loadInputs } from '../../server/cli/load-inputs.ts';

/**
 * The Monte Carlo against an independent one in Python (tests/reference/monte_carlo.py):
 * its own MT19937 stream from the same seed, its own triangular draws, float projection and
 * PERCENTILE.INC, on the bundled fixtures read through the real parsers.
 */
interface Reference {
  readonly total: Spread;
  readonly byQuarter: readonly Spread[];
  readonly probabilityOverBudget: Record<string, number>;
  readonly shareBelowForecast: number;
  readonly forecast: number;
}

const reference = (dir: string, draws: number, seed: number): Record<string, Reference> =>
  JSON.parse(
    execFileSync('python3', ['tests/reference/monte_carlo.py', dir, String(draws), String(seed)], {
      encoding: 'utf8',
    }),
  );

/** Float sums in another order differ in the last bits only. */
const close = (actual: number, expected: number, what: string) =>
  expect(
    Math.abs(actual - expected) <= 1e-9 * Math.abs(expected),
    `${what}: ${actual} ≈ ${expected}`,
  ).toBe(true);

describe.each([
  ['bank-ma', DEFAULT_DRAWS, DEFAULT_SEED],
  ['tiny', 3000, 7],
])('fixtures/%s: %i draws, seed %i, against the Python reference', (name, draws, seed) => {
  const dir = join('fixtures', name);
  const prices =
    name === 'tiny'
      ? [join(dir, 'prices.csv')]
      : readdirSync(join(dir, 'prices')).map((f) => join(dir, 'prices', f));

  it("agrees on P10, P50 and P90 of every quarter and the horizon, budget overruns and the forecast's rank", async () => {
    const inputs = await loadInputs({
      assumptions: join(dir, 'assumptions.json'),
      prices,
      scenarios: join(dir, 'scenarios.json'),
    });
    if (!inputs.ok) throw new Error(JSON.stringify(inputs.issues));
    const { assumptions, sheets, scenarios } = inputs.value;
    const result = forecast(assumptions, sheets, {
      draws,
      seed,
      sensitivity: false,
      ...(scenarios ? { scenarios } : {}),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const expected = reference(dir, draws, seed);
    expect(result.value.monteCarlo.map((m) => m.id)).toEqual(Object.keys(expected));
    for (const [i, mc] of result.value.monteCarlo.entries()) {
      const ref = expected[mc.id]!;
      close(result.value.projections[i]!.total.toNumber(), ref.forecast, `${mc.id} forecast`);
      for (const p of ['p10', 'p50', 'p90'] as const) {
        close(mc.total[p], ref.total[p], `${mc.id} total ${p}`);
        for (const [t, q] of mc.byQuarter.entries())
          close(q[p], ref.byQuarter[t]![p], `${mc.id} quarter ${t} ${p}`);
      }
      // shares of draws: equal, unless one draw sits within float noise of the threshold
      expect(Object.keys(ref.probabilityOverBudget)).toEqual([...mc.probabilityOverBudget.keys()]);
      for (const [fy, share] of mc.probabilityOverBudget)
        expect(Math.abs(share - ref.probabilityOverBudget[fy]!)).toBeLessThanOrEqual(1 / draws);
      expect(Math.abs(mc.shareBelowForecast - ref.shareBelowForecast)).toBeLessThanOrEqual(
        1 / draws,
      );
    }
  }); // the suite's 300 s catches a hang; the Python draws take seconds, longer under load
});

describe('fixtures/bank-ma: the Monte Carlo centred on the forecast', () => {
  it('draws the delayed scenario, whose ranges are all symmetric, around its forecast; on time, a delay can only be late', async () => {
    const dir = join('fixtures', 'bank-ma');
    const inputs = await loadInputs({
      assumptions: join(dir, 'assumptions.json'),
      prices: readdirSync(join(dir, 'prices')).map((f) => join(dir, 'prices', f)),
      scenarios: join(dir, 'scenarios.json'),
    });
    if (!inputs.ok) throw new Error(JSON.stringify(inputs.issues));
    const { assumptions, sheets, scenarios } = inputs.value;
    const result = forecast(assumptions, sheets, scenarios ? { scenarios } : {});
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const mc = Object.fromEntries(result.value.json.monteCarlo.scenarios.map((s) => [s.id, s]));
    // delayed: delay 0…4…8, premium 0…0.15…0.30, availability 0.70…0.85…1 and every scale
    // around 1 — the median of each input is its base, and the total's median lands near
    // the forecast (interactions — a premium only while delayed — move it a little)
    const delayed = mc.delayed!;
    expect(delayed.skewedBy).toEqual([]);
    expect(Math.abs(Number(delayed.total.p50) / Number(delayed.forecast) - 1)).toBeLessThan(0.03);
    expect(Number(delayed.shareBelowForecast)).toBeGreaterThan(0.45);
    expect(Number(delayed.shareBelowForecast)).toBeLessThan(0.55);
    // on time: a delay drawn from 0…0…4 can only raise the cost, which is what skews it
    const onTime = mc['on-time']!;
    expect(onTime.skewedBy.map((d) => d.driver)).toEqual(['delay', 'premium', 'availability']);
    expect(Number(onTime.total.p50)).toBeGreaterThan(Number(onTime.forecast));
    expect(onTime.forecastPosition).toBe('inside');
  });
});
