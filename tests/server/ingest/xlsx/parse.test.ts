import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parsePriceSheet, zipProblem } from '../../../../server/ingest/index.ts';
import { columnLetters, parseXlsxStream } from '../../../../server/ingest/xlsx/parse.ts';
import { makeZip } from './zip-helper.ts';

const HEADER = ['ProviderName', 'SkuId', 'PricingUnit', 'ListUnitPrice', 'PricingCurrency'];

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function parse(bytes: Uint8Array, provider?: string) {
  return parsePriceSheet(bytes, {
    fileName: 'prices.xlsx',
    ...(provider === undefined ? {} : { provider }),
  });
}

/** A workbook with one sheet holding the header and `rows` from row 1. */
function sheetWith(rows: unknown[][], header: string[] = HEADER): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Prices');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return wb;
}

describe('XLSX price sheets', () => {
  it('reads every letter of a long sheet, whichever inflated chunks split its bytes', async () => {
    // 4 000 rows of accented text: exceljs decoded each inflated chunk alone, so a letter whose
    // two UTF-8 bytes fell in two chunks became U+FFFD ("modèle-é3301" read "mod\uFFFD\uFFFDle-é3301").
    const rows = Array.from({ length: 4000 }, (_, i) => [
      'Société Générale',
      `modèle-é${i}`,
      '1 hour',
      1.5,
      'EUR',
    ]);
    const r = await parse(await bytesOf(sheetWith(rows)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const wrong = r.value.rows.filter(
      (row, i) => row.SkuId !== `modèle-é${i}` || row.ProviderName !== 'Société Générale',
    );
    expect(wrong).toEqual([]);
    expect(r.value.rows).toHaveLength(4000);
  });

  it('reads the sheet named Prices even when it is not first, below blank rows', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Read me').addRow(['This workbook lists prices; see the Prices tab.']);
    const ws = wb.addWorksheet('Prices');
    ws.getRow(3).values = [...HEADER, 'x_AsOf', 'Description'];
    ws.addRow([
      'OpenAI',
      'gpt-4o-input',
      '1M tokens',
      2.5,
      'USD',
      new Date(Date.UTC(2026, 6, 1)),
      { richText: [{ text: 'Don' }, { font: { bold: true }, text: 'nées' }] },
    ]);
    ws.addRow(['OpenAI', 'gpt-4o-output', '1M tokens', { formula: 'D4*4', result: 10 }, 'USD']);
    ws.addRow(['Oracle', 'BM.GPU.H100.8', '1 hour', '1 250,50', 'USD']);
    ws.addRow(['Scaleway', 'h100-pcie', '1 hour', 0.1 + 0.2, 'EUR']);
    ws.addRow(['Mistral', 'mistral-large', '1M tokens', '2.5E-06', 'EUR']);

    const r = await parse(await bytesOf(wb));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.format).toBe('xlsx');
    expect(r.value.rows).toEqual([
      {
        ProviderName: 'OpenAI',
        SkuId: 'gpt-4o-input',
        PricingUnit: '1M tokens',
        ListUnitPrice: '2.5',
        PricingCurrency: 'USD',
        x_AsOf: '2026-07-01',
        Description: 'Données',
      },
      // the formula's cached result
      {
        ProviderName: 'OpenAI',
        SkuId: 'gpt-4o-output',
        PricingUnit: '1M tokens',
        ListUnitPrice: '10',
        PricingCurrency: 'USD',
      },
      // text typed the French way
      {
        ProviderName: 'Oracle',
        SkuId: 'BM.GPU.H100.8',
        PricingUnit: '1 hour',
        ListUnitPrice: '1250.50',
        PricingCurrency: 'USD',
      },
      // 0.30000000000000004 in binary, 0.3 to Excel's 15 significant digits
      {
        ProviderName: 'Scaleway',
        SkuId: 'h100-pcie',
        PricingUnit: '1 hour',
        ListUnitPrice: '0.3',
        PricingCurrency: 'EUR',
      },
      {
        ProviderName: 'Mistral',
        SkuId: 'mistral-large',
        PricingUnit: '1M tokens',
        ListUnitPrice: '0.0000025',
        PricingCurrency: 'EUR',
      },
    ]);
    expect(r.value.lines).toEqual([4, 5, 6, 7, 8]);
    expect(r.value.notes).toEqual(['read the sheet "Prices"']);
  });

  it('reads the first sheet when none is named Prices, with snake_case headers', async () => {
    const wb = new ExcelJS.Workbook();
    const first = wb.addWorksheet('Tarifs');
    first.addRow(['sku_id', 'pricing_unit', 'list_unit_price', 'pricing_currency']);
    first.addRow(['a100-80gb', '1 heure', 3.1, 'EUR']);
    wb.addWorksheet('Autre').addRow(['nothing', 'here']);
    const r = await parse(await bytesOf(wb), 'OVHcloud');
    expect(r.ok && r.value.rows).toEqual([
      {
        ProviderName: 'OVHcloud',
        SkuId: 'a100-80gb',
        PricingUnit: '1 heure',
        ListUnitPrice: '3.1',
        PricingCurrency: 'EUR',
      },
    ]);
    expect(r.ok && r.value.notes).toEqual(['read the sheet "Tarifs"']);
  });

  it('refuses a formula without a cached value, naming the cell', async () => {
    const rows = [
      ['OpenAI', 'a', '1 h', 1, 'USD'],
      ['OpenAI', 'b', '1 h', 2, 'USD'],
      ['OpenAI', 'c', '1 h', 3, 'USD'],
      ['OpenAI', 'd', '1 h', 4, 'USD'],
      ['OpenAI', 'e', '1 h', 5, 'USD'],
      ['OpenAI', 'f', '1 h', { formula: 'D2*3' }, 'USD'],
    ];
    const r = await parse(await bytesOf(sheetWith(rows)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        file: 'prices.xlsx',
        row: 7,
        column: 4,
        field: 'ListUnitPrice',
        value: '=D2*3',
        message:
          'formula without a cached value in cell D7; save the file in Excel first or paste values',
      },
    ]);
  });

  it('names the cell of a bad value in the message and keeps row and column as numbers', async () => {
    const rows = [
      ['OpenAI', 'a', '1 h', 'gratuit', 'USD'],
      ['OpenAI', 'b', '1 h', -1, 'USD'],
      ['OpenAI', 'c', '1 h', { error: '#N/A' }, 'USD'],
      ['OpenAI', 'd', '1 h', 1, null],
    ];
    const r = await parse(await bytesOf(sheetWith(rows)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.row, i.column, i.field, i.value])).toEqual([
      [2, 4, 'ListUnitPrice', 'gratuit'],
      [3, 4, 'ListUnitPrice', '-1'],
      [4, 4, 'ListUnitPrice', '#N/A'],
      [5, 5, 'PricingCurrency', undefined],
    ]);
    expect(r.issues[0]?.message).toMatch(/^cell D2: "gratuit" is not a number/);
    expect(r.issues[1]?.message).toMatch(/^cell D3: must be ≥ 0/);
    expect(r.issues[2]?.message).toBe('cell D4: holds the error #N/A');
    expect(r.issues[3]?.message).toMatch(/^cell E5: is empty/);
  });

  it('names a missing required column at the header row', async () => {
    const r = await parse(
      await bytesOf(
        sheetWith(
          [['OpenAI', 'a', 1, 'USD']],
          ['ProviderName', 'SkuId', 'ListUnitPrice', 'PricingCurrency'],
        ),
      ),
    );
    expect(!r.ok && r.issues.map((i) => [i.row, i.field])).toEqual([[1, 'PricingUnit']]);
  });

  it('writes column numbers as Excel letters', () => {
    expect([1, 4, 26, 27, 28, 52, 703].map(columnLetters)).toEqual([
      'A',
      'D',
      'Z',
      'AA',
      'AB',
      'AZ',
      'AAA',
    ]);
  });
});

