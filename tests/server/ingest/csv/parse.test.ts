import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InputIssue } from '../../../../models/result.ts';
import { detectSeparator, parsePriceSheet } from '../../../../server/ingest/index.ts';
import { publicData } from '../../../public-data.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';

async function rowsOf(bytes: Uint8Array, opts: { provider?: string; fileName?: string } = {}) {
  const r = await parsePriceSheet(bytes, { fileName: opts.fileName ?? 'prices.csv', ...opts });
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 2));
  return r.value;
}

async function issuesOf(bytes: Uint8Array, opts: { provider?: string; maxRows?: number } = {}) {
  const r = await parsePriceSheet(bytes, { fileName: 'prices.csv', ...opts });
  if (r.ok) throw new Error('expected the file to be refused');
  return r.issues;
}

describe('CSV written by Excel in English', () => {
  it('reads CRLF lines, quoted thousands and embedded newlines, and reports each row’s first line', async () => {
    const text = [
      'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency,Description',
      'OpenAI,gpt-4o-input,1M tokens,2.50,USD,"Input, per 1M tokens"',
      'Oracle,BM.GPU.H100.8,1 hour,"1,250.50",USD,"Bare metal',
      '8 × H100"',
      '',
      'AWS,s3-standard,1 GB-month,0.023,USD,',
      '',
    ].join('\r\n');
    const sheet = await rowsOf(utf8(text));
    expect(sheet.format).toBe('csv');
    expect(sheet.rows).toEqual([
      {
        ProviderName: 'OpenAI',
        SkuId: 'gpt-4o-input',
        PricingUnit: '1M tokens',
        ListUnitPrice: '2.50',
        PricingCurrency: 'USD',
        Description: 'Input, per 1M tokens',
      },
      {
        ProviderName: 'Oracle',
        SkuId: 'BM.GPU.H100.8',
        PricingUnit: '1 hour',
        ListUnitPrice: '1250.50',
        PricingCurrency: 'USD',
        Description: 'Bare metal\n8 × H100',
      },
      {
        ProviderName: 'AWS',
        SkuId: 's3-standard',
        PricingUnit: '1 GB-month',
        ListUnitPrice: '0.023',
        PricingCurrency: 'USD',
      },
    ]);
    // line 3 holds a record that ends on line 4; line 5 is blank
    expect(sheet.lines).toEqual([2, 3, 6]);
    expect(sheet.skipped).toBe(0);
    expect(sheet.notes).toEqual([]);
  });

  it('reads scientific notation as Excel sometimes writes it', async () => {
    const sheet = await rowsOf(utf8(`${HEADER}\nGoogle,gemini-flash-input,1 token,2.5E-06,USD\n`));
    expect(sheet.rows[0]?.ListUnitPrice).toBe('0.0000025');
  });

  it('accepts snake_case and oddly cased headers, and the custom x_ columns', async () => {
    const text = [
      'provider_name, SKU_ID ,pricing_unit,LIST_UNIT_PRICE,pricing_currency,contracted_unit_price,x_source,x_as_of,comment',
      'Mistral,mistral-large-input,1M tokens,2,EUR,1.8,https://mistral.ai/pricing,2026-07-01,ignored',
    ].join('\n');
    const sheet = await rowsOf(utf8(text));
    expect(sheet.rows).toEqual([
      {
        ProviderName: 'Mistral',
        SkuId: 'mistral-large-input',
        PricingUnit: '1M tokens',
        ListUnitPrice: '2',
        PricingCurrency: 'EUR',
        ContractedUnitPrice: '1.8',
        x_Source: 'https://mistral.ai/pricing',
        x_AsOf: '2026-07-01',
      },
    ]);
  });

  it('treats NULL (as FOCUS exports write a missing value) as an empty cell', async () => {
    const text = [
      'ProviderName,SkuId,PricingUnit,ListUnitPrice,ContractedUnitPrice,PricingCurrency,RegionId',
      'AWS,sqs-requests,Requests,"0.0000004",NULL,USD,NULL',
    ].join('\n');
    const sheet = await rowsOf(utf8(text));
    expect(sheet.rows).toEqual([
      {
        ProviderName: 'AWS',
        SkuId: 'sqs-requests',
        PricingUnit: 'Requests',
        ListUnitPrice: '0.0000004',
        PricingCurrency: 'USD',
      },
    ]);
  });

  it('fills ProviderName from the provider option when the column or the cell is missing', async () => {
    const noColumn = await rowsOf(
      utf8('SkuId,PricingUnit,ListUnitPrice,PricingCurrency\nmistral-small,1M tokens,0.2,EUR\n'),
      { provider: 'Mistral' },
    );
    expect(noColumn.rows[0]?.ProviderName).toBe('Mistral');
    const emptyCell = await rowsOf(utf8(`${HEADER}\n,a,1 h,1,EUR\nOVH,b,1 h,2,EUR\n`), {
      provider: 'Scaleway',
    });
    expect(emptyCell.rows.map((r) => r.ProviderName)).toEqual(['Scaleway', 'OVH']);
  });
});

