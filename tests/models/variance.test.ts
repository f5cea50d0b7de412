import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workload } from '../../models/assumptions.ts';
import { CATEGORIES } from '../../models/fields.ts';
import { forecast } from '../../models/forecast.ts';
import { Decimal } from '../../models/money.ts';
import type { PriceRow } from '../../models/price-sheet.ts';
import { type Scenario, scenarioSchema } from '../../models/scenarios.ts';
import {
  type BridgeLine,
  EFFECTS,
  type EffectId,
  type Variance,
  variance,
} from '../../models/variance.ts';
import { assumptions, priceRow, sheet } from './build.ts';

const Wide = Decimal.clone({ precision: 200 });
const sumOf = (xs: readonly string[]) => xs.reduce((a, x) => a.plus(x), new Wide(0));

/** old + Σ effects = new, exactly, rounded and unrounded. */
function expectAddsUp(l: BridgeLine) {
  expect(sumOf(EFFECTS.map((e) => l.effects[e])).toFixed(2)).toBe(
    new Wide(l.new).minus(l.old).toFixed(2),
  );
  expect(l.change).toBe(new Wide(l.new).minus(l.old).toFixed(2));
  expect(sumOf(EFFECTS.map((e) => l.exact.effects[e])).eq(l.exact.change)).toBe(true);
  expect(new Wide(l.exact.new).minus(l.exact.old).eq(l.exact.change)).toBe(true);
}

const scenarioOf = (over: Record<string, unknown> = {}): Scenario =>
  scenarioSchema.parse({ id: 's', name: 'S', delayQuarters: 0, ...over });

const usd = (SkuId: string, ListUnitPrice: string, extra: Partial<PriceRow> = {}) =>
  priceRow({ SkuId, ListUnitPrice, PricingCurrency: 'USD', ...extra });

function bridge(v: ReturnType<typeof variance>): Variance {
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.value;
}

