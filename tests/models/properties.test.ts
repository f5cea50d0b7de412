import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../models/fields.ts';
import { Decimal, sum, ZERO } from '../../models/money.ts';
import { monteCarlo } from '../../models/monte-carlo.ts';
import { project, projectTotal } from '../../models/projection.ts';
import { assumptions, model, priceRow, scenario, sheet } from './build.ts';

/** A decimal string with up to `places` decimals in [0, max]. */
const decimalText = (max: number, places: number) =>
  fc
    .integer({ min: 0, max: max * 10 ** places })
    .map((n) => new Decimal(n).dividedBy(10 ** places).toString());

const workloadArb = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  baseQuantity: decimalText(100_000, 3),
  growthPerQuarter: decimalText(50, 2).map((g) =>
    new Decimal(g).minus('0.1').dividedBy(100).toString(),
  ),
  efficiency: decimalText(60, 2).map((e) => new Decimal(e).dividedBy(100).toString()),
  price: decimalText(100, 6),
  fallbackPrice: fc.option(decimalText(100, 6), { nil: undefined }),
  provider: fc.constantFrom('Acme', 'Backup', 'Third'),
});

const modelArb = fc.record({
  workloads: fc.array(workloadArb, { minLength: 1, maxLength: 5 }),
  horizon: fc.integer({ min: 1, max: 12 }),
  fiscalYearStartMonth: fc.integer({ min: 1, max: 12 }),
});

type ModelCase = typeof modelArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: ModelCase) {
  const rows = c.workloads.flatMap((w, i) => [
    priceRow({ ProviderName: w.provider, SkuId: `p${i}`, ListUnitPrice: w.price }),
    ...(w.fallbackPrice === undefined
      ? []
      : [priceRow({ ProviderName: 'Fallback', SkuId: `f${i}`, ListUnitPrice: w.fallbackPrice })]),
  ]);
  const a = assumptions(
    c.workloads.map((w, i) => ({
      id: `w${i}`,
      category: w.category,
      provider: w.provider,
      skuId: `p${i}`,
      baseQuantity: w.baseQuantity,
      growthPerQuarter: w.growthPerQuarter,
      efficiency: w.efficiency,
      ...(w.fallbackPrice === undefined
        ? {}
        : { fallback: { provider: 'Fallback', skuId: `f${i}` } }),
    })),
    { horizonQuarters: c.horizon, fiscalYearStartMonth: c.fiscalYearStartMonth },
  );
  return model(a, [sheet(rows)]);
}

const scenarioArb = fc.record({
  delayQuarters: fc.integer({ min: 0, max: 12 }),
  decline: decimalText(30, 3).map((d) => new Decimal(d).dividedBy(100).toString()),
  shortagePremium: decimalText(50, 2).map((d) => new Decimal(d).dividedBy(100).toString()),
  availability: decimalText(100, 2).map((d) => new Decimal(d).dividedBy(100).toString()),
  fallbackPremium: decimalText(50, 2).map((d) => new Decimal(d).dividedBy(100).toString()),
});
type ScenarioCase = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
const toScenario = (s: ScenarioCase, over: Partial<ScenarioCase> = {}) => {
  const v = { ...s, ...over };
  return scenario({
    delayQuarters: v.delayQuarters,
    priceDeclinePerQuarter: Object.fromEntries(CATEGORIES.map((c) => [c, v.decline])),
    shortagePremium: v.shortagePremium,
    availability: v.availability,
    fallbackPremium: v.fallbackPremium,
  });
};

