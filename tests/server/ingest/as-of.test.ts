import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { InputIssue } from '../../../models/result.ts';
import { parsePriceSheet } from '../../../server/ingest/index.ts';

/**
 * x_AsOf in every ingest path: ISO dates and the day-first dates French Excel writes are
 * stored as ISO dates; anything else is refused at its file, row and column.
 */
const utf8 = (text: string) => new TextEncoder().encode(text);

async function parse(bytes: Uint8Array, fileName: string) {
  return parsePriceSheet(bytes, { fileName });
}

async function asOfs(bytes: Uint8Array, fileName: string) {
  const r = await parse(bytes, fileName);
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 2));
  return r.value.rows.map((row) => row.x_AsOf);
}

async function issues(bytes: Uint8Array, fileName: string): Promise<readonly InputIssue[]> {
  const r = await parse(bytes, fileName);
  if (r.ok) throw new Error('expected the file to be refused');
  return r.issues;
}

const EN = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency,x_AsOf';
const FR = 'ProviderName;SkuId;PricingUnit;ListUnitPrice;PricingCurrency;x_AsOf';

describe('x_AsOf in CSV', () => {
  it('stores ISO and day-first dates (/, . and -) as ISO dates', async () => {
    const text = [
      FR,
      'Anthropic;a;1M tokens;3,00;USD;24/07/2026',
      'Anthropic;b;1M tokens;3,00;USD;24.07.2026',
      'Anthropic;c;1M tokens;3,00;USD;24-07-2026',
      'Anthropic;d;1M tokens;3,00;USD;2026-07-24',
      'Anthropic;e;1M tokens;3,00;USD;4/7/2026',
      'Anthropic;f;1M tokens;3,00;USD;29/02/2028',
      'Anthropic;g;1M tokens;3,00;USD;',
    ].join('\r\n');
    expect(await asOfs(utf8(text), 'prix.csv')).toEqual([
      '2026-07-24',
      '2026-07-24',
      '2026-07-24',
      '2026-07-24',
      '2026-07-04', // day 4, month 7: day first
      '2028-02-29', // 2028 is a leap year
      undefined,
    ]);
  });

  it('refuses impossible, month-first, two-digit-year and other dates, each at its row and column', async () => {
    const text = [
      EN,
      'A,a,GB,1,USD,31/02/2026', // 2: February has no 31st
      'A,b,GB,1,USD,07/24/2026', // 3: month 24 read day first: a US month-first date
      'A,c,GB,1,USD,24/07/26', // 4: two-digit year
      'A,d,GB,1,USD,July 2026', // 5
      'A,e,GB,1,USD,2026-13-01', // 6: month 13
      'A,f,GB,1,USD,29/02/2027', // 7: 2027 is not a leap year
      'A,g,GB,1,USD,2026-07-24', // 8: fine
    ].join('\n');
    const found = await issues(utf8(text), 'prices.csv');
    expect(found.map((i) => [i.file, i.row, i.column, i.field, i.value])).toEqual([
      ['prices.csv', 2, 6, 'x_AsOf', '31/02/2026'],
      ['prices.csv', 3, 6, 'x_AsOf', '07/24/2026'],
      ['prices.csv', 4, 6, 'x_AsOf', '24/07/26'],
      ['prices.csv', 5, 6, 'x_AsOf', 'July 2026'],
      ['prices.csv', 6, 6, 'x_AsOf', '2026-13-01'],
      ['prices.csv', 7, 6, 'x_AsOf', '29/02/2027'],
    ]);
    expect(found[0]!.message).toMatch(/not a real date/);
    expect(found[1]!.message).toMatch(/month-first US dates are not accepted/);
    expect(found[3]!.message).toMatch(
      /is not a date; write the date .* 2026-07-24 or 24\/07\/2026/,
    );
  });

  it('reports a bad x_AsOf beside the row’s other problems, in one pass', async () => {
    const text = [EN, 'A,a,GB,1O,USD,31/02/2026'].join('\n');
    const found = await issues(utf8(text), 'prices.csv');
    expect(found.map((i) => [i.row, i.column, i.field])).toEqual([
      [2, 4, 'ListUnitPrice'],
      [2, 6, 'x_AsOf'],
    ]);
  });
});

describe('x_AsOf in XLSX', () => {
  it('reads real date cells and day-first text, and refuses a bad text date at its cell', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Prices');
    ws.addRow(EN.split(','));
    ws.addRow(['A', 'a', 'GB', 1, 'USD', new Date(Date.UTC(2026, 6, 24))]);
    ws.addRow(['A', 'b', 'GB', 1, 'USD', '24/07/2026']);
    const good = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await asOfs(good, 'prices.xlsx')).toEqual(['2026-07-24', '2026-07-24']);

    ws.addRow(['A', 'c', 'GB', 1, 'USD', '31/02/2026']);
    const bad = new Uint8Array(await wb.xlsx.writeBuffer());
    const found = await issues(bad, 'prices.xlsx');
    expect(found.map((i) => [i.file, i.row, i.column, i.field, i.value])).toEqual([
      ['prices.xlsx', 4, 6, 'x_AsOf', '31/02/2026'],
    ]);
  });
});

describe('x_AsOf in JSON rows', () => {
  it('stores a day-first date as ISO and refuses an impossible one', async () => {
    const row = (sku: string, asOf: string) =>
      `{ "ProviderName": "A", "SkuId": "${sku}", "PricingUnit": "GB", "ListUnitPrice": "1", "PricingCurrency": "USD", "x_AsOf": "${asOf}" }`;
    expect(await asOfs(utf8(`[\n${row('a', '24.07.2026')}\n]`), 'prices.json')).toEqual([
      '2026-07-24',
    ]);
    const found = await issues(
      utf8(`[\n${row('a', '2026-07-24')},\n${row('b', '30/02/2026')}\n]`),
      'prices.json',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: 'prices.json', row: 3, field: 'x_AsOf' });
    expect(found[0]!.value).toBe('30/02/2026');
  });
});

describe('x_AsOf of a LiteLLM catalogue', () => {
  const catalogue = (lastUpdated: string) =>
    utf8(
      JSON.stringify({
        'gpt-x': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-6 },
        last_updated: lastUpdated,
      }),
    );
  it('is its last_updated date, when that is a real date', async () => {
    expect(await asOfs(catalogue('2026-07-24T10:00:00Z'), 'catalogue.json')).toEqual([
      '2026-07-24',
    ]);
    expect(await asOfs(catalogue('2026-02-31'), 'catalogue.json')).toEqual([undefined]);
  });
});