describe('XLSX files that are refused before they are unpacked', () => {
  it('refuses bytes that are not a zip', async () => {
    const r = await parse(new TextEncoder().encode('ProviderName,SkuId\n'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]?.message).toMatch(/is not an XLSX workbook \(not a zip file/);
  });

  it('refuses an entry compressed more than 100 times (a zip bomb)', async () => {
    // 10 MB of zeros deflate to about 10 KB: a ratio near 1000
    const bomb = makeZip([
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(10 * 1024 * 1024) },
    ]);
    const r = await parse(bomb);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.message).toMatch(
      /^entry "xl\/worksheets\/sheet1\.xml" is compressed \d+ times .*refused as a possible zip bomb$/,
    );
  });

  it('refuses a zip that declares more than 200 MB in all', async () => {
    // three entries of 80 MB each, declared from 1 MB of (never inflated) data: ratio 80 each
    const compressed = randomBytes(1024 * 1024);
    const zip = makeZip(
      ['a', 'b', 'c'].map((n) => ({
        name: `xl/${n}.xml`,
        compressed,
        declaredSize: 80 * 1024 * 1024,
      })),
    );
    const r = await parse(zip);
    expect(!r.ok && r.issues[0]?.message).toBe(
      'unpacks to more than 200.0 MB; refused as a possible zip bomb',
    );
  });

  it('refuses an entry that inflates to more than it declares', async () => {
    // declares 500 000 bytes (ratio about 50), inflates to 10 MB
    const zip = makeZip([
      { name: 'xl/sharedStrings.xml', data: Buffer.alloc(10 * 1024 * 1024), declaredSize: 500_000 },
    ]);
    expect(await zipProblem(zip)).toMatch(/^is not a readable zip file .*too many bytes/);
  });

  it('refuses a zip with a local entry hidden from its directory', async () => {
    const zip = makeZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/sharedStrings.xml', data: Buffer.alloc(1024 * 1024), hidden: true },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    ]);
    expect(await zipProblem(zip)).toMatch(/^is not a well-formed zip: /);
  });

  it('lets an ordinary workbook through', async () => {
    expect(
      await zipProblem(await bytesOf(sheetWith([['OpenAI', 'a', '1 h', 1, 'USD']]))),
    ).toBeNull();
  });
});