describe('engine invariants (fast-check)', () => {
  it('adds every breakdown up exactly to the total', () => {
    fc.assert(
      fc.property(modelArb, scenarioArb, (c, s) => {
        const p = project(build(c), toScenario(s));
        const total = p.total;
        expect(sum(p.byQuarter).eq(total)).toBe(true);
        expect(sum(p.workloads.map((w) => w.total)).eq(total)).toBe(true);
        expect(sum([...p.byCategory.values()].flat()).eq(total)).toBe(true);
        expect(sum([...p.byProvider.values()].flat()).eq(total)).toBe(true);
        expect(sum(p.byFiscalYear.values()).eq(total)).toBe(true);
        p.byQuarter.forEach((q, t) => {
          expect(sum(p.workloads.map((w) => w.cost[t]!)).eq(q)).toBe(true);
        });
        // the horizon totals kept beside the series are their sums
        for (const [c, xs] of p.byCategory) expect(p.categoryTotals.get(c)!.eq(sum(xs))).toBe(true);
        for (const [k, xs] of p.byProvider) expect(p.providerTotals.get(k)!.eq(sum(xs))).toBe(true);
        for (const w of p.workloads) expect(w.fallbackTotal.eq(sum(w.fallback))).toBe(true);
        // projectTotal sums unrounded cells; project() holds each part to 12 places first
        const parts = p.workloads.length * p.byQuarter.length * 2;
        const gap = projectTotal(build(c), toScenario(s)).minus(total).abs();
        expect(gap.lte(new Decimal('5e-13').times(parts))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('holds each cell part to the formula of docs/model.md worked out in 200 digits, within half a unit of the 12th place', () => {
    // The formula straight from the case's inputs, in a 200-digit clone: nothing is rounded
    // here, so the engine's 34-digit products and its order of multiplication are checked.
    const Exact = Decimal.clone({ precision: 200 });
    const bound = new Exact('5e-13').plus('1e-20');
    fc.assert(
      fc.property(modelArb, scenarioArb, (c, s) => {
        const p = project(build(c), toScenario(s));
        c.workloads.forEach((w, i) => {
          const series = p.workloads[i]!;
          for (let t = 0; t < c.horizon; t++) {
            const quantity = new Exact(w.baseQuantity)
              .times(new Exact(1).plus(w.growthPerQuarter).pow(t))
              .times(new Exact(1).minus(w.efficiency));
            const index =
              t < s.delayQuarters
                ? new Exact(1).plus(s.shortagePremium)
                : new Exact(1).minus(s.decline).pow(t - s.delayQuarters);
            const served = t < s.delayQuarters ? new Exact(s.availability) : new Exact(1);
            const primary = quantity.times(served).times(w.price).times(index);
            const fallback = quantity
              .times(new Exact(1).minus(served))
              .times(w.fallbackPrice ?? w.price)
              .times(new Exact(1).plus(s.fallbackPremium))
              .times(index);
            expect(primary.minus(series.primary[t]!.toString()).abs().lte(bound)).toBe(true);
            expect(fallback.minus(series.fallback[t]!.toString()).abs().lte(bound)).toBe(true);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('equals on time when delay is 0, premium 0 and availability 1', () => {
    fc.assert(
      fc.property(modelArb, scenarioArb, (c, s) => {
        const m = build(c);
        const onTime = scenario({
          priceDeclinePerQuarter: Object.fromEntries(CATEGORIES.map((k) => [k, s.decline])),
        });
        const neutral = toScenario(s, {
          delayQuarters: 0,
          shortagePremium: '0',
          availability: '1',
        });
        expect(project(m, neutral).total.eq(project(m, onTime).total)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('never costs less with a higher premium or a longer delay, when declines are non-negative and the fallback costs at least the primary', () => {
    const atLeastPrimary = modelArb.map((c) => ({
      ...c,
      workloads: c.workloads.map((w) => ({
        ...w,
        fallbackPrice:
          w.fallbackPrice === undefined
            ? undefined
            : Decimal.max(w.fallbackPrice, w.price).toString(),
      })),
    }));
    fc.assert(
      fc.property(atLeastPrimary, scenarioArb, fc.integer({ min: 1, max: 4 }), (c, s, extra) => {
        const m = build(c);
        const base = projectTotal(m, toScenario(s));
        const morePremium = new Decimal(s.shortagePremium).plus('0.1').toString();
        expect(projectTotal(m, toScenario(s, { shortagePremium: morePremium })).gte(base)).toBe(
          true,
        );
        expect(
          projectTotal(m, toScenario(s, { delayQuarters: s.delayQuarters + extra })).gte(base),
        ).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('can cost less with a longer delay when the fallback is cheaper (why the property above needs its condition)', () => {
    // primary 10, fallback 5, no fallback premium: each delayed quarter serves half at 5
    const a = assumptions([{ fallback: { provider: 'Backup', skuId: 'fb' } }]);
    const m = model(a, [
      sheet([
        priceRow({ SkuId: 'sku', ListUnitPrice: '10' }),
        priceRow({ ProviderName: 'Backup', SkuId: 'fb', ListUnitPrice: '5' }),
      ]),
    ]);
    const s = (delayQuarters: number) => scenario({ delayQuarters, availability: '0.5' });
    // delay 0: 4 × 1000 = 4000; delay 2: 2 × (500 + 250) + 2 × 1000 = 3500
    expect(projectTotal(m, s(0)).toString()).toBe('4000');
    expect(projectTotal(m, s(2)).toString()).toBe('3500');
  });

  it('is flat with zero growth, zero efficiency and zero decline', () => {
    fc.assert(
      fc.property(modelArb, (c) => {
        const flat = {
          ...c,
          workloads: c.workloads.map((w) => ({ ...w, growthPerQuarter: '0', efficiency: '0' })),
        };
        const p = project(build(flat), scenario());
        for (const q of p.byQuarter) expect(q.eq(p.byQuarter[0] ?? ZERO)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same Monte Carlo for the same seed', () => {
    fc.assert(
      fc.property(modelArb, scenarioArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (c, s, seed) => {
        const m = build(c);
        const sc = toScenario(s);
        expect(monteCarlo(m, sc, { draws: 50, seed })).toEqual(
          monteCarlo(m, sc, { draws: 50, seed }),
        );
      }),
      { numRuns: 30 },
    );
  });
});
