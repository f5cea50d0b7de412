// How a version's rows are stored (blocks of rows, server/db/row-blocks.ts), on both databases.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { Kysely, Migrator, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICE_COLUMNS, type PriceRow } from '../../models/price-sheet.ts';
import type { Database, Store } from '../../server/db/index.ts';
import { migrationProvider } from '../../server/db/migrations.ts';
import { decodeBlock, encodeBlock } from '../../server/db/row-blocks.ts';
import { HttpError } from '../../server/http/errors.ts';
import { uploadError } from '../../server/http/routes/price-sheets/upload.ts';
import { priceSheetsService } from '../../server/services/price-sheets/index.ts';
import { spool } from '../../server/services/spool.ts';
import { backends } from './helper.ts';

describe('a block of rows', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const row = fc.record(
    {
      ProviderName: text,
      SkuId: text,
      PricingUnit: text,
      ListUnitPrice: fc.constantFrom('0', '1.50', '0.0000025', '1250.5'),
      PricingCurrency: fc.constantFrom('USD', 'EUR'),
      ContractedUnitPrice: fc.constantFrom('0.1', '2'),
      ServiceCategory: text,
      RegionId: text,
      Description: fc.string({ unit: 'binary', maxLength: 40 }),
      x_AsOf: text,
    },
    { requiredKeys: ['ProviderName', 'SkuId', 'PricingUnit', 'ListUnitPrice', 'PricingCurrency'] },
  );

  it('reads back exactly the rows and lines written, absent columns left out', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const lines = rows.map((_, i) => i * 3 + 2);
        const outRows: PriceRow[] = [];
        const outLines: number[] = [];
        decodeBlock(encodeBlock(rows as PriceRow[], lines), outRows, outLines);
        expect(outRows).toEqual(rows);
        expect(outLines).toEqual(lines);
        // Keys in PRICE_COLUMNS order, as the API lists them.
        for (const r of outRows)
          expect(Object.keys(r)).toEqual(PRICE_COLUMNS.filter((c) => c in r));
      }),
    );
  });

  it('writes a slice of the rows', () => {
    const rows = ['a', 'b', 'c'].map((s) => ({
      ProviderName: 'P',
      SkuId: s,
      PricingUnit: 'Hours',
      ListUnitPrice: '1',
      PricingCurrency: 'USD',
    }));
    const out: PriceRow[] = [];
    const lines: number[] = [];
    decodeBlock(encodeBlock(rows, [2, 3, 4], 1, 3), out, lines);
    expect(out.map((r) => r.SkuId)).toEqual(['b', 'c']);
    expect(lines).toEqual([3, 4]);
  });

  it('refuses text that is not a block', () => {
    expect(() => decodeBlock('{}', [], [])).toThrow(/not an array/);
    expect(() => decodeBlock('[[2,"a"]]', [], [])).toThrow(/2 fields/);
  });
});

/** Row i of the generated sheets: quotes, separators and non-ASCII text in some. */
function genRow(i: number, provider: string) {
  return {
    ProviderName: provider,
    SkuId: `sku-${i}`,
    PricingUnit: i % 2 ? 'Hours' : '1M tokens',
    ListUnitPrice: `${Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`,
    PricingCurrency: i % 3 ? 'USD' : 'EUR',
    ...(i % 5 === 0 ? { RegionId: `région-${i % 7}` } : {}),
    ...(i % 7 === 0 ? { Description: `a "quoted", ${i}; \\ back-slashed — text` } : {}),
  } satisfies PriceRow;
}

const csvCell = (v: string | undefined) => (v === undefined ? '' : `"${v.replace(/"/g, '""')}"`);

const GEN_COLUMNS = [
  'ProviderName',
  'SkuId',
  'PricingUnit',
  'ListUnitPrice',
  'PricingCurrency',
  'RegionId',
  'Description',
] as const;

/**
 * `n` generated rows, and each row's cells in {@link GEN_COLUMNS} order as `cell` writes them;
 * `bad.price` goes in as it is.
 */
