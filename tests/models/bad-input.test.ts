import { describe, expect, it } from 'vitest';
import { assumptionsSchema } from '../../models/assumptions.ts';
import { forecast } from '../../models/forecast.ts';
import { priceRowSchema } from '../../models/price-sheet.ts';
import { scenariosFileSchema } from '../../models/scenarios.ts';
import { validate } from '../../models/validate.ts';
import { assumptions, priceRow, sheet } from './build.ts';

const good = {
  name: 'Bank',
  startQuarter: '2027-Q1',
  horizonQuarters: 8,
  reportingCurrency: 'MAD',
  fx: { USD: '9.95' },
  workloads: [
    {
      id: 'chat',
      name: 'Chat',
      category: 'llm-inference',
      provider: 'OpenAI',
      skuId: 'gpt-4o-input',
      unit: '1M tokens',
      baseQuantity: '1800',
      growthPerQuarter: '0.12',
      efficiency: '0.25',
    },
  ],
};

/** `good` with one change at a dotted path (`undefined` deletes). */
function variant(path: string, value: unknown) {
  const copy = structuredClone(good) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
  return copy;
}

function issuesOf(value: unknown) {
  const r = validate(assumptionsSchema, value, 'a.json');
  if (r.ok) throw new Error('expected a validation failure');
  return r.issues.map((i) => `${i.field}: ${i.message}`);
}

