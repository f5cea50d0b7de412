import fc from 'fast-check';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../models/model.ts';
import { Decimal } from '../../models/money.ts';
import {
  type DrawnInputs,
  monteCarlo,
  percentile,
  sampler,
  triangular,
  type Uniforms,
} from '../../models/monte-carlo.ts';
import { projectTotal } from '../../models/projection.ts';
import { DRIVER_IDS, resolveRanges } from '../../models/ranges.ts';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { assumptions, model, priceRow, scenario, sheet } from './build.ts';
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
    // low = high: every draw is the same model: each workload's own efficiency (× 1), delay 4,
    // premium 0.15, availability 0.85 — the delayed scenario's own values
    const point = (v: string) => ({ low: v, high: v });
    const ranges = resolveRanges({
      growth: point('1'),
      efficiency: { mode: 'scale', ...point('1') },
      priceDecline: point('1'),
      delay: point('4'),
      premium: point('0.15'),
      availability: point('0.85'),
      fx: point('1'),
      basePrice: point('1'),
    });
    const mc = monteCarlo(m, delayed, { draws: 50, seed: 1, ranges });
    const exact = projectTotal(m, delayed).toNumber();
    expect(mc.total.p10).toBeCloseTo(exact, 6);
    expect(mc.total.p90).toBeCloseTo(exact, 6);
  });

  it('replaces every efficiency by one global draw only with a set range asked for', () => {
    // set at the single point 0.2 with monteCarlo: true — chat's own 0.20, storage's 0 → 0.2
    const point = (v: string) => ({ low: v, high: v });
    const ranges = resolveRanges({
      growth: point('1'),
      efficiency: { mode: 'set', ...point('0.2'), monteCarlo: true },
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
    const p = mc.probabilityOverBudget.get('FY2027')!;
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThanOrEqual(1);
  });
});