describe('XLSX read as a stream', () => {
  const rowsOf = (n: number) =>
    Array.from({ length: n }, (_, i) => ['Acme', `sku-${i}`, '1 hour', `${i}.5`, 'USD']);

  it('hands the valid rows over 5 000 at a time, with their sheet rows', async () => {
    const batches: { first: number; count: number; firstSku: string; firstLine: number }[] = [];
    const r = await parseXlsxStream(
      await bytesOf(sheetWith(rowsOf(10_001))),
      { file: 'prices.xlsx', maxRows: 1_000_000 },
      {
        async onBatch(b) {
          batches.push({
            first: b.first,
            count: b.rows.length,
            firstSku: b.rows[0]!.SkuId,
            firstLine: b.lines[0]!,
          });
        },
      },
    );
    expect(r).toEqual({
      ok: true,
      value: { format: 'xlsx', rowCount: 10_001, skipped: 0, notes: ['read the sheet "Prices"'] },
    });
    expect(batches).toEqual([
      { first: 0, count: 5000, firstSku: 'sku-0', firstLine: 2 },
      { first: 5000, count: 5000, firstSku: 'sku-5000', firstLine: 5002 },
      { first: 10_000, count: 1, firstSku: 'sku-10000', firstLine: 10_002 },
    ]);
  });

  it('passes a failure to store the rows through as it is, not as a problem with the file', async () => {
    const lost = new Error('connection lost');
    await expect(
      parseXlsxStream(
        await bytesOf(sheetWith(rowsOf(6000))),
        { file: 'prices.xlsx', maxRows: 1_000_000 },
        {
          onBatch: async () => {
            throw lost;
          },
        },
      ),
    ).rejects.toBe(lost);
  });

  it('hands nothing over once a row is bad, and answers with that row', async () => {
    const rows = rowsOf(12_000);
    rows[7000]![3] = 'twelve';
    let handed = 0;
    const r = await parseXlsxStream(
      await bytesOf(sheetWith(rows)),
      { file: 'prices.xlsx', maxRows: 1_000_000 },
      {
        async onBatch(b) {
          handed += b.rows.length;
        },
      },
    );
    expect(handed).toBe(5000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      expect.objectContaining({ row: 7002, column: 4, value: 'twelve', field: 'ListUnitPrice' }),
    ]);
  });
});