describe('assumptions schema violations, each with its field and reason', () => {
  it('accepts the good document', () => {
    expect(validate(assumptionsSchema, good).ok).toBe(true);
  });

  it.each([
    ['name', undefined, 'name: is required'],
    ['name', '   ', 'name: must not be empty'],
    ['startQuarter', '2027-Q5', 'startQuarter: must be a quarter such as "2027-Q1"'],
    ['horizonQuarters', 0, 'horizonQuarters: must be a whole number of quarters from 1 to 40'],
    ['horizonQuarters', 41, 'horizonQuarters: must be at most 40 quarters'],
    ['horizonQuarters', 2.5, 'horizonQuarters: must be a whole number of quarters from 1 to 40'],
    ['fiscalYearStartMonth', 13, 'fiscalYearStartMonth: must be a month number from 1 to 12'],
    [
      'reportingCurrency',
      'mad',
      'reportingCurrency: must be a three-letter ISO 4217 code in capitals, such as "USD"',
    ],
    ['fx.USD', '-1', 'fx.USD: must be > 0 (got -1)'],
    [
      'fx.USD',
      9.95,
      'fx.USD: must be a decimal written as a string, such as "0.12" (got the number 9.95)',
    ],
    [
      'budget',
      { '2027': '100' },
      'budget.2027: budget keys are fiscal years such as "FY2027" (key "2027")',
    ],
    ['workloads', [], 'workloads: needs at least one workload'],
    [
      'workloads.0.category',
      'gpu',
      'workloads.0.category: Invalid option: expected one of "llm-inference"|"gpu-compute"|"storage"|"network"|"other"',
    ],
    ['workloads.0.efficiency', '1', 'workloads.0.efficiency: must be < 1 (got 1)'],
    ['workloads.0.growthPerQuarter', '-1', 'workloads.0.growthPerQuarter: must be > -1 (got -1)'],
    ['workloads.0.baseQuantity', '-5', 'workloads.0.baseQuantity: must be ≥ 0 (got -5)'],
    ['workloads.0.baseQuantity', 'NaN', 'workloads.0.baseQuantity: "NaN" is not a decimal number'],
    [
      'workloads.0.baseQuantity',
      'Infinity',
      'workloads.0.baseQuantity: "Infinity" is not a decimal number',
    ],
    ['workloads.0.baseQuantity', '', 'workloads.0.baseQuantity: "" is not a decimal number'],
    [
      'workloads.0.baseQuantity',
      '1,800',
      'workloads.0.baseQuantity: "1,800" is not a decimal number',
    ],
    [
      'workloads.0.baseQuantity',
      '1e999999999',
      'workloads.0.baseQuantity: "1e999999999" is not a decimal number',
    ],
    [
      'workloads.0.id',
      'has space',
      'workloads.0.id: must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
    ['workloads.0.growthPerQuater', '0.1', 'workloads.0: Unrecognized key: "growthPerQuater"'],
  ])('%s = %j → %s', (path, value, expected) => {
    expect(issuesOf(variant(path, value))).toContain(expected);
  });

  it('refuses duplicate workload ids, naming the first use', () => {
    const doc = { ...good, workloads: [good.workloads[0], good.workloads[0]] };
    expect(issuesOf(doc)).toEqual([
      'workloads.1.id: duplicate workload id "chat" (first used by workloads[0])',
    ]);
  });

  it('refuses __proto__, constructor and prototype keys anywhere', () => {
    const doc = JSON.parse(
      '{"name":"x","fx":{"__proto__":{"polluted":"1"}},"workloads":[{"constructor":1}]}',
    );
    expect(issuesOf(doc)).toEqual([
      'fx.__proto__: the key "__proto__" is not allowed (it could change an object\'s prototype)',
      'workloads.0.constructor: the key "constructor" is not allowed (it could change an object\'s prototype)',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses JSON nested deeper than 32 levels', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    expect(issuesOf({ ...good, deep })[0]).toMatch(/is nested too deeply/);
  });
});

describe('scenario and price-row violations', () => {
  it('checks scenario rates, delays and rupture windows', () => {
    const r = validate(scenariosFileSchema, {
      scenarios: [
        { id: 'a', name: 'A', delayQuarters: -1, availability: '1.2' },
        {
          id: 'a',
          name: 'B',
          delayQuarters: 0,
          providerAvailability: [
            { provider: 'X', from: '2028-Q1', to: '2027-Q1', availability: '0' },
          ],
        },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
      'scenarios.0.delayQuarters: must be ≥ 0',
      'scenarios.0.availability: must be ≤ 1 (got 1.2)',
      'scenarios.1.providerAvailability.0.to: ends (2027-Q1) before it starts (2028-Q1)',
      'scenarios.1.id: duplicate scenario id "a"',
    ]);
  });

  it('refuses negative prices and bad currencies in price rows', () => {
    const r = priceRowSchema.safeParse({
      ProviderName: 'A',
      SkuId: 's',
      PricingUnit: 'u',
      ListUnitPrice: '-0.01',
      PricingCurrency: 'usd',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'ListUnitPrice: must be ≥ 0 (got -0.01)',
      'PricingCurrency: must be a three-letter ISO 4217 code in capitals, such as "USD"',
    ]);
  });
});

describe('joining assumptions with price sheets', () => {
  const fail = (r: ReturnType<typeof forecast>) => {
    if (r.ok) throw new Error('expected a failure');
    return r.issues.map((i) => `${i.field}: ${i.message}`);
  };

  it('refuses a workload unit that differs from its SKU PricingUnit', () => {
    const r = forecast(
      assumptions([{ unit: '1K tokens' }]),
      [sheet([priceRow({ SkuId: 'sku', PricingUnit: '1M tokens' })])],
      { draws: 0 },
    );
    expect(fail(r)).toEqual([
      'workloads.0.unit: unit "1K tokens" differs from the PricingUnit "1M tokens" of Acme sku (prices.csv:2); costcast never converts units silently',
    ]);
  });

  it('refuses a SKU that is in no price sheet, naming candidates of another provider', () => {
    const r = forecast(
      assumptions([{ skuId: 'gpt-4o' }]),
      [sheet([priceRow({ ProviderName: 'Azure', SkuId: 'gpt-4o', ListUnitPrice: '2.5' })])],
      { draws: 0 },
    );
    expect(fail(r)).toEqual([
      'workloads.0.skuId: SKU "gpt-4o" of provider "Acme" is in none of the 1 price sheet; candidates: Azure gpt-4o (prices.csv:2 2.5 EUR/unit)',
    ]);
  });

  it('refuses an ambiguous SKU, listing the rows and asking for a region', () => {
    const rows = [
      priceRow({ SkuId: 'sku', RegionId: 'eu-west-1', ListUnitPrice: '1' }),
      priceRow({ SkuId: 'sku', RegionId: 'eu-west-3', ListUnitPrice: '2' }),
    ];
    expect(fail(forecast(assumptions([{}]), [sheet(rows)], { draws: 0 }))).toEqual([
      'workloads.0.skuId: SKU "sku" of provider "Acme" has 2 different prices (name a region to choose one): prices.csv:2 region eu-west-1 1 EUR/unit; prices.csv:3 region eu-west-3 2 EUR/unit',
    ]);
  });

  it('accepts the same SKU twice at the same price', () => {
    const rows = [priceRow({ SkuId: 'sku' }), priceRow({ SkuId: 'sku' })];
    expect(forecast(assumptions([{}]), [sheet(rows)], { draws: 0 }).ok).toBe(true);
  });

  it('refuses a price currency without an FX rate', () => {
    const r = forecast(
      assumptions([{}]),
      [sheet([priceRow({ SkuId: 'sku', PricingCurrency: 'USD' })])],
      { draws: 0 },
    );
    expect(fail(r)).toEqual([
      'fx: no FX rate for USD (price of Acme sku); add "fx": { "USD": "<EUR per USD>" }',
    ]);
  });

  it('reports every problem at once and computes nothing', () => {
    const r = forecast(
      assumptions([{ skuId: 'x' }, { skuId: 'y' }]),
      [sheet([priceRow({ SkuId: 'sku' })])],
      { draws: 0 },
    );
    expect(r.ok).toBe(false);
    expect('value' in r).toBe(false);
    expect(fail(r)).toHaveLength(2);
  });

  it('refuses a rupture window for a provider no workload uses', () => {
    const r = forecast(assumptions([{}]), [sheet([priceRow({ SkuId: 'sku' })])], {
      draws: 0,
      scenarios: [
        scenariosFileSchema.parse({
          scenarios: [
            {
              id: 'r',
              name: 'R',
              delayQuarters: 0,
              providerAvailability: [
                { provider: 'OpenAI', from: '2027-Q1', to: '2027-Q2', availability: '0' },
              ],
            },
          ],
        }).scenarios[0]!,
      ],
    });
    expect(fail(r)).toEqual([
      'scenarios.0.providerAvailability.0.provider: no workload has "OpenAI" as its primary provider (used: Acme)',
    ]);
  });
});
