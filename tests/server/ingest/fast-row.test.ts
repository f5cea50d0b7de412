import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRICE_COLUMNS, priceRowSchema } from '../../../models/price-sheet.ts';
import { fastPriceRow } from '../../../server/ingest/fast-row.ts';

/** Strings near the schema's edges: blanks, padding, lengths around each maximum. */
const text = fc.oneof(
  fc.constantFrom('', ' ', '\t', 'OpenAI', ' OpenAI ', '1M tokens', 'é€', '\u00A0x\u00A0'),
  fc.string({ maxLength: 8 }),
  fc
    .tuple(
      fc.constantFrom(39, 40, 41, 99, 100, 101, 199, 200, 201, 999, 1000, 1001),
      fc.constantFrom('', ' ', '  '),
      fc.constantFrom('a', 'é', '😀'),
    )
    .map(([n, pad, ch]) => `${pad}${ch.repeat(ch === '😀' ? Math.ceil(n / 2) : n)}${pad}`),
);

const price = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '1',
    '2.50',
    '007.50',
    '.5',
    '5.',
    '-1',
    '+1',
    '1e5',
    '2.5E-06',
    '1,5',
    ' 1',
    '1 ',
    'NaN',
    'Infinity',
    '',
    '1e999',
    `1${'0'.repeat(29)}`,
    `1${'0'.repeat(30)}`,
    `0.${'0'.repeat(29)}1`,
    `0.${'0'.repeat(150)}1`,
  ),
  fc
    .tuple(fc.stringMatching(/^\d{0,32}$/), fc.option(fc.stringMatching(/^\d{0,32}$/)))
    .map(([i, f]) => (f === null ? i : `${i}.${f}`)),
);

const currency = fc.oneof(
  fc.constantFrom('USD', 'EUR', ' USD ', 'usd', 'US', 'USDD', 'ÉUR', '', ' '),
  fc.stringMatching(/^[A-Za-z]{2,4}$/),
);

const notString = fc.constantFrom<unknown>(undefined, null, 1.5, 0, true, ['USD'], {});

/** A record of values as a parser may hand it over: some columns absent, some odd. */
const values = fc.record(
  Object.fromEntries(
    PRICE_COLUMNS.map((c) => {
      const good =
        c === 'ListUnitPrice' || c === 'ContractedUnitPrice'
          ? price
          : c === 'PricingCurrency'
            ? currency
            : text;
      return [c, fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: notString, weight: 1 })];
    }),
  ),
  { requiredKeys: [] },
);

/** Records that are mostly valid, so the fast path is exercised on both sides of its edges. */
const likelyValid = fc
  .record({
    ProviderName: text,
    SkuId: text,
    PricingUnit: text,
    ListUnitPrice: price,
    PricingCurrency: currency,
  })
  .chain((required) =>
    values.map((optional) => ({ ...optional, ...required }) as Record<string, unknown>),
  );

/** The verdict of the fast path with the schema behind it, as validateRecords takes it. */
function combined(v: Record<string, unknown>) {
  const fast = fastPriceRow(v);
  return fast ? { success: true, data: fast, error: undefined } : priceRowSchema.safeParse(v);
}

function sameAsSchema(v: Record<string, unknown>): void {
  const zod = priceRowSchema.safeParse(v);
  const both = combined(v);
  // Same verdict, same row (keys in the same order) or the same issues.
  expect(both.success).toBe(zod.success);
  expect(both.data).toStrictEqual(zod.data);
  expect(Object.keys(both.data ?? {})).toEqual(Object.keys(zod.data ?? {}));
  expect(both.error?.issues).toStrictEqual(zod.error?.issues);
}

describe('the fast path of price-row validation', () => {
  it('gives the schema’s verdict, row and issues for any values', () => {
    fc.assert(fc.property(values, sameAsSchema), { numRuns: 3000 });
    fc.assert(fc.property(likelyValid, sameAsSchema), { numRuns: 3000 });
  });

  it('takes the common case itself (so it is worth having)', () => {
    const row = {
      ProviderName: 'OpenAI',
      SkuId: 'gpt-4o-input',
      PricingUnit: '1M tokens',
      ListUnitPrice: '2.50',
      PricingCurrency: 'USD',
      RegionId: ' eu-west-1 ',
    };
    expect(fastPriceRow(row)).toStrictEqual({ ...row, RegionId: 'eu-west-1' });
  });

  it('leaves every doubtful row to the schema, which words the issues', () => {
    for (const odd of [
      {
        ProviderName: 'A',
        SkuId: 's',
        PricingUnit: 'GB',
        ListUnitPrice: '-1',
        PricingCurrency: 'USD',
      },
      {
        ProviderName: 'A',
        SkuId: 's',
        PricingUnit: 'GB',
        ListUnitPrice: '1',
        PricingCurrency: 'usd',
      },
      {
        ProviderName: ' ',
        SkuId: 's',
        PricingUnit: 'GB',
        ListUnitPrice: '1',
        PricingCurrency: 'USD',
      },
      { SkuId: 's', PricingUnit: 'GB', ListUnitPrice: '1', PricingCurrency: 'USD' },
      {
        ProviderName: 'A',
        SkuId: 's',
        PricingUnit: 'GB',
        ListUnitPrice: '1e-6',
        PricingCurrency: 'USD',
      },
    ])
      expect(fastPriceRow(odd)).toBeNull();
  });
});