describe('variance bridge, worked by hand', () => {
  // Old: EUR, 1 USD = 0.9 EUR, 2027-Q1 × 2 quarters, no decline.
  //   chat  100 units at 10 USD: 100 × 10 × 0.9 = 900 a quarter → 1 800
  //   store 1 000 units at 0.02 USD: 1 000 × 0.02 × 0.9 = 18 a quarter → 36
  //   total 1 836
  // New: 2027-Q1 × 3 quarters, 1 USD = 1 EUR, LLM prices decline 50 % a quarter.
  //   chat 120 units at 8 USD; store gone; gpu (new) 50 units at 2 USD, gpu-compute.
  // States:
  //   1 removed  : store out, −36                                → 1 800
  //   2 horizon  : chat over 3 quarters, 3 × 900 = 2 700           +900
  //   3 volume   : 120 × 10 × 0.9 = 1 080 × 3 = 3 240             +540
  //   4 price    : 120 × 8 × 0.9 = 864 × 3 = 2 592                −648
  //   5 fx       : 120 × 8 × 1 = 960 × 3 = 2 880                  +288
  //   6 scenario : 960 × (1 + 0.5 + 0.25) = 1 680                −1 200
  //   7 new      : gpu 50 × 2 × 1 = 100 × 3 = 300 (gpu-compute does not decline) +300
  //   new total 1 980 = 1 836 − 36 + 900 + 540 − 648 + 288 − 1 200 + 300
  const old = {
    assumptions: assumptions(
      [
        { id: 'chat', name: 'Chat', category: 'llm-inference', skuId: 'chat' },
        { id: 'store', name: 'Store', category: 'storage', skuId: 'store', baseQuantity: '1000' },
      ],
      { horizonQuarters: 2, fx: { USD: '0.9' } },
    ),
    sheets: [sheet([usd('chat', '10'), usd('store', '0.02')], 'old.csv')],
    scenarios: [scenarioOf()],
  };
  const next = {
    assumptions: assumptions(
      [
        {
          id: 'chat',
          name: 'Chat',
          category: 'llm-inference',
          skuId: 'chat',
          baseQuantity: '120',
        },
        { id: 'gpu', name: 'GPU', category: 'gpu-compute', skuId: 'gpu', baseQuantity: '50' },
      ],
      { horizonQuarters: 3, fx: { USD: '1' } },
    ),
    sheets: [sheet([usd('chat', '8'), usd('gpu', '2')], 'new.csv')],
    scenarios: [scenarioOf({ priceDeclinePerQuarter: { 'llm-inference': '0.5' } })],
  };

  it('gives each effect in its order, adding up to the change of the total', () => {
    const v = bridge(variance(old, next));
    expect(v.effects).toEqual(['removed', 'horizon', 'volume', 'price', 'fx', 'scenario', 'new']);
    const [s] = v.scenarios;
    expect(s?.total.old).toBe('1836.00');
    expect(s?.total.new).toBe('1980.00');
    expect(s?.total.change).toBe('144.00');
    expect(s?.total.effects).toEqual({
      removed: '-36.00',
      horizon: '900.00',
      volume: '540.00',
      price: '-648.00',
      fx: '288.00',
      scenario: '-1200.00',
      new: '300.00',
    });
    expectAddsUp(s!.total);
    expect(s?.changedParameters).toEqual(['priceDeclinePerQuarter.llm-inference']);
    expect(s?.parameterChanges).toEqual([
      { parameter: 'priceDeclinePerQuarter.llm-inference', old: '0', new: '0.5' },
    ]);
    expect(v.fxChanges).toEqual([{ currency: 'USD', old: '0.9', new: '1' }]);
  });

  it('gives each workload its own line: continuing, removed, new', () => {
    const [s] = bridge(variance(old, next)).scenarios;
    const by = new Map(s!.workloads.map((w) => [w.workloadId, w]));
    expect([...by.keys()]).toEqual(['chat', 'gpu', 'store']);
    const chat = by.get('chat')!;
    expect(chat.status).toBe('continuing');
    expect([chat.old, chat.new]).toEqual(['1800.00', '1680.00']);
    expect(chat.effects).toEqual({
      removed: '0.00',
      horizon: '900.00',
      volume: '540.00',
      price: '-648.00',
      fx: '288.00',
      scenario: '-1200.00',
      new: '0.00',
    });
    expect(chat.prices.old?.primary.unitPrice).toBe('9');
    expect(chat.prices.new?.primary.unitPrice).toBe('8');
    const store = by.get('store')!;
    expect([store.status, store.old, store.new, store.effects.removed]).toEqual([
      'removed',
      '36.00',
      '0.00',
      '-36.00',
    ]);
    const gpu = by.get('gpu')!;
    expect([gpu.status, gpu.old, gpu.new, gpu.effects.new]).toEqual([
      'new',
      '0.00',
      '300.00',
      '300.00',
    ]);
    for (const w of s!.workloads) expectAddsUp(w);
  });

  it('bridges a workload whose unit changed as removed and new', () => {
    // chat moves to a SKU priced per "1K units": 1 quarter, 0.1 × 10 USD × 0.9 = 0.9 → 1.8
    // over the old 2 quarters is replaced, not compared: removed −1 800, new at the new inputs
    const changed = {
      ...next,
      assumptions: assumptions(
        [
          {
            id: 'chat',
            name: 'Chat',
            category: 'other',
            skuId: 'chat-k',
            unit: '1K units',
            baseQuantity: '0.1',
          },
        ],
        { horizonQuarters: 2, fx: { USD: '0.9' } },
      ),
      sheets: [sheet([usd('chat-k', '10', { PricingUnit: '1K units' })])],
      scenarios: [scenarioOf()],
    };
    const [s] = bridge(variance(old, changed)).scenarios;
    const chat = s!.workloads.find((w) => w.workloadId === 'chat')!;
    expect(chat.status).toBe('replaced');
    // removed: −1 800 (old cost); new: 2 × 0.1 × 10 × 0.9 = 1.80
    expect([chat.effects.removed, chat.effects.new, chat.new]).toEqual([
      '-1800.00',
      '1.80',
      '1.80',
    ]);
    expectAddsUp(chat);
    expectAddsUp(s!.total);
  });

  it('refuses two reporting currencies, saying which', () => {
    const mad = { ...next, assumptions: { ...next.assumptions, reportingCurrency: 'MAD' } };
    const v = variance(old, mad);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.issues[0]?.field).toBe('reportingCurrency');
      expect(v.issues[0]?.message).toContain('MAD');
      expect(v.issues[0]?.message).toContain('EUR');
    }
  });

  it('lists the scenarios only one side has, with their totals', () => {
    const more = { ...next, scenarios: [...next.scenarios, scenarioOf({ id: 'late' })] };
    const v = bridge(variance(old, more));
    // late: no decline over 3 quarters: chat 960 × 3 = 2 880 + gpu 300 = 3 180
    expect(v.unmatchedScenarios).toEqual([
      { id: 'late', name: 'S', side: 'new', total: '3180.00' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Property: random pairs of models. Both sides draw from one pool of workload ids, SKUs,
// providers and currencies, so pairs share some workloads and differ in others.

const decimalText = (max: number, places: number) =>
  fc
    .integer({ min: 0, max: max * 10 ** places })
    .map((n) => new Decimal(n).dividedBy(10 ** places).toString());
const rate = (max: number) => decimalText(max, 2).map((d) => new Decimal(d).div(100).toString());

const workloadArb = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  baseQuantity: decimalText(100_000, 3),
  growthPerQuarter: decimalText(40, 2).map((g) => new Decimal(g).minus(10).div(100).toString()),
  efficiency: rate(60),
  sku: fc.integer({ min: 0, max: 3 }),
  unit: fc.constantFrom('unit', 'unit', 'unit', 'kunit'),
  fallback: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
});

const scenarioArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(id),
    delayQuarters: fc.integer({ min: 0, max: 6 }),
    priceDeclinePerQuarter: fc.record(
      Object.fromEntries(CATEGORIES.map((c) => [c, rate(30)])) as Record<
        (typeof CATEGORIES)[number],
        fc.Arbitrary<string>
      >,
    ),
    shortagePremium: rate(50),
    availability: rate(100),
    fallbackPremium: rate(50),
    providerAvailability: fc.array(
      fc.record({
        provider: fc.constantFrom('Acme', 'Backup'),
        from: fc.constantFrom('2026-Q4', '2027-Q2', '2027-Q3'),
        to: fc.constantFrom('2027-Q3', '2028-Q1'),
        availability: rate(100),
      }),
      { maxLength: 2 },
    ),
  });

const sideArb = fc.record({
  workloads: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), workloadArb, {
    minKeys: 1,
    maxKeys: 5,
  }),
  startQuarter: fc.constantFrom('2027-Q1', '2027-Q2', '2027-Q3'),
  horizon: fc.integer({ min: 1, max: 8 }),
  usd: decimalText(20, 3).map((d) => new Decimal(d).plus('0.001').toString()),
  gbp: decimalText(20, 3).map((d) => new Decimal(d).plus('0.001').toString()),
  prices: fc.array(decimalText(100, 4), { minLength: 4, maxLength: 4 }),
  fallbackPrices: fc.array(decimalText(100, 4), { minLength: 2, maxLength: 2 }),
  currencies: fc.array(fc.constantFrom('EUR', 'USD', 'GBP'), { minLength: 4, maxLength: 4 }),
  providers: fc.array(fc.constantFrom('Acme', 'Backup'), { minLength: 4, maxLength: 4 }),
  onTime: scenarioArb('on-time'),
  delayed: scenarioArb('delayed'),
  other: fc.option(scenarioArb('other'), { nil: undefined }),
});
type Side = typeof sideArb extends fc.Arbitrary<infer T> ? T : never;

