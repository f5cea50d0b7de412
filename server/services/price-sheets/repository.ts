import { type Kysely, sql } from 'kysely';
import type { PriceRow } from '../../../models/price-sheet.ts';
import { BLOCK_ROWS, encodeBlockBytes } from '../../db/row-blocks.ts';
import type { Database, NewPriceSheet, PriceSheetRow } from '../../db/schema.ts';

/** One block of a version's rows, as stored: its first row number, its row count, its bytes. */
export interface StoredBlock {
  readonly first: number;
  readonly count: number;
  readonly bytes: Uint8Array;
}

/** What a finished upload records on its version. */
export type VersionTotals = Pick<
  PriceSheetRow,
  'providers' | 'kind' | 'row_count' | 'skipped' | 'notes'
>;

export type PriceSheetsRepository = ReturnType<typeof priceSheetsRepository>;

/**
 * The queries of price-sheet versions and their row blocks, on `db` or on a transaction
 * (`priceSheetsRepository(trx)`); rows come back as stored, nothing is shaped for the API.
 */
export function priceSheetsRepository(db: Kysely<Database>) {
  const providerIs = (names: readonly string[]) =>
    sql<boolean>`EXISTS (SELECT 1 FROM unnest(providers) AS p WHERE lower(p) = ANY(${[...names]}::text[]))`;

  /** A version whose latest review did not refuse it (never reviewed counts). */
  const notRefused = () =>
    sql<boolean>`coalesce((SELECT r.decision FROM price_sheet_reviews r WHERE r.sheet_id = price_sheets.id ORDER BY r.id DESC LIMIT 1), 'none') <> 'refused'`;

  async function storeBlock(sheetId: string, block: StoredBlock): Promise<void> {
    await db
      .insertInto('price_row_blocks')
      .values({
        sheet_id: sheetId,
        first_idx: block.first,
        row_count: block.count,
        rows: block.bytes,
      })
      .execute();
  }

  return {
    byId(id: string): Promise<PriceSheetRow | undefined> {
      return db.selectFrom('price_sheets').selectAll().where('id', '=', id).executeTakeFirst();
    },

    bySha(sha256: string): Promise<PriceSheetRow | undefined> {
      return db
        .selectFrom('price_sheets')
        .selectAll()
        .where('sha256', '=', sha256)
        .executeTakeFirst();
    },

    /** Which of `ids` are stored versions. */
    async existing(ids: readonly string[]): Promise<Set<string>> {
      const found = await db
        .selectFrom('price_sheets')
        .select('id')
        .where('id', 'in', [...ids])
        .execute();
      return new Set(found.map((r) => r.id));
    },

    /** A page of versions, newest first, optionally of one provider (any case) and quarter. */
    async page(filter: {
      readonly provider?: string | undefined;
      readonly quarter?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ rows: PriceSheetRow[]; total: number }> {
      let q = db.selectFrom('price_sheets');
      if (filter.quarter !== undefined) q = q.where('quarter', '=', filter.quarter);
      if (filter.provider !== undefined) {
        const provider = filter.provider.trim().toLowerCase();
        q = q.where(
          sql<boolean>`EXISTS (SELECT 1 FROM unnest(providers) AS p WHERE lower(p) = ${provider})`,
        );
      }
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('uploaded_at', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    /** The as-of quarter of each of `ids` that is stored. */
    async quarters(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('price_sheets')
        .select(['id', 'quarter'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((r) => [r.id, r.quarter]));
    },

    /**
     * The versions uploaded for `quarter` or before that list one of `providers` (lowercase),
     * newest first, less those whose latest review refused them.
     */
    asOf(quarter: string, providers: readonly string[]) {
      return db
        .selectFrom('price_sheets')
        .select(['id', 'providers'])
        .where('quarter', '<=', quarter)
        .where(providerIs(providers))
        .where(notRefused())
        .orderBy('quarter', 'desc')
        .orderBy('uploaded_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },

    /**
     * Every provider named by a version uploaded for `quarter` or before that review did not
     * refuse, as stored (what `asOf` is then asked for).
     */
    async providersAsOf(quarter: string): Promise<string[]> {
      const rows = await db
        .selectFrom('price_sheets')
        .select(sql<string>`unnest(providers)`.as('provider'))
        .distinct()
        .where('quarter', '<=', quarter)
        .where(notRefused())
        .execute();
      return rows.map((r) => r.provider);
    },

    /** The versions `asOf` leaves out because their latest review refused them, newest first. */
    refusedAsOf(quarter: string, providers: readonly string[]) {
      return db
        .selectFrom('price_sheets')
        .select(['id', 'file_name', 'providers'])
        .where('quarter', '<=', quarter)
        .where(providerIs(providers))
        .where(
          sql<boolean>`(SELECT r.decision FROM price_sheet_reviews r WHERE r.sheet_id = price_sheets.id ORDER BY r.id DESC LIMIT 1) = 'refused'`,
        )
        .orderBy('quarter', 'desc')
        .orderBy('uploaded_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },

    /** Every block of a version's rows, in order. */
    blocks(sheetId: string): Promise<{ rows: string }[]> {
      return db
        .selectFrom('price_row_blocks')
        .select('rows')
        .where('sheet_id', '=', sheetId)
        .orderBy('first_idx')
        .execute();
    },

    /** The blocks holding rows `offset` to `end` (exclusive) of a version, in order. */
    blocksBetween(sheetId: string, offset: number, end: number) {
      return db
        .selectFrom('price_row_blocks')
        .select(['first_idx', 'rows'])
        .where('sheet_id', '=', sheetId)
        .where('first_idx', '<', end)
        .where(sql<boolean>`first_idx + row_count > ${offset}`)
        .orderBy('first_idx')
        .execute();
    },

    /** A new version, its totals still empty ({@link finish} sets them). */
    async insert(version: Omit<NewPriceSheet, keyof VersionTotals>): Promise<void> {
      await db
        .insertInto('price_sheets')
        .values({ ...version, providers: [], row_count: 0, skipped: 0, notes: [] })
        .execute();
    },

    storeBlock,

    /** Stores rows, {@link BLOCK_ROWS} to a block. */
    async storeRows(
      sheetId: string,
      rows: readonly PriceRow[],
      lines: readonly number[],
    ): Promise<void> {
      for (let start = 0; start < rows.length; start += BLOCK_ROWS) {
        const end = Math.min(start + BLOCK_ROWS, rows.length);
        await storeBlock(sheetId, {
          first: start,
          count: end - start,
          bytes: encodeBlockBytes(rows, lines, start, end),
        });
      }
    },

    async dropBlocks(sheetId: string): Promise<void> {
      await db.deleteFrom('price_row_blocks').where('sheet_id', '=', sheetId).execute();
    },

    /** Records a version's totals once its rows are stored. */
    finish(sheetId: string, totals: VersionTotals): Promise<PriceSheetRow> {
      return db
        .updateTable('price_sheets')
        .set(totals)
        .where('id', '=', sheetId)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  };
}