function genTable<T>(
  n: number,
  provider: string,
  cell: (v: string | undefined) => T,
  bad?: { row: number; price: string },
) {
  const rows = Array.from({ length: n }, (_, i) => genRow(i, provider));
  const table = rows.map((r, i) =>
    GEN_COLUMNS.map((c) =>
      bad && i === bad.row && c === 'ListUnitPrice' ? bad.price : cell(r[c as keyof typeof r]),
    ),
  );
  return { rows, table };
}

/** A CSV of `n` generated rows (line i + 2 holds row i), and the rows it holds. */
function genCsv(n: number, provider: string, bad?: { row: number; price: string }) {
  const { rows, table } = genTable(n, provider, csvCell, bad);
  const lines = table.map((cells) => cells.join(','));
  return { text: `${GEN_COLUMNS.join(',')}\r\n${lines.join('\r\n')}\r\n`, rows };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An XLSX workbook of `n` generated rows, every cell text (sheet row i + 2 holds row i). */
async function genXlsx(n: number, provider: string, bad?: { row: number; price: string }) {
  const { rows, table } = genTable(n, provider, (v) => v ?? null, bad);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Prices');
  ws.addRow([...GEN_COLUMNS]);
  for (const cells of table) ws.addRow(cells);
  return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), rows };
}

/** A version's blocks: where each starts and how many rows it holds. */
const blocksOf = (db: Store['db'], sheetId: string) =>
  db
    .selectFrom('price_row_blocks')
    .select(['first_idx', 'row_count'])
    .where('sheet_id', '=', sheetId)
    .orderBy('first_idx')
    .execute();