function inputsOf(c: Side) {
  const rows: PriceRow[] = [];
  const workloads: Partial<Workload>[] = Object.entries(c.workloads).map(([id, w]) => {
    rows.push(
      priceRow({
        ProviderName: c.providers[w.sku]!,
        SkuId: `p${w.sku}-${w.unit}`,
        PricingUnit: w.unit,
        ListUnitPrice: c.prices[w.sku]!,
        PricingCurrency: c.currencies[w.sku]!,
      }),
    );
    if (w.fallback !== undefined)
      rows.push(
        priceRow({
          ProviderName: 'Spare',
          SkuId: `f${w.fallback}-${w.unit}`,
          PricingUnit: w.unit,
          ListUnitPrice: c.fallbackPrices[w.fallback]!,
          PricingCurrency: c.currencies[w.fallback]!,
        }),
      );
    return {
      id,
      name: id.toUpperCase(),
      category: w.category,
      provider: c.providers[w.sku]!,
      skuId: `p${w.sku}-${w.unit}`,
      unit: w.unit,
      baseQuantity: w.baseQuantity,
      growthPerQuarter: w.growthPerQuarter,
      efficiency: w.efficiency,
      ...(w.fallback === undefined
        ? {}
        : { fallback: { provider: 'Spare', skuId: `f${w.fallback}-${w.unit}` } }),
    };
  });
  // one row per identity (a SKU drawn twice is one price)
  const unique = [...new Map(rows.map((r) => [`${r.ProviderName}|${r.SkuId}`, r])).values()];
  return {
    assumptions: assumptions(workloads, {
      startQuarter: c.startQuarter,
      horizonQuarters: c.horizon,
      fx: { USD: c.usd, GBP: c.gbp },
    }),
    sheets: [sheet(unique)],
    // a rupture window must name a provider some workload uses (as forecast() requires)
    scenarios: [c.onTime, c.delayed, ...(c.other ? [c.other] : [])].map((s) =>
      scenarioSchema.parse({
        ...s,
        providerAvailability: s.providerAvailability.filter((p) =>
          workloads.some((w) => w.provider === p.provider),
        ),
      }),
    ),
  };
}