describe('CSV written by Excel in French', () => {
  it('reads a BOM, ";" separators, decimal commas and thousands grouped by space, U+00A0 or U+202F', async () => {
    const text = [
      '\uFEFFProviderName;SkuId;PricingUnit;ListUnitPrice;ContractedUnitPrice;PricingCurrency;RegionId',
      'Oracle;BM.GPU.H100.8;1 heure;1 250,50;1\u00A0100,00;USD;eu-paris-1',
      'Mistral;mistral-large-input;1M tokens;2,00;;EUR;',
      'Azure;nc-h100;1 heure;12\u202F345,6789;;USD;francecentral',
      'Scaleway;h100-pcie;1 heure;1.250,50;;EUR;fr-par-2',
      'OVH;a100;1 heure;2.5;;EUR;',
      ';;;;;;',
    ].join('\r\n');
    const sheet = await rowsOf(utf8(text));
    expect(sheet.rows.map((r) => [r.ListUnitPrice, r.ContractedUnitPrice])).toEqual([
      ['1250.50', '1100.00'],
      ['2.00', undefined],
      ['12345.6789', undefined],
      ['1250.50', undefined],
      // "2.5" has a point and no comma: Excel with mixed settings, read as 2.5
      ['2.5', undefined],
    ]);
    expect(sheet.rows[0]).toMatchObject({ ProviderName: 'Oracle', RegionId: 'eu-paris-1' });
    expect(sheet.rows[1]).not.toHaveProperty('RegionId');
    expect(sheet.lines).toEqual([2, 3, 4, 5, 6]);
    expect(sheet.notes).toEqual(['French locale: ";" separator, decimal comma']);
  });

  it('decodes Windows-1252 bytes (French Excel’s CSV default) and says so', async () => {
    // Description is "Données – cœur, l’équipe €" in Windows-1252, from Python:
    //   python3 -c "print('Données – cœur, l’équipe €'.encode('cp1252').hex(' '))"
    // 0x96 "–", 0x9c "œ", 0x92 "’" and 0x80 "€" are where Windows-1252 differs from Latin-1.
    const description = Uint8Array.from(
      '44 6f 6e 6e e9 65 73 20 96 20 63 9c 75 72 2c 20 6c 92 e9 71 75 69 70 65 20 80'
        .split(' ')
        .map((h) => Number.parseInt(h, 16)),
    );
    const bytes = Buffer.concat([
      Buffer.from(
        'ProviderName;SkuId;PricingUnit;ListUnitPrice;PricingCurrency;Description\r\n' +
          'OVH;stockage-objet;1 Go/mois;0,01;EUR;',
        'ascii',
      ),
      description,
      Buffer.from('\r\n', 'ascii'),
    ]);
    const sheet = await rowsOf(bytes);
    expect(sheet.rows[0]?.Description).toBe('Données – cœur, l’équipe €');
    expect(sheet.rows[0]?.ListUnitPrice).toBe('0.01');
    expect(sheet.notes).toContain('decoded as Windows-1252 (the file is not valid UTF-8)');
  });

  it('honours an Excel "sep=;" first line and counts it in line numbers', async () => {
    const sheet = await rowsOf(
      utf8(
        'sep=;\nProviderName;SkuId;PricingUnit;ListUnitPrice;PricingCurrency\nOVH;x;1 h;2,5;EUR\n',
      ),
    );
    expect(sheet.rows[0]?.ListUnitPrice).toBe('2.5');
    expect(sheet.lines).toEqual([3]);
  });

  it('reads a tab-separated file with decimal commas', async () => {
    const sheet = await rowsOf(
      utf8(
        'ProviderName\tSkuId\tPricingUnit\tListUnitPrice\tPricingCurrency\nOVH\tx\t1 h\t2,50\tEUR\n',
      ),
    );
    expect(sheet.rows[0]?.ListUnitPrice).toBe('2.50');
    expect(sheet.notes).toEqual(['tab separator, decimal comma']);
  });
});