const blockCount = async (db: Store['db']) =>
  (
    await db
      .selectFrom('price_row_blocks')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n;

describe.each(backends)('price rows stored in blocks, on $name', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ store, dispose } = await backend.open());
    dir = await mkdtemp(join(tmpdir(), 'costcast-blocks-'));
  });
  afterAll(async () => {
    await store?.close();
    await dispose?.();
    await rm(dir, { recursive: true, force: true });
  });

  async function upload(text: string | Uint8Array, fileName = 'big.csv') {
    const service = priceSheetsService(store.db);
    const file = await spool(Readable.from([Buffer.from(text)]), 1 << 30, dir);
    try {
      const stored = await service.upload(
        {
          file,
          fileName,
          mediaType: fileName.endsWith('.xlsx') ? XLSX : 'text/csv',
          quarter: '2026-Q3',
          provider: undefined,
          uploadedBy: 'test',
        },
        { maxRows: 1_000_000 },
      );
      // A refused upload, as the route answers it.
      if (!stored.ok) throw uploadError(stored);
      return stored.value;
    } finally {
      await file.remove();
    }
  }

  const N = 12_345;
  it(`a ${N}-row CSV reads back row for row: whole, by page, and through the price_rows view`, async () => {
    const { text, rows } = genCsv(N, 'Acme');
    const up = await upload(text);
    expect(up.duplicate).toBe(false);
    expect(up.sheet.rowCount).toBe(N);
    expect(up.sheet.providers).toEqual(['Acme']);
    const blocks = await blocksOf(store.db, up.sheet.id);
    expect(blocks).toEqual([
      { first_idx: 0, row_count: 5000 },
      { first_idx: 5000, row_count: 5000 },
      { first_idx: 10_000, row_count: 2345 },
    ]);

    const service = priceSheetsService(store.db);
    const [sheet] = await service.load([{ sheetId: up.sheet.id, providers: null }]);
    expect(sheet!.rows).toEqual(rows);
    expect(sheet!.lines).toEqual(rows.map((_, i) => i + 2));
    for (const [offset, limit] of [
      [0, 3],
      [4990, 20],
      [9999, 2],
      [N - 5, 100],
      [N, 10],
    ] as const) {
      const page = await service.rows(up.sheet.id, { offset, limit });
      expect(page?.total).toBe(N);
      expect(page?.rows).toEqual(
        rows.slice(offset, offset + limit).map((r, k) => ({ ...r, line: offset + k + 2 })),
      );
    }
    const viewed = await sql<{
      idx: number;
      line: number;
      sku_id: string;
      list_unit_price: string;
      region_id: string | null;
      description: string | null;
    }>`SELECT idx, line, sku_id, list_unit_price::text AS list_unit_price, region_id, description
         FROM price_rows WHERE sheet_id = ${up.sheet.id} ORDER BY idx`.execute(store.db);
    expect(viewed.rows).toEqual(
      rows.map((r, i) => ({
        idx: i,
        line: i + 2,
        sku_id: r.SkuId,
        list_unit_price: r.ListUnitPrice,
        region_id: r.RegionId ?? null,
        description: r.Description ?? null,
      })),
    );
  });

  it('a bad row deep in a large file: 422 at its line, nothing stored', async () => {
    const { text } = genCsv(9000, 'Broken', { row: 8000, price: '12.3.4' });
    const before = await blockCount(store.db);
    const err = await upload(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).statusCode).toBe(422);
    expect((err as HttpError).issues).toEqual([
      expect.objectContaining({ row: 8002, column: 4, value: '12.3.4', field: 'ListUnitPrice' }),
    ]);
    expect(await blockCount(store.db)).toBe(before);
    const sheets = await store.db
      .selectFrom('price_sheets')
      .select('id')
      .where('file_name', '=', 'big.csv')
      .where('providers', '@>', sql<string[]>`ARRAY['Broken']`)
      .execute();
    expect(sheets).toEqual([]);
  });

  it('a 12 000-row XLSX is stored block by block as it is read, and reads back row for row', async () => {
    const { bytes, rows } = await genXlsx(12_000, 'Sheetco');
    const up = await upload(bytes, 'big.xlsx');
    expect(up.sheet.rowCount).toBe(12_000);
    expect(up.sheet.format).toBe('xlsx');
    expect(up.sheet.providers).toEqual(['Sheetco']);
    const blocks = await blocksOf(store.db, up.sheet.id);
    expect(blocks).toEqual([
      { first_idx: 0, row_count: 5000 },
      { first_idx: 5000, row_count: 5000 },
      { first_idx: 10_000, row_count: 2000 },
    ]);
    const [sheet] = await priceSheetsService(store.db).load([
      { sheetId: up.sheet.id, providers: null },
    ]);
    expect(sheet!.rows).toEqual(rows);
    expect(sheet!.lines).toEqual(rows.map((_, i) => i + 2));
  });

  it('a bad cell deep in a large XLSX, after blocks were stored: 422 naming the cell, nothing stored', async () => {
    const { bytes } = await genXlsx(11_000, 'Brokensheet', { row: 10_500, price: '12.3.4' });
    const before = await blockCount(store.db);
    const err = await upload(bytes, 'broken.xlsx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).statusCode).toBe(422);
    expect((err as HttpError).issues).toEqual([
      expect.objectContaining({
        row: 10_502,
        column: 4,
        value: '12.3.4',
        field: 'ListUnitPrice',
        message: expect.stringMatching(/^cell D10502: /),
      }),
    ]);
    expect(await blockCount(store.db)).toBe(before);
    const sheets = await store.db
      .selectFrom('price_sheets')
      .select('id')
      .where('file_name', '=', 'broken.xlsx')
      .execute();
    expect(sheets).toEqual([]);
  });

  it('a file found to be Windows-1252 after its first blocks is read again and stored once', async () => {
    const { text, rows } = genCsv(11_000, 'Latin');
    // "é" as Windows-1252 (0xE9) on row 10 500: not UTF-8, found after two blocks were stored.
    const at = text.indexOf('"sku-10500"');
    expect(at).toBeGreaterThan(0);
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at), 'utf8'),
      Buffer.from('"sku-10500-\u00e9"', 'latin1'),
      Buffer.from(text.slice(at + '"sku-10500"'.length), 'utf8'),
    ]);
    const up = await upload(bytes);
    expect(up.sheet.rowCount).toBe(11_000);
    expect(up.sheet.notes).toEqual([expect.stringMatching(/Windows-1252/)]);
    const service = priceSheetsService(store.db);
    const [sheet] = await service.load([{ sheetId: up.sheet.id, providers: null }]);
    // The UTF-8 "é" of the other rows, read as Windows-1252, is two characters: "Ã©".
    expect(sheet!.rows[10_500]!.SkuId).toBe('sku-10500-\u00e9');
    expect(sheet!.rows[5]!.RegionId).toBe(rows[5]!.RegionId!.replace('é', 'Ã©'));
    expect(sheet!.rows.length).toBe(11_000);
  });
});

