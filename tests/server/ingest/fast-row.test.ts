import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRICE_COLUMNS, priceRowSchema } from '../../../models/price-sheet.ts';
import { fastPriceRow, plainRowReader, TEXT_LIMITS } from '../../../server/ingest/fast-row.ts';
import { parseLocaleDecimal } from '../../../server/ingest/numbers.ts';

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

  it('takes each text column’s limit from the schema, not from a copy', () => {
    // Every text column of the schema has a limit, and it is the schema's: the longest value
    // it accepts in that column (a row otherwise valid), one character more being refused.
    const base = {
      ProviderName: 'A',
      SkuId: 's',
      PricingUnit: 'GB',
      ListUnitPrice: '1',
      PricingCurrency: 'USD',
    };
    const textColumns = PRICE_COLUMNS.filter(
      (c) => !['ListUnitPrice', 'ContractedUnitPrice', 'PricingCurrency'].includes(c),
    );
    expect(Object.keys(TEXT_LIMITS)).toEqual(textColumns);
    for (const c of textColumns) {
      const max = TEXT_LIMITS[c]?.max ?? 0;
      const fill = 'a'.repeat(max);
      expect(priceRowSchema.safeParse({ ...base, [c]: fill }).success, c).toBe(true);
      expect(priceRowSchema.safeParse({ ...base, [c]: `${fill}a` }).success, c).toBe(false);
      expect(TEXT_LIMITS[c]?.required, c).toBe(
        ['ProviderName', 'SkuId', 'PricingUnit'].includes(c),
      );
    }
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

/** Price cells as a CSV holds them: plain, in either locale, grouped, odd. */
const priceCell = fc.oneof(
  price,
  fc.constantFrom('NULL', ' NULL ', '2,50', '1 250,50', '0,5', '007,5', '1.250', '1,250.50'),
);

/** A header layout (the required columns most of the time) with a record's cells for it. */
const csvRecord = fc
  .tuple(
    fc.shuffledSubarray([...PRICE_COLUMNS, null, null], { minLength: 1 }),
    fc.subarray(['ProviderName', 'SkuId', 'PricingUnit', 'ListUnitPrice', 'PricingCurrency']),
  )
  .map(([some, dropped]) => [
    ...some.filter((c) => c === null || !dropped.includes(c) || some.indexOf(c) % 4 !== 0),
  ])
  .map((cols) => [
    ...new Set([
      ...cols,
      ...(['SkuId', 'PricingUnit', 'ListUnitPrice', 'PricingCurrency'] as const),
    ]),
  ])
  .chain((columns) =>
    fc
      .tuple(
        ...columns.map((c) =>
          // Mostly plain cells, so that many records are read, and odd ones around them.
          fc.oneof(
            {
              weight: 6,
              arbitrary:
                c === 'ListUnitPrice' || c === 'ContractedUnitPrice'
                  ? fc.constantFrom('2.50', '0', '10', '0.125', '2,50', '0,5', ' 3 ')
                  : c === 'PricingCurrency'
                    ? fc.constantFrom('USD', ' EUR ')
                    : fc.constantFrom('OpenAI', ' 1M tokens ', 'é€'),
            },
            {
              weight: 1,
              arbitrary:
                c === 'ListUnitPrice' || c === 'ContractedUnitPrice'
                  ? priceCell
                  : c === 'PricingCurrency'
                    ? currency
                    : fc.oneof(text, fc.constantFrom('NULL', ' NULL', '')),
            },
          ),
        ),
      )
      .map((fields) => ({ columns, fields: fields as string[] })),
  );

describe('reading plain CSV records', () => {
  it('gives what the schema gives for the record’s values, or leaves the record to it', () => {
    let read = 0;
    fc.assert(
      fc.property(
        csvRecord,
        fc.constantFrom<',' | '.'>(',', '.'),
        fc.constantFrom(undefined, 'Zeta', ' ', ` ${'z'.repeat(101)}`),
        ({ columns, fields }, decimal, provider) => {
          const row = plainRowReader(columns, decimal, provider)(fields);
          if (row === null) return;
          read += 1;
          // The values as the CSV parser builds them for the schema, worked out here again.
          const values: Record<string, string> = {};
          columns.forEach((c, j) => {
            const t = (fields[j] ?? '').trim();
            if (c === null || t === '' || t === 'NULL') return;
            values[c] =
              c === 'ListUnitPrice' || c === 'ContractedUnitPrice'
                ? (parseLocaleDecimal(t, decimal) ?? 'not a number')
                : t;
          });
          if (provider !== undefined && values.ProviderName === undefined)
            values.ProviderName = provider;
          const zod = priceRowSchema.safeParse(values);
          expect(zod.success).toBe(true);
          expect(row).toStrictEqual(zod.data);
          expect(Object.keys(row)).toEqual(Object.keys(zod.data ?? {}));
        },
      ),
      // Fixed cases: since non-NFC provider names go to the schema, the share of records the
      // fast path reads itself hovers near 10 %, and a random run fell to exactly 500.
      { numRuns: 5000, seed: 20270101 },
    );
    // Enough records were plain for the comparison to mean something.
    expect(read).toBeGreaterThan(300);
  });

  it('reads a French record itself: trimmed cells, NULL as empty, decimal comma', () => {
    const read = plainRowReader(
      [
        'SkuId',
        null,
        'ListUnitPrice',
        'PricingCurrency',
        'PricingUnit',
        'RegionId',
        'ProviderName',
      ],
      ',',
      'OVH',
    );
    expect(read([' s-1 ', 'x', '0,125', 'EUR', '1 h', 'NULL', ''])).toStrictEqual({
      ProviderName: 'OVH',
      SkuId: 's-1',
      PricingUnit: '1 h',
      ListUnitPrice: '0.125',
      PricingCurrency: 'EUR',
    });
    // Grouped thousands are left to the full reader.
    expect(read(['s-1', 'x', '1 250,50', 'EUR', '1 h', '', ''])).toBeNull();
  });
});