describe('detectSeparator', () => {
  it('counts separators outside quotes on the header line only', () => {
    expect(detectSeparator('"a;b;c",d,e\n1;2;3;4;5;6\n')).toBe(',');
    expect(detectSeparator('\n\nProviderName;SkuId;Price\n')).toBe(';');
    expect(detectSeparator('a\tb\tc\n')).toBe('\t');
    expect(detectSeparator('ProviderName\n')).toBe(',');
  });
});

describe('CSV problems', () => {
  it('names a missing required column once, at row 1, listing the columns found', async () => {
    const issues = await issuesOf(
      utf8('ProviderName,SkuId,ListUnitPrice,PricingCurrency\nOpenAI,a,1,USD\nOpenAI,b,2,USD\n'),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'prices.csv', row: 1, field: 'PricingUnit' });
    expect(issues[0]?.message).toContain('PricingUnit');
    expect(issues[0]?.message).toContain(
      '"ProviderName", "SkuId", "ListUnitPrice", "PricingCurrency"',
    );
  });

  it('refuses the FOCUS 1.0 sample, a cost export without a PricingCurrency column', async () => {
    // FOCUS sample data © FinOps Foundation, CC BY 4.0 — see fixtures/public/SOURCES.md
    const bytes = readFileSync(publicData('focus-sample/focus_sample.csv'));
    const issues = await issuesOf(bytes);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ row: 1, field: 'PricingCurrency' });
    expect(issues[0]?.message).toContain('"BillingCurrency"');
  });

  it('does not require ProviderName when the provider option fills it (FOCUS AI billing example)', async () => {
    // FOCUS spec example © FinOps Foundation, CC BY 4.0 — see fixtures/public/SOURCES.md.
    // FOCUS 1.3 renamed ProviderName to ServiceProviderName and bills in BillingCurrency.
    const bytes = readFileSync(
      publicData('focus-spec-examples/ai_model_billing/per_token_ai_model_api.csv'),
    );
    const without = await issuesOf(bytes);
    expect(without.map((i) => i.field)).toEqual(['ProviderName', 'PricingCurrency']);
    const withProvider = await issuesOf(bytes, { provider: 'Solora AI' });
    expect(withProvider.map((i) => i.field)).toEqual(['PricingCurrency']);
  });

  it('refuses a column named twice', async () => {
    const issues = await issuesOf(utf8(`${HEADER},list_unit_price\nOpenAI,a,1 h,1,USD,2\n`));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      row: 1,
      column: 6,
      field: 'ListUnitPrice',
      value: 'list_unit_price',
    });
  });

  it('locates a bad number at its line and header position, with the raw text', async () => {
    const issues = await issuesOf(
      utf8(`${HEADER}\nOpenAI,a,1M tokens,2.50,USD\nOpenAI,b,1M tokens,2.5O,USD\n`),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'prices.csv',
      row: 3,
      column: 4,
      field: 'ListUnitPrice',
      value: '2.5O',
    });
    expect(issues[0]?.message).toMatch(/"2\.5O" is not a number/);
  });

  it('refuses a negative price', async () => {
    const issues = await issuesOf(utf8(`${HEADER}\nOpenAI,a,1M tokens,-2.50,USD\n`));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ row: 2, column: 4, field: 'ListUnitPrice', value: '-2.50' });
    expect(issues[0]?.message).toMatch(/≥ 0/);
  });

  it('refuses an empty required cell, saying it is empty', async () => {
    const issues = await issuesOf(utf8(`${HEADER}\nOpenAI,a,1M tokens,2.50,\n`));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ row: 2, column: 5, field: 'PricingCurrency' });
    expect(issues[0]).not.toHaveProperty('value');
    expect(issues[0]?.message).toMatch(/is empty/);
  });

  it('refuses NaN and Infinity', async () => {
    const issues = await issuesOf(
      utf8(
        'ProviderName,SkuId,PricingUnit,ListUnitPrice,ContractedUnitPrice,PricingCurrency\n' +
          'OpenAI,a,1M tokens,NaN,Infinity,USD\n',
      ),
    );
    expect(issues.map((i) => [i.row, i.column, i.field, i.value])).toEqual([
      [2, 4, 'ListUnitPrice', 'NaN'],
      [2, 5, 'ContractedUnitPrice', 'Infinity'],
    ]);
  });

  it('refuses a row with the wrong number of fields, naming its line', async () => {
    const issues = await issuesOf(
      utf8(`${HEADER}\nOpenAI,a,1M tokens,2.50,USD\nOpenAI,b,1M tokens,USD\n`),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ row: 3 });
    expect(issues[0]?.message).toMatch(/has 4 fields but the header has 5/);
  });

  it('names the line where a quote was opened and never closed', async () => {
    const issues = await issuesOf(
      utf8(`${HEADER}\nOpenAI,a"b,1 h,1,USD\nOpenAI,"b,1 h,1,USD\nOpenAI,c,1 h,1,USD\n`),
    );
    expect(issues).toEqual([
      {
        file: 'prices.csv',
        row: 3,
        message: 'is not valid CSV: the quote opened on line 3 is never closed',
      },
    ]);
  });

  it('refuses the whole file when one row is bad (nothing partial)', async () => {
    const r = await parsePriceSheet(utf8(`${HEADER}\nOpenAI,a,1 h,1,USD\nOpenAI,b,1 h,x,USD\n`), {
      fileName: 'p.csv',
    });
    expect(r.ok).toBe(false);
  });

  it('lists the first 1000 problems and counts the rest', async () => {
    const bad = Array.from({ length: 1200 }, (_, i) => `OpenAI,sku-${i},1 h,oops,USD`);
    const issues = await issuesOf(utf8([HEADER, ...bad].join('\n')));
    expect(issues).toHaveLength(1001);
    expect(issues[999]).toMatchObject({ row: 1001, field: 'ListUnitPrice', value: 'oops' });
    expect(issues[1000]).toEqual({ file: 'prices.csv', message: '… and 200 more problems' });
  });

  it('refuses more rows than maxRows', async () => {
    const issues = await issuesOf(
      utf8(`${HEADER}\na,1,1 h,1,USD\na,2,1 h,1,USD\na,3,1 h,1,USD\n`),
      {
        maxRows: 2,
      },
    );
    expect(issues).toEqual([
      { file: 'prices.csv', row: 4, message: 'has more than 2 price rows; split the file' },
    ] satisfies InputIssue[]);
  });

  it('refuses a header without rows', async () => {
    const issues = await issuesOf(utf8(`${HEADER}\n`));
    expect(issues).toEqual([{ file: 'prices.csv', message: 'has no price rows' }]);
  });
});