describe('migration 0002: rows moved into blocks', () => {
  it('keeps every stored row, in order, readable through the view', async () => {
    const lite = await PGlite.create({});
    const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
      // 5 003 rows of one sheet (two blocks after the move) and 2 of another.
      await sql`
        INSERT INTO price_rows (sheet_id, idx, line, provider_name, sku_id, pricing_unit,
          list_unit_price, pricing_currency, contracted_unit_price, region_id, description)
        SELECT '00000000-0000-0000-0000-00000000000a', i, i + 2, 'Acme', 'sku-' || i, 'Hours',
          (i::numeric / 100), 'USD', CASE WHEN i % 2 = 0 THEN 0.5 END,
          CASE WHEN i % 3 = 0 THEN 'eu-west' END, CASE WHEN i = 7 THEN 'say "hi" \\ bye' END
        FROM generate_series(0, 5002) AS i`.execute(db);
      await sql`
        INSERT INTO price_rows (sheet_id, idx, line, provider_name, sku_id, pricing_unit,
          list_unit_price, pricing_currency)
        VALUES ('00000000-0000-0000-0000-00000000000b', 0, 2, 'Beta', 'x', 'GB', 1.250, 'EUR'),
               ('00000000-0000-0000-0000-00000000000b', 1, 3, 'Beta', 'y', 'GB', 0.0000025, 'EUR')`.execute(
        db,
      );
      const old = await sql<Record<string, unknown>>`
        SELECT sheet_id, idx, line, provider_name, sku_id, list_unit_price::text AS list,
          contracted_unit_price::text AS contracted, region_id, description
        FROM price_rows ORDER BY sheet_id, idx`.execute(db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();

      const blocks = await db
        .selectFrom('price_row_blocks')
        .select(['sheet_id', 'first_idx', 'row_count'])
        .orderBy('sheet_id')
        .orderBy('first_idx')
        .execute();
      expect(blocks).toEqual([
        { sheet_id: '00000000-0000-0000-0000-00000000000a', first_idx: 0, row_count: 5000 },
        { sheet_id: '00000000-0000-0000-0000-00000000000a', first_idx: 5000, row_count: 3 },
        { sheet_id: '00000000-0000-0000-0000-00000000000b', first_idx: 0, row_count: 2 },
      ]);
      const viewed = await sql<Record<string, unknown>>`
        SELECT sheet_id, idx, line, provider_name, sku_id, list_unit_price::text AS list,
          contracted_unit_price::text AS contracted, region_id, description
        FROM price_rows ORDER BY sheet_id, idx`.execute(db);
      expect(viewed.rows).toEqual(old.rows);

      // And the service reads the moved rows as it reads new ones.
      await db
        .insertInto('price_sheets')
        .values({
          id: '00000000-0000-0000-0000-00000000000b',
          quarter: '2026-Q3',
          file_name: 'b.csv',
          format: 'csv',
          media_type: null,
          sha256: 'b',
          byte_size: 1,
          providers: ['Beta'],
          row_count: 2,
          skipped: 0,
          notes: [],
          uploaded_by: 'test',
        })
        .execute();
      const service = priceSheetsService(db);
      const [b] = await service.load([
        { sheetId: '00000000-0000-0000-0000-00000000000b', providers: null },
      ]);
      expect(b!.rows).toEqual([
        {
          ProviderName: 'Beta',
          SkuId: 'x',
          PricingUnit: 'GB',
          ListUnitPrice: '1.250',
          PricingCurrency: 'EUR',
        },
        {
          ProviderName: 'Beta',
          SkuId: 'y',
          PricingUnit: 'GB',
          ListUnitPrice: '0.0000025',
          PricingCurrency: 'EUR',
        },
      ]);
      expect(b!.lines).toEqual([2, 3]);
    } finally {
      await db.destroy();
    }
  });
});
