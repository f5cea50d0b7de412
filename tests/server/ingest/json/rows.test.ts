import { describe, expect, it } from 'vitest';
import { parsePriceSheet } from '../../../../server/ingest/index.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function parse(text: string) {
  return parsePriceSheet(utf8(text), { fileName: 'prices.json' });
}

describe('JSON price rows', () => {
  it('reads an array of rows with PascalCase or snake_case keys, string or number prices', async () => {
    const text = `[
  { "ProviderName": "OpenAI", "SkuId": "gpt-4o-input", "PricingUnit": "1M tokens", "ListUnitPrice": "2.50", "PricingCurrency": "USD" },
  { "provider_name": "OpenAI", "sku_id": "gpt-4o-mini-input", "pricing_unit": "1M tokens",
    "list_unit_price": 0.15, "contracted_unit_price": 1.2e-1, "pricing_currency": "USD",
    "x_as_of": "2024-11-26", "notes": "ignored", "RegionId": null },
  { "ProviderName": "Google", "SkuId": "gemini-flash-input", "PricingUnit": "1 token", "ListUnitPrice": 2.5e-7, "PricingCurrency": "USD" }
]`;
    const r = await parse(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.format).toBe('json');
    expect(r.value.rows).toEqual([
      {
        ProviderName: 'OpenAI',
        SkuId: 'gpt-4o-input',
        PricingUnit: '1M tokens',
        ListUnitPrice: '2.50',
        PricingCurrency: 'USD',
      },
      {
        ProviderName: 'OpenAI',
        SkuId: 'gpt-4o-mini-input',
        PricingUnit: '1M tokens',
        ListUnitPrice: '0.15',
        ContractedUnitPrice: '0.12',
        PricingCurrency: 'USD',
        x_AsOf: '2024-11-26',
      },
      {
        ProviderName: 'Google',
        SkuId: 'gemini-flash-input',
        PricingUnit: '1 token',
        ListUnitPrice: '0.00000025',
        PricingCurrency: 'USD',
      },
    ]);
    expect(r.value.lines).toEqual([2, 3, 6]);
  });

  it('reads { "rows": [ … ] }', async () => {
    const r = await parse(
      '{ "rows": [ { "ProviderName": "Mistral", "SkuId": "m", "PricingUnit": "1M tokens", "ListUnitPrice": "2", "PricingCurrency": "EUR" } ] }',
    );
    expect(r.ok && r.value.rows[0]?.ProviderName).toBe('Mistral');
  });

  it('locates a bad value by line and column of the value, and a missing key at its row object', async () => {
    const text = `{
  "rows": [
    {
      "ProviderName": "OpenAI",
      "SkuId": "a",
      "PricingUnit": "1M tokens",
      "ListUnitPrice": "2,50",
      "PricingCurrency": "USD"
    },
    { "ProviderName": "x", "SkuId": "b", "PricingUnit": "h", "ListUnitPrice": 1 }
  ]
}`;
    const r = await parse(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // line 7 is `      "ListUnitPrice": "2,50",`: 6 spaces + 15 + 2 characters before the value
    expect(r.issues[0]).toMatchObject({
      file: 'prices.json',
      row: 7,
      column: 24,
      field: 'ListUnitPrice',
      path: ['rows', 0, 'ListUnitPrice'],
      value: '2,50',
    });
    expect(r.issues[0]?.message).toMatch(/not a decimal number/);
    // the second row's "{" is on line 10, column 5
    expect(r.issues[1]).toMatchObject({
      row: 10,
      column: 5,
      field: 'PricingCurrency',
      path: ['rows', 1],
    });
    expect(r.issues[1]?.message).toMatch(/is missing/);
    expect(r.issues).toHaveLength(2);
  });

  it('refuses a row that is not an object and a price of the wrong type', async () => {
    const r = await parse(
      '[\n  "OpenAI",\n  { "ProviderName": "x", "SkuId": "b", "PricingUnit": "h", "ListUnitPrice": true, "PricingCurrency": "USD" }\n]',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.row, i.column, i.field])).toEqual([
      [2, 3, undefined],
      [3, 77, 'ListUnitPrice'],
    ]);
  });
});

describe('JSON that is not acceptable', () => {
  it('reports a syntax error at its line and column', async () => {
    const text = `[
  { "ProviderName": "OpenAI", "SkuId": "a" },
  { "ProviderName": "OpenAI" "SkuId": "b" }
]`;
    const r = await parse(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // the missing comma: "SkuId" starts after 2 + 2 + 14 + 2 + 8 + 1 = 29 characters
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ file: 'prices.json', row: 3, column: 30 });
    expect(r.issues[0]?.message).toMatch(/not valid JSON/);
  });

  it('refuses trailing commas and comments', async () => {
    const comma = await parse('[{"a":1},]');
    expect(!comma.ok && comma.issues[0]).toMatchObject({ row: 1, column: 10 });
    const comment = await parse('// prices\n[]');
    expect(!comment.ok && comment.issues[0]?.message).toMatch(/comments are not allowed/);
  });

  it('refuses a __proto__ key, located at the key, and leaves Object.prototype alone', async () => {
    const r = await parse(
      '[\n  { "ProviderName": "OpenAI", "__proto__": { "polluted": true } }\n]',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ row: 2, column: 31, path: [0, '__proto__'] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses constructor and prototype keys too', async () => {
    const r = await parse('{ "rows": [], "constructor": { "prototype": {} } }');
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual([['constructor']]);
  });

  it('refuses nesting deeper than 32 levels before parsing it', async () => {
    const r = await parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // 33 arrays hold a path of 32 keys; the 34th "[" is one too many
    expect(r.issues).toEqual([
      {
        file: 'prices.json',
        row: 1,
        column: 34,
        message: 'is nested too deeply (more than 32 levels)',
      },
    ]);
  });

  it('refuses a JSON value that holds no rows', async () => {
    const r = await parse('{ "prices": [] }');
    expect(!r.ok && r.issues[0]?.message).toMatch(/must be a JSON array of price rows/);
  });
});
