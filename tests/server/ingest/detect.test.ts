import { describe, expect, it } from 'vitest';
import { detectFormat, parsePriceSheet } from '../../../server/ingest/index.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const ZIP = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00);
const XLSX_MEDIA = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = utf8('ProviderName,SkuId\n');
const CATALOGUE = utf8(
  '{\n  "gpt-4o": { "litellm_provider": "openai", "input_cost_per_token": 2.5e-6 }\n}',
);

describe('detectFormat', () => {
  it('trusts the media type first, ignoring its parameters', () => {
    expect(detectFormat('upload', CSV, 'text/csv; charset=utf-8')).toBe('csv');
    expect(detectFormat('upload', ZIP, XLSX_MEDIA)).toBe('xlsx');
    expect(detectFormat('upload', utf8('[]'), 'application/json')).toBe('json');
    expect(detectFormat('upload', CATALOGUE, 'Application/JSON')).toBe('litellm');
  });

  it('falls back to the extension for vague media types', () => {
    // browsers on Windows send application/vnd.ms-excel for .csv files
    expect(detectFormat('Tarifs.CSV', CSV, 'application/vnd.ms-excel')).toBe('csv');
    expect(detectFormat('prices.xlsx', ZIP, 'application/octet-stream')).toBe('xlsx');
    expect(detectFormat('prices.tsv', CSV)).toBe('csv');
    expect(detectFormat('rows.json', utf8('{ "rows": [] }'))).toBe('json');
    expect(detectFormat('model_prices.json', CATALOGUE)).toBe('litellm');
  });

  it('sniffs the bytes when nothing else tells', () => {
    expect(detectFormat('upload', ZIP)).toBe('xlsx');
    expect(detectFormat('upload', utf8('\uFEFF  \n[ {"SkuId": "a"} ]'))).toBe('json');
    expect(detectFormat('upload', CATALOGUE)).toBe('litellm');
    expect(detectFormat('upload', CSV)).toBe('csv');
  });

  it('knows the formats it cannot read', () => {
    expect(detectFormat('old.xls', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0))).toBeNull();
    expect(detectFormat('upload', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1))).toBeNull();
    expect(detectFormat('sheet.ods', ZIP)).toBeNull();
  });
});

describe('parsePriceSheet', () => {
  it('refuses an empty file and an unreadable format, naming the file', async () => {
    expect(await parsePriceSheet(new Uint8Array(0), { fileName: 'p.csv' })).toEqual({
      ok: false,
      issues: [{ file: 'p.csv', message: 'is empty' }],
    });
    const xls = await parsePriceSheet(Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0), { fileName: 'p.xls' });
    expect(!xls.ok && xls.issues[0]).toMatchObject({ file: 'p.xls' });
    expect(!xls.ok && xls.issues[0]?.message).toMatch(/cannot read/);
  });

  it('gives the same rows for the same prices in CSV, French CSV and JSON', async () => {
    const english = utf8(
      'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\nOVH,a100,1 hour,"1,250.50",EUR\n',
    );
    const french = utf8(
      'ProviderName;SkuId;PricingUnit;ListUnitPrice;PricingCurrency\nOVH;a100;1 hour;1 250,50;EUR\n',
    );
    const json = utf8(
      '[{"ProviderName":"OVH","SkuId":"a100","PricingUnit":"1 hour","ListUnitPrice":"1250.50","PricingCurrency":"EUR"}]',
    );
    const results = await Promise.all(
      [
        [english, 'en.csv'],
        [french, 'fr.csv'],
        [json, 'p.json'],
      ].map(([bytes, fileName]) =>
        parsePriceSheet(bytes as Uint8Array, { fileName: fileName as string }),
      ),
    );
    const rows = results.map((r) => (r.ok ? r.value.rows : r.issues));
    const expected = [
      {
        ProviderName: 'OVH',
        SkuId: 'a100',
        PricingUnit: '1 hour',
        ListUnitPrice: '1250.50',
        PricingCurrency: 'EUR',
      },
    ];
    expect(rows).toEqual([expected, expected, expected]);
  });

  it('applies maxRows to JSON rows too', async () => {
    const row =
      '{"ProviderName":"a","SkuId":"b","PricingUnit":"h","ListUnitPrice":"1","PricingCurrency":"EUR"}';
    const r = await parsePriceSheet(utf8(`[\n${row},\n${row}\n]`), {
      fileName: 'p.json',
      maxRows: 1,
    });
    expect(!r.ok && r.issues).toEqual([
      { file: 'p.json', row: 3, message: 'has more than 1 price row; split the file' },
    ]);
  });
});