describe('variance bridge (fast-check, random pairs of models)', () => {
  it('adds up exactly to the change of each scenario total and each workload, from the old forecast to the new', () => {
    fc.assert(
      fc.property(sideArb, sideArb, (x, y) => {
        const old = inputsOf(x);
        const next = inputsOf(y);
        const v = bridge(variance(old, next));
        // the end points are the two forecasts' own totals
        const fa = forecast(old.assumptions, old.sheets, {
          scenarios: old.scenarios,
          draws: 0,
          sensitivity: false,
        });
        const fb = forecast(next.assumptions, next.sheets, {
          scenarios: next.scenarios,
          draws: 0,
          sensitivity: false,
        });
        if (!fa.ok || !fb.ok) throw new Error('a side does not forecast');
        const totalA = new Map(fa.value.json.scenarios.map((s) => [s.id, s] as const));
        const totalB = new Map(fb.value.json.scenarios.map((s) => [s.id, s] as const));
        const shared = next.scenarios.filter((s) => totalA.has(s.id));
        expect(v.scenarios.map((s) => s.id)).toEqual(shared.map((s) => s.id));
        for (const s of v.scenarios) {
          expect(s.total.old).toBe(totalA.get(s.id)?.total);
          expect(s.total.new).toBe(totalB.get(s.id)?.total);
          expectAddsUp(s.total);
          // the workloads' lines add up to the scenario's, effect by effect (unrounded)
          for (const e of [...EFFECTS, 'change'] as (EffectId | 'change')[]) {
            const of = (l: BridgeLine) => (e === 'change' ? l.exact.change : l.exact.effects[e]);
            expect(sumOf(s.workloads.map(of)).eq(of(s.total))).toBe(true);
          }
          const oldLines = new Map(
            totalA.get(s.id)!.byWorkload.map((w) => [w.workloadId, w.total]),
          );
          const newLines = new Map(
            totalB.get(s.id)!.byWorkload.map((w) => [w.workloadId, w.total]),
          );
          for (const w of s.workloads) {
            expectAddsUp(w);
            expect(w.old).toBe(oldLines.get(w.workloadId) ?? '0.00');
            expect(w.new).toBe(newLines.get(w.workloadId) ?? '0.00');
            // what no step can touch stays zero
            if (w.status === 'removed')
              for (const e of EFFECTS) if (e !== 'removed') expect(w.exact.effects[e]).toBe('0');
            if (w.status === 'new')
              for (const e of EFFECTS) if (e !== 'new') expect(w.exact.effects[e]).toBe('0');
            if (w.status === 'continuing') {
              expect(w.exact.effects.removed).toBe('0');
              expect(w.exact.effects.new).toBe('0');
            }
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('is all zeros against itself', () => {
    fc.assert(
      fc.property(sideArb, (x) => {
        const v = bridge(variance(inputsOf(x), inputsOf(x)));
        for (const s of v.scenarios)
          for (const l of [s.total, ...s.workloads]) {
            for (const e of EFFECTS) expect(l.exact.effects[e]).toBe('0');
            expect(l.old).toBe(l.new);
          }
      }),
      { numRuns: 40 },
    );
  });
});