describe('every input drawn around its own base', () => {
  const half = Object.fromEntries(DRIVER_IDS.map((id) => [id, 0.5])) as Uniforms;

  it('gives each workload its own efficiency at the median draw under the default ranges', () => {
    // tiny: chat 0.20, storage 0; the old default (set 0.40/0.20) drew chat at
    // triangular(0.5; 0.2, 0.2, 0.4) = 0.4 − √(0.5 × 0.2 × 0.2) ≈ 0.2586 and storage at the same
    const x = sampler(m, delayed)(half);
    expect([...x.efficiency]).toEqual([0.2, 0]);
    const old = resolveRanges({
      efficiency: { mode: 'set', low: '0.40', high: '0.20', monteCarlo: true },
    });
    const y = sampler(m, delayed, old)(half);
    expect(y.efficiency[0]).toBeCloseTo(0.4 - Math.sqrt(0.02), 12);
    expect(y.efficiency[1]).toBeCloseTo(0.4 - Math.sqrt(0.02), 12);
  });

  /** A decimal with 2 places in [0, max]. */
  const cents = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((n) => n / 100);
  const caseArb = fc.record({
    workloads: fc.array(
      fc.record({
        efficiency: cents(0.99),
        growth: cents(0.6).map((g) => Math.round((g - 0.1) * 100) / 100),
        price: cents(50).map((p) => p + 0.01),
        usd: fc.boolean(),
        fallback: fc.option(
          cents(50).map((p) => p + 0.01),
          { nil: undefined },
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    delay: fc.integer({ min: 0, max: 6 }),
    delaySpan: fc.integer({ min: 0, max: 6 }),
    premium: cents(0.5),
    premiumSpan: cents(0.5),
    availability: cents(1),
    availabilitySpan: cents(0.5),
    // growth, efficiency, priceDecline, fx, basePrice: 1 ± span
    spans: fc.tuple(cents(1), cents(1), cents(1), cents(0.5), cents(0.5)),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
  type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

  function build(c: Case) {
    const rows = c.workloads.flatMap((w, i) => [
      priceRow({
        SkuId: `p${i}`,
        ListUnitPrice: String(w.price),
        PricingCurrency: w.usd ? 'USD' : 'EUR',
      }),
      ...(w.fallback === undefined
        ? []
        : [
            priceRow({ ProviderName: 'Backup', SkuId: `f${i}`, ListUnitPrice: String(w.fallback) }),
          ]),
    ]);
    const a = assumptions(
      c.workloads.map((w, i) => ({
        skuId: `p${i}`,
        baseQuantity: '100',
        growthPerQuarter: String(w.growth),
        efficiency: String(w.efficiency),
        ...(w.fallback === undefined ? {} : { fallback: { provider: 'Backup', skuId: `f${i}` } }),
      })),
      { fx: { USD: '0.9' } },
    );
    const sc = scenario({
      delayQuarters: c.delay,
      shortagePremium: String(c.premium),
      availability: String(c.availability),
    });
    // symmetric around each base, within each driver's bounds
    const k = Math.min(c.delaySpan, c.delay);
    const ap = Math.min(c.availabilitySpan, c.availability, 1 - c.availability);
    const ab = (x: number) => String(Math.round(x * 100) / 100);
    const [g, e, d, fx, bp] = c.spans;
    const scale = (span: number) => ({ low: ab(1 - span), high: ab(1 + span) });
    const ranges = resolveRanges({
      growth: scale(g),
      efficiency: { mode: 'scale', ...scale(e) },
      priceDecline: scale(d),
      delay: { low: String(c.delay - k), high: `+${k}` },
      premium: { low: ab(c.premium - c.premiumSpan), high: ab(c.premium + c.premiumSpan) },
      availability: { low: ab(c.availability - ap), high: ab(c.availability + ap) },
      fx: scale(fx),
      basePrice: scale(bp),
    });
    return { model: model(a, [sheet(rows)]), scenario: sc, ranges };
  }

  /** Each drawn input beside its base, by name. */
  function inputs(x: DrawnInputs, c: Case, built: ReturnType<typeof build>) {
    const ws = built.model.workloads;
    const price = (p: (typeof ws)[number]['primary']) => p.nativePrice.times(p.fxRate).toNumber();
    return [
      ['declineScale', x.declineScale, 1],
      ['delay', x.delay, c.delay],
      ['premium', x.premium, c.premium],
      ['availability', x.availability, c.availability],
      ...ws.flatMap((w, i) => [
        [`efficiency ${i}`, x.efficiency[i]!, w.efficiency.toNumber()],
        [`growth ${i}`, x.growth[i]!, w.growthPerQuarter.toNumber()],
        [`price ${i}`, x.price[i]!, price(w.primary)],
        [`fallback price ${i}`, x.fallbackPrice[i]!, price(w.fallback ?? w.primary)],
      ]),
    ] as [string, number, number][];
  }

  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

  it('draws each input at its base for u = 0.5, its median, when every range is symmetric (fast-check)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const built = build(c);
        const x = sampler(built.model, built.scenario, built.ranges)(half);
        for (const [name, drawn, base] of inputs(x, c, built))
          expect(near(drawn, base), `${name}: ${drawn} ≠ ${base}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('puts at most half the draws of each input on either side of its base (fast-check)', () => {
    // the sample median of every input is its base: no more than half of 2 000 draws
    // (± 4 standard deviations, 0.045) lie strictly below it, nor strictly above
    fc.assert(
      fc.property(caseArb, (c) => {
        const built = build(c);
        const draw = sampler(built.model, built.scenario, built.ranges);
        const rng = mersenne(c.seed);
        const u = { ...half };
        const n = 2000;
        const below = new Map<string, number>();
        const above = new Map<string, number>();
        for (let d = 0; d < n; d++) {
          for (const id of DRIVER_IDS) u[id] = uniformFloat64(rng);
          for (const [name, drawn, base] of inputs(draw(u), c, built)) {
            if (!near(drawn, base) && drawn < base) below.set(name, (below.get(name) ?? 0) + 1);
            if (!near(drawn, base) && drawn > base) above.set(name, (above.get(name) ?? 0) + 1);
          }
        }
        for (const [name, k] of [...below, ...above])
          expect(k / n, `${name}: ${k} of ${n} draws on one side`).toBeLessThanOrEqual(0.545);
      }),
      // A statistical bound: with random cases it failed once in many runs (0.5455), so the
      // cases are drawn from a fixed seed and the test cannot fail by chance.
      { numRuns: 25, seed: 20270101 },
    );
  });
});
