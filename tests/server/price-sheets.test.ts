import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicData } from '../public-data.ts';
import { backends, bearer, buildTestApp, fixture, multipart, type TestApp } from './helper.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency,ContractedUnitPrice';
const csv = (...lines: string[]) => Buffer.from(`${[HEADER, ...lines].join('\r\n')}\r\n`);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A workbook with a "Prices" sheet (after a cover sheet) and the given data rows. */
async function workbook(rows: unknown[][], opts: { sheet?: string } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Cover').addRow(['Prices of Acme, see next sheet']);
  const sheet = book.addWorksheet(opts.sheet ?? 'Prices');
  sheet.addRow(HEADER.split(','));
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe.each(backends)('price sheets on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  const upload = (body: Buffer, type: string, query = 'quarter=2026-Q3', key = t.keys.finance) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets?${query}`,
      headers: { ...bearer(key), 'content-type': type },
      payload: body,
    });
  const sheetCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('price_sheets')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rowCount = async (id: string) =>
    Number(
      (
        await t.store.db
          .selectFrom('price_rows')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('sheet_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('uploads in every format', () => {
    it('an English Excel CSV as a raw text/csv body', async () => {
      const body = fixture('fixtures/bank-ma/prices/openai-2026Q3.csv');
      const r = await upload(body, 'text/csv', 'quarter=2026-Q3&fileName=openai-2026Q3.csv');
      expect(r.statusCode, r.body).toBe(201);
      const sheet = r.json();
      expect(sheet).toMatchObject({
        quarter: '2026-Q3',
        fileName: 'openai-2026Q3.csv',
        format: 'csv',
        mediaType: 'text/csv',
        sha256: sha256(body),
        byteSize: body.length,
        providers: ['OpenAI'],
        rowCount: 8,
        skipped: 0,
        uploadedBy: 'test finance',
        duplicate: false,
      });
      expect(await rowCount(sheet.id)).toBe(8);
    });

    it('a French Excel CSV with BOM, ";" and decimal commas, by multipart', async () => {
      const body = fixture('fixtures/bank-ma/prices/oracle-2024Q1.csv');
      const form = multipart(
        { quarter: '2024-Q1' },
        { name: 'oracle-2024Q1.csv', type: 'text/csv', content: body },
      );
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/price-sheets',
        headers: { ...bearer(t.keys.finance), ...form.headers },
        payload: form.payload,
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({
        fileName: 'oracle-2024Q1.csv',
        quarter: '2024-Q1',
        providers: ['Oracle'],
      });
      const rows = await t.app.inject({
        method: 'GET',
        url: `/v1/price-sheets/${r.json().id}?limit=1`,
        headers: bearer(t.keys.analyst),
      });
      // "10,00" and "8,50" in the file.
      expect(rows.json().rows[0]).toMatchObject({
        SkuId: 'B98415',
        ListUnitPrice: '10.00',
        ContractedUnitPrice: '8.50',
        line: 2,
      });
    });

    it('Excel’s "Unicode Text" (UTF-16LE with its BOM, tab-separated, French) by multipart', async () => {
      const text = [
        'ProviderName\tSkuId\tPricingUnit\tListUnitPrice\tPricingCurrency\tx_Source',
        'Orange Business\tstockage-unicode\t1 Go-mois\t0,125\tEUR\tGrille « été »',
        '',
      ].join('\r\n');
      const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const form = multipart(
        { quarter: '2026-Q2' },
        { name: 'prix unicode.txt', type: 'text/plain', content },
      );
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/price-sheets',
        headers: { ...bearer(t.keys.finance), ...form.headers },
        payload: form.payload,
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ rowCount: 1, providers: ['Orange Business'] });
      const rows = await t.app.inject({
        method: 'GET',
        url: `/v1/price-sheets/${r.json().id}?limit=1`,
        headers: bearer(t.keys.analyst),
      });
      // "0,125" in the file: a decimal comma, not 125.
      expect(rows.json().rows[0]).toMatchObject({
        SkuId: 'stockage-unicode',
        ListUnitPrice: '0.125',
        x_Source: 'Grille « été »',
        line: 2,
      });
    });

    it('JSON rows as a raw application/json body', async () => {
      const r = await upload(
        fixture('fixtures/bank-ma/prices/google-cloud-2024Q4.json'),
        'application/json',
        'quarter=2024-Q4',
      );
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ format: 'json', providers: ['Google Cloud'] });
      const rows = await t.app.inject({
        method: 'GET',
        url: `/v1/price-sheets/${r.json().id}?limit=100`,
        headers: bearer(t.keys.analyst),
      });
      // The long decimal survives the round trip through NUMERIC exactly.
      expect(rows.json().rows.map((x: { ListUnitPrice: string }) => x.ListUnitPrice)).toContain(
        '14.0675598969041',
      );
    });

    it('the LiteLLM catalogue: non-models and entries without token prices are skipped and counted', async () => {
      // BerriAI/litellm's catalogue (MIT), copied unchanged: see fixtures/public/SOURCES.md.
      const body = readFileSync(publicData('litellm-2024/model_prices_and_context_window.json'));
      const catalogue = JSON.parse(body.toString('utf8')) as Record<
        string,
        Record<string, unknown>
      >;
      // Independent count: the "sample_spec" entry, and entries with no per-token price.
      const unpriced = Object.entries(catalogue).filter(
        ([k, v]) =>
          k === 'sample_spec' ||
          (typeof v['input_cost_per_token'] !== 'number' &&
            typeof v['output_cost_per_token'] !== 'number'),
      ).length;
      const form = multipart(
        { quarter: '2024-Q2' },
        { name: 'model_prices_and_context_window.json', content: body },
      );
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/price-sheets',
        headers: { ...bearer(t.keys.finance), ...form.headers },
        payload: form.payload,
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ format: 'litellm', skipped: unpriced });
      expect(r.json().rowCount).toBeGreaterThan(1000);
      expect(await rowCount(r.json().id)).toBe(r.json().rowCount);
    });

    it('XLSX: the sheet named Prices, formulas read as their cached values', async () => {
      const body = await workbook([
        ['Acme', 'acme-chat', '1M tokens', { formula: '5*2', result: 10 }, 'USD', null],
        ['Acme', 'acme-store', 'GB-Month', 0.02, 'USD', 0.015],
      ]);
      const r = await upload(body, XLSX, 'quarter=2026-Q3&fileName=acme.xlsx');
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ format: 'xlsx', rowCount: 2, providers: ['Acme'] });
      const rows = (
        await t.app.inject({
          method: 'GET',
          url: `/v1/price-sheets/${r.json().id}`,
          headers: bearer(t.keys.analyst),
        })
      ).json().rows;
      expect(rows).toMatchObject([
        { SkuId: 'acme-chat', ListUnitPrice: '10', line: 2 },
        { SkuId: 'acme-store', ListUnitPrice: '0.02', ContractedUnitPrice: '0.015', line: 3 },
      ]);
    });

    it('XLSX: a formula without a cached value is refused with a clear message', async () => {
      const body = await workbook([
        ['Acme', 'acme-x', '1M tokens', { formula: 'B9*2' }, 'USD', null],
      ]);
      const before = await sheetCount();
      const r = await upload(body, XLSX, 'quarter=2026-Q3&fileName=formula.xlsx');
      expect(r.statusCode).toBe(422);
      expect(r.json().error.issues[0].message).toMatch(/formula without a cached value in cell D2/);
      expect(await sheetCount()).toBe(before);
    });

    it('the provider field fills ProviderName where rows have none', async () => {
      const body = Buffer.from(
        'SkuId,PricingUnit,ListUnitPrice,PricingCurrency\r\nz-1,GB,0.5,EUR\r\n',
      );
      const r = await upload(body, 'text/csv', 'quarter=2026-Q1&provider=Zeta');
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().providers).toEqual(['Zeta']);
    });

    it('stores quotes, backslashes, braces, commas, tabs and \\N in text exactly as written', async () => {
      const body = Buffer.from(
        'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency,Description,RegionId\r\n' +
          'Esc,"say ""hi""",GB,1,USD,"C:\\path\\, {a,b} NULL",\r\n' +
          'Esc,b,GB,2,USD,"two\r\nlines",NULL\r\n' +
          'Esc,c,GB,3,USD,tab\there \\N,\\\r\n',
      );
      const r = await upload(body, 'text/csv', 'quarter=2026-Q1');
      expect(r.statusCode, r.body).toBe(201);
      const page = await t.app.inject({
        method: 'GET',
        url: `/v1/price-sheets/${r.json().id}`,
        headers: bearer(t.keys.analyst),
      });
      expect(page.json().rows).toEqual([
        {
          ProviderName: 'Esc',
          SkuId: 'say "hi"',
          PricingUnit: 'GB',
          ListUnitPrice: '1',
          PricingCurrency: 'USD',
          Description: 'C:\\path\\, {a,b} NULL',
          line: 2,
        },
        {
          ProviderName: 'Esc',
          SkuId: 'b',
          PricingUnit: 'GB',
          ListUnitPrice: '2',
          PricingCurrency: 'USD',
          Description: 'two\nlines',
          line: 3,
        },
        {
          ProviderName: 'Esc',
          SkuId: 'c',
          PricingUnit: 'GB',
          ListUnitPrice: '3',
          PricingCurrency: 'USD',
          Description: 'tab\there \\N',
          RegionId: '\\',
          line: 5,
        },
      ]);
    });
  });

  it('reads XLSX bytes sent as text/csv as the workbook they are', async () => {
    const r = await upload(await workbook([['Zip', 'z-1', 'GB', 2.5, 'USD']]), 'text/csv');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ format: 'xlsx', rowCount: 1, providers: ['Zip'] });
  });

  describe('an identical file again', () => {
    it('is reported as a duplicate of the stored version, with nothing stored', async () => {
      const body = csv('Dup,d-1,GB,1,USD,');
      const first = await upload(body, 'text/csv');
      expect(first.statusCode).toBe(201);
      const before = await sheetCount();
      const again = await upload(body, 'text/csv', 'quarter=2027-Q1');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({
        duplicate: true,
        id: first.json().id,
        quarter: '2026-Q3',
        // Sent for 2027-Q1, it says nothing was stored for that quarter (issue 13).
        message:
          'an identical file was already stored for 2026-Q3; nothing was stored for 2027-Q1: the same bytes are one version (a changed file is a new version)',
      });
      const same = await upload(body, 'text/csv');
      expect(same.json().message).toBe(
        'an identical file was already stored for 2026-Q3; nothing new was stored',
      );
      expect(await sheetCount()).toBe(before);
      expect(await rowCount(first.json().id)).toBe(1);
    });

    it('concurrent identical uploads store one version', async () => {
      const body = csv('Race,r-1,GB,1,USD,', 'Race,r-2,GB,2,USD,');
      const answers = await Promise.all([1, 2, 3, 4].map(() => upload(body, 'text/csv')));
      const ids = new Set(answers.map((a) => a.json().id));
      expect(ids.size).toBe(1);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 201]);
      expect(await rowCount([...ids][0]!)).toBe(2);
    });
  });

  describe('an invalid file', () => {
    it('gets 422 with each problem located, and stores nothing', async () => {
      const before = await sheetCount();
      const r = await upload(
        csv('Bad,b-1,GB,abc,USD,', 'Bad,b-2,GB,1,usd,', 'Bad,b-3,GB,-1,USD,'),
        'text/csv',
      );
      expect(r.statusCode).toBe(422);
      const { error } = r.json();
      expect(error.code).toBe('invalid_price_sheet');
      expect(error.issueCount).toBe(3);
      expect(error.issues).toEqual([
        {
          row: 2,
          column: 4,
          field: 'ListUnitPrice',
          value: 'abc',
          message: expect.stringContaining('not a number'),
        },
        { row: 3, column: 5, field: 'PricingCurrency', value: 'usd', message: expect.any(String) },
        {
          row: 4,
          column: 4,
          field: 'ListUnitPrice',
          value: '-1',
          message: expect.stringContaining('≥ 0'),
        },
      ]);
      expect(await sheetCount()).toBe(before);
    });

    it('lists the first 1000 problems and counts them all', async () => {
      const lines = Array.from({ length: 1500 }, (_, i) => `Bad,b-${i},GB,x${i},USD,`);
      const r = await upload(csv(...lines), 'text/csv');
      expect(r.statusCode).toBe(422);
      expect(r.json().error.issues).toHaveLength(1000);
      expect(r.json().error.issueCount).toBe(1500);
      expect(r.json().error.issues[999]).toMatchObject({ row: 1001, value: 'x999' });
    });

    it('with more rows than the limit is refused', async () => {
      const small = await buildTestApp({ backend, config: { limits: { maxRows: 3 } as never } });
      try {
        const r = await small.app.inject({
          method: 'POST',
          url: '/v1/price-sheets?quarter=2026-Q3',
          headers: { ...bearer(small.keys.finance), 'content-type': 'text/csv' },
          payload: csv('A,1,GB,1,USD,', 'A,2,GB,1,USD,', 'A,3,GB,1,USD,', 'A,4,GB,1,USD,'),
        });
        expect(r.statusCode).toBe(422);
        expect(r.json().error.issues[0].message).toMatch(/more than 3 price rows/);
      } finally {
        await small.close();
      }
    });

    it('an XLSX decompression bomb is refused before it is unpacked', async () => {
      const zip = new JSZip();
      zip.file('[Content_Types].xml', '<Types/>');
      zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(20 * 1024 * 1024, 0x20));
      const body = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      expect(body.length).toBeLessThan(100_000);
      const r = await upload(body, XLSX, 'quarter=2026-Q3&fileName=bomb.xlsx');
      expect(r.statusCode).toBe(422);
      expect(r.json().error.issues[0].message).toMatch(/compress|ratio|bomb|large/i);
    });
  });

  describe('media types and sizes', () => {
    it('a raw body of another media type is 415', async () => {
      const r = await upload(csv('A,1,GB,1,USD,'), 'text/plain');
      expect(r.statusCode).toBe(415);
      expect(r.json().error.code).toBe('unsupported_media_type');
    });

    it('a multipart file in a format we cannot read (.xls, .pdf) is 415', async () => {
      for (const [name, content] of [
        ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])],
        ['scan.pdf', Buffer.from('%PDF-1.4\n')],
      ] as const) {
        const form = multipart({ quarter: '2026-Q3' }, { name, content });
        const r = await t.app.inject({
          method: 'POST',
          url: '/v1/price-sheets',
          headers: { ...bearer(t.keys.finance), ...form.headers },
          payload: form.payload,
        });
        expect(r.statusCode, name).toBe(415);
      }
    });

    it('a file over the upload limit is 413, raw or multipart, and nothing is stored', async () => {
      const small = await buildTestApp({
        backend,
        config: { limits: { uploadBytes: 1000 } as never },
      });
      try {
        const big = csv(...Array.from({ length: 100 }, (_, i) => `Big,b-${i},GB,1,USD,`));
        const raw = await small.app.inject({
          method: 'POST',
          url: '/v1/price-sheets?quarter=2026-Q3',
          headers: { ...bearer(small.keys.finance), 'content-type': 'text/csv' },
          payload: big,
        });
        expect(raw.statusCode).toBe(413);
        expect(raw.json().error.code).toBe('payload_too_large');
        const form = multipart({ quarter: '2026-Q3' }, { name: 'big.csv', content: big });
        const mp = await small.app.inject({
          method: 'POST',
          url: '/v1/price-sheets',
          headers: { ...bearer(small.keys.finance), ...form.headers },
          payload: form.payload,
        });
        expect(mp.statusCode).toBe(413);
        const n = await small.store.db.selectFrom('price_sheets').select('id').execute();
        expect(n).toHaveLength(0);
      } finally {
        await small.close();
      }
    });

    it('the as-of quarter is required and checked', async () => {
      const missing = await upload(csv('Q,1,GB,1,USD,'), 'text/csv', '');
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.issues[0]).toMatchObject({ field: 'quarter' });
      const bad = await upload(csv('Q,1,GB,1,USD,'), 'text/csv', 'quarter=2026Q3');
      expect(bad.statusCode).toBe(400);
    });

    it('a multipart form without a file is 400', async () => {
      const form = multipart({ quarter: '2026-Q3' });
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/price-sheets',
        headers: { ...bearer(t.keys.finance), ...form.headers },
        payload: form.payload,
      });
      expect(r.statusCode).toBe(400);
    });
  });

  describe('listing, rows and diffs', () => {
    let older: string;
    let newer: string;
    beforeAll(async () => {
      // Hand-made versions of one sheet: one rise, one fall, one contracted change, one
      // currency change, one unchanged (0.02 = 0.020), one removed, one added.
      const a = await upload(
        csv(
          'Diffco,chat,1M tokens,10,USD,',
          'Diffco,store,GB-Month,0.02,USD,',
          'Diffco,old,GB,1,USD,',
          'Diffco,gpu,GPU-Hour,8,USD,6.4',
          'Diffco,drop,GB,3,USD,',
          'Diffco,fx,GB,1,USD,',
        ),
        'text/csv',
        'quarter=2026-Q2&fileName=diffco-q2.csv',
      );
      const b = await upload(
        csv(
          'Diffco,chat,1M tokens,12.5,USD,',
          'Diffco,store,GB-Month,0.020,USD,',
          'Diffco,gpu,GPU-Hour,8,USD,7.2',
          'Diffco,drop,GB,2,USD,',
          'Diffco,fx,GB,1,EUR,',
          'Diffco,new,GB,3,USD,',
        ),
        'text/csv',
        'quarter=2026-Q3&fileName=diffco-q3.csv',
      );
      older = a.json().id;
      newer = b.json().id;
    });

    it('lists versions newest first, filtered by provider (any case) and quarter', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: '/v1/price-sheets?provider=DIFFCO',
        headers: bearer(t.keys.analyst),
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().items.map((s: { id: string }) => s.id)).toEqual([newer, older]);
      expect(r.json().total).toBe(2);
      const q2 = await t.app.inject({
        method: 'GET',
        url: '/v1/price-sheets?provider=diffco&quarter=2026-Q2',
        headers: bearer(t.keys.analyst),
      });
      expect(q2.json().items.map((s: { id: string }) => s.id)).toEqual([older]);
      const page = await t.app.inject({
        method: 'GET',
        url: '/v1/price-sheets?limit=1&offset=1',
        headers: bearer(t.keys.analyst),
      });
      expect(page.json().items).toHaveLength(1);
      expect(page.json().total).toBe(await sheetCount());
    });

    it('gets one version with a page of its rows, in file order', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/v1/price-sheets/${older}?limit=2&offset=2`,
        headers: bearer(t.keys.analyst),
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ id: older, rowCount: 6, limit: 2, offset: 2 });
      expect(r.json().rows).toEqual([
        {
          ProviderName: 'Diffco',
          SkuId: 'old',
          PricingUnit: 'GB',
          ListUnitPrice: '1',
          PricingCurrency: 'USD',
          line: 4,
        },
        {
          ProviderName: 'Diffco',
          SkuId: 'gpu',
          PricingUnit: 'GPU-Hour',
          ListUnitPrice: '8',
          PricingCurrency: 'USD',
          ContractedUnitPrice: '6.4',
          line: 5,
        },
      ]);
    });

    it('diffs two versions: added, removed, changed with the % change', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/v1/price-sheets/diff?from=${older}&to=${newer}`,
        headers: bearer(t.keys.analyst),
      });
      expect(r.statusCode, r.body).toBe(200);
      const d = r.json();
      expect(d.counts).toEqual({ added: 1, removed: 1, changed: 4, unchanged: 1 });
      expect(d.added).toMatchObject([
        { SkuId: 'new', from: null, to: { ListUnitPrice: '3', line: 7 } },
      ]);
      expect(d.removed).toMatchObject([
        { SkuId: 'old', from: { ListUnitPrice: '1', line: 4 }, to: null },
      ]);
      const pct = Object.fromEntries(
        d.changed.map(
          (c: { SkuId: string; unitPriceChangePct: string; listUnitPriceChangePct: string }) => [
            c.SkuId,
            [c.unitPriceChangePct, c.listUnitPriceChangePct],
          ],
        ),
      );
      expect(pct).toEqual({
        chat: ['25.00', '25.00'], // 10 → 12.5
        gpu: ['12.50', '0.00'], // contracted 6.4 → 7.2; list unchanged at 8
        drop: ['-33.33', '-33.33'], // 3 → 2: −33.333…
        fx: [null, null], // USD → EUR: not comparable
      });
    });

    it('diff of an unknown version is 404', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/v1/price-sheets/diff?from=${older}&to=00000000-0000-4000-8000-000000000000`,
        headers: bearer(t.keys.analyst),
      });
      expect(r.statusCode).toBe(404);
    });

    it('an unknown version is 404, a malformed id 400', async () => {
      const unknown = await t.app.inject({
        method: 'GET',
        url: '/v1/price-sheets/00000000-0000-4000-8000-000000000000',
        headers: bearer(t.keys.analyst),
      });
      expect(unknown.statusCode).toBe(404);
      const bad = await t.app.inject({
        method: 'GET',
        url: '/v1/price-sheets/nope',
        headers: bearer(t.keys.analyst),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues[0]).toMatchObject({ field: 'id' });
    });
  });
});
