import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import { buildScenario } from '../../models/model.ts';
import { DEFAULT_RANGES, resolveRanges } from '../../models/ranges.ts';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { drawnRanges, skewDrivers } from '../../models/skew.ts';
import { model } from './build.ts';
import { tinyAssumptions, tinySheet } from './tiny.ts';

const m = model(tinyAssumptions(), [tinySheet]);
const [onTime, delayed] = DEFAULT_SCENARIOS.map((s) => buildScenario(s, '2027-Q1')) as [
  ReturnType<typeof buildScenario>,
  ReturnType<typeof buildScenario>,
];

describe('the ranges the Monte Carlo draws', () => {
  it("resolves each range around the scenario's own base", () => {
    const show = (s: typeof onTime) =>
      drawnRanges(m, s, DEFAULT_RANGES).map(
        (r) => `${r.driver} ${r.mode} ${r.low}…${r.base}…${r.high} ${r.symmetric ? '=' : '≠'}`,
      );
    expect(show(onTime)).toEqual([
      'growth scale 0.5…1…1.5 =',
      'efficiency scale 0.5…1…1.5 =',
      'priceDecline scale 0.5…1…1.5 =',
      'delay set 0…0…4 ≠', // a delay cannot be negative
      'premium set 0…0…0.3 ≠',
      'availability set 0.7…1…1 ≠',
      'fx scale 0.9…1…1.1 =',
      'basePrice scale 0.8…1…1.2 =',
    ]);
    // delayed: delay 0…4…8, premium 0…0.15…0.30, availability 0.70…0.85…1 — all symmetric
    expect(drawnRanges(m, delayed, DEFAULT_RANGES).every((r) => r.symmetric)).toBe(true);
  });

  it('has no single base for a set efficiency unless every workload shares it', () => {
    const set = resolveRanges({ efficiency: { mode: 'set', low: '0.40', high: '0.20' } });
    const e = drawnRanges(m, onTime, set).find((r) => r.driver === 'efficiency')!;
    expect([e.base, e.symmetric]).toEqual([null, false]);
  });
});

describe('the drivers that skew the draws', () => {
  it('ranks the one-sided risks of the on-time scenario by their tornado effect', () => {
    // base 2908.014462; delay at 0 is the base, at 4 it is 3413.52 (sensitivity.test.ts):
    // effect 0 + (3413.52 − 2908.014462) = 505.505538. Premium and availability change
    // nothing alone on time (no quarter in shortage): effect 0, listed after.
    const skew = skewDrivers(m, onTime, DEFAULT_RANGES);
    expect(skew.map((d) => [d.driver, d.effect.toString()])).toEqual([
      ['delay', '505.505538'],
      ['premium', '0'],
      ['availability', '0'],
    ]);
    expect(skewDrivers(m, delayed, DEFAULT_RANGES)).toEqual([]);
  });

  it('names a scale range that leaves out 1, with the sum of its two tornado changes', () => {
    // basePrice × 1.1 … × 1.3: (1.1 − 1) + (1.3 − 1) = 0.4 × 2908.014462 = 1163.2057848
    const r = resolveRanges({ basePrice: { low: '1.1', high: '1.3' } });
    const d = skewDrivers(m, onTime, r)[0]!;
    expect([d.driver, d.effect.toString(), d.base?.toString()]).toEqual([
      'basePrice',
      '1163.2057848',
      '1',
    ]);
  });

  it('says in the forecast JSON where the point forecast falls and why', () => {
    const f = forecast(tinyAssumptions(), [tinySheet], { draws: 2000, seed: 5 });
    if (!f.ok) throw new Error('tiny failed');
    const [on, late] = f.value.json.monteCarlo.scenarios;
    expect(on!.forecast).toBe('2908.01');
    expect(on!.skewedBy.map((d) => d.driver)).toEqual(['delay', 'premium', 'availability']);
    expect(on!.skewedBy[0]).toMatchObject({ low: '0', base: '0', high: '4', effect: '505.51' });
    expect(late!.skewedBy).toEqual([]);
    expect(late!.ranges.find((r) => r.driver === 'delay')).toMatchObject({
      low: '0',
      base: '4',
      high: '8',
      symmetric: true,
    });
    expect(f.value.json.monteCarlo.ranges.find((r) => r.driver === 'efficiency')).toEqual({
      driver: 'efficiency',
      mode: 'scale',
      low: '0.5',
      high: '1.5',
    });
    // the position agrees with the percentiles and the share below the forecast
    for (const s of f.value.json.monteCarlo.scenarios) {
      const [x, p10, p90] = [s.forecast, s.total.p10, s.total.p90].map(Number) as [
        number,
        number,
        number,
      ];
      const expected = x < p10 ? 'below-p10' : x > p90 ? 'above-p90' : 'inside';
      expect(s.forecastPosition).toBe(expected);
      const share = Number(s.shareBelowForecast);
      if (expected === 'inside') expect(share >= 0.1 && share <= 0.9).toBe(true);
    }
  });
});
