import { randomUUID } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { type Kysely, sql, type Transaction } from 'kysely';
import { providerKey } from '../../models/fields.ts';
import {
  DEFAULT_STALE_AFTER_QUARTERS,
  forecastAsOfQuarter,
  freshness,
  inferSheetKind,
  type SheetKind,
} from '../../models/freshness.ts';
import { priceIdentity } from '../../models/price-book.ts';
import type { PriceRow, PriceSheet } from '../../models/price-sheet.ts';
import { BLOCK_ROWS, decodeBlock, encodeBlockBytes } from '../db/row-blocks.ts';
import type { Database, PriceSheetRow, PriceSource } from '../db/schema.ts';
import { HttpError, inputError } from '../http/errors.ts';
import {
  detectFormat,
  type PriceSheetFormat,
  parseContext,
  parsePriceSheet,
} from '../ingest/index.ts';
import type { Spooled } from './spool.ts';
import { type BlockHandlers, csvBlocks, type RowBlock, xlsxBlocks } from './upload-blocks.ts';

/** A stored price-sheet version, as the API shows it. */
export interface SheetSummary {
  readonly id: string;
  readonly quarter: string;
  readonly fileName: string;
  readonly format: PriceSheetFormat;
  readonly mediaType: string | null;
  readonly sha256: string;
  readonly byteSize: number;
  readonly providers: string[];
  readonly rowCount: number;
  readonly skipped: number;
  readonly notes: string[];
  readonly uploadedBy: string;
  readonly uploadedAt: string;
  /** contract > provider > catalogue: which sheet wins a SKU. */
  readonly kind: SheetKind;
  /** The as-of quarter of its prices (the quarter it was uploaded for). */
  readonly asOf: string;
  /** The quarter its age is counted to: the current quarter, or the listing's `?asOf=`. */
  readonly ageRelativeTo: string;
  /** Whole quarters from `asOf` to `ageRelativeTo`. */
  readonly ageQuarters: number;
  readonly staleAfterQuarters: number;
  /** `ageQuarters > staleAfterQuarters` (models/freshness.ts). */
  readonly stale: boolean;
}

/** The quarter a listing counts ages to, and the threshold. */
export interface AgeBasis {
  readonly quarter: string;
  readonly staleAfterQuarters: number;
}

export interface UploadInput {
  readonly file: Spooled;
  readonly fileName: string;
  /** The media type the client declared, when it is one we read. */
  readonly mediaType: string | undefined;
  readonly quarter: string;
  readonly provider: string | undefined;
  /** Told by the uploader; else inferred (a catalogue by its format, a contract by its prices). */
  readonly kind?: SheetKind | undefined;
  readonly uploadedBy: string;
}

export interface UploadResult {
  /** True when an identical file (same sha256) was already stored: nothing new was. */
  readonly duplicate: boolean;
  readonly sheet: SheetSummary;
}

/** Where the upload tells what it does (a pino logger fits). */
export interface UploadLog {
  info(data: object, message: string): void;
}

/** A price row as the API lists it: the FOCUS columns and the file line it came from. */
export type ListedRow = PriceRow & { readonly line: number };

export interface DiffSide {
  readonly line: number;
  readonly ListUnitPrice: string;
  readonly ContractedUnitPrice: string | null;
  readonly PricingUnit: string;
  readonly PricingCurrency: string;
}

export interface DiffEntry {
  readonly ProviderName: string;
  readonly SkuId: string;
  readonly RegionId: string | null;
  readonly PricingCategory: string | null;
  readonly from: DiffSide | null;
  readonly to: DiffSide | null;
  /** % change of the unit price used (contracted, else list), 2 places; null when not comparable. */
  readonly unitPriceChangePct: string | null;
  readonly listUnitPriceChangePct: string | null;
}

export interface SheetDiff {
  readonly from: SheetSummary;
  readonly to: SheetSummary;
  readonly counts: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly unchanged: number;
  };
  readonly added: DiffEntry[];
  readonly removed: DiffEntry[];
  readonly changed: DiffEntry[];
  readonly limit: number;
}

/** Price rows kept in memory across requests: versions are immutable, so never stale. */
const CACHE_ROWS = 200_000;

const SNIFF = 1024 * 1024;

export const sheetSummary = (s: PriceSheetRow, basis: AgeBasis): SheetSummary => {
  const age = freshness(s.quarter, basis.quarter, basis.staleAfterQuarters);
  return {
    ...stored(s),
    kind: s.kind,
    asOf: s.quarter,
    ageRelativeTo: basis.quarter,
    ageQuarters: age.ageQuarters ?? 0,
    staleAfterQuarters: basis.staleAfterQuarters,
    stale: age.stale ?? false,
  };
};

const stored = (s: PriceSheetRow) => ({
  id: s.id,
  quarter: s.quarter,
  fileName: s.file_name,
  format: s.format as PriceSheetFormat,
  mediaType: s.media_type,
  sha256: s.sha256,
  byteSize: s.byte_size,
  providers: s.providers,
  rowCount: s.row_count,
  skipped: s.skipped,
  notes: s.notes,
  uploadedBy: s.uploaded_by,
  uploadedAt: s.uploaded_at.toISOString(),
});

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** The first bytes of a file, enough to tell its format. */
async function head(path: string): Promise<Buffer> {
  const file = await open(path);
  try {
    const buf = Buffer.alloc(SNIFF);
    const { bytesRead } = await file.read(buf, 0, SNIFF, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * Stores rows whose first is the sheet's row number `first` (0-based), one block of at most
 * {@link BLOCK_ROWS} rows per INSERT.
 */
async function storeRows(
  trx: Transaction<Database>,
  sheetId: string,
  rows: readonly PriceRow[],
  lines: readonly number[],
  first = 0,
): Promise<void> {
  for (let start = 0; start < rows.length; start += BLOCK_ROWS) {
    const end = Math.min(start + BLOCK_ROWS, rows.length);
    await storeBlock(trx, sheetId, {
      first: first + start,
      count: end - start,
      bytes: encodeBlockBytes(rows, lines, start, end),
    });
  }
}

/** Stores one block of a version's rows. */
async function storeBlock(
  trx: Transaction<Database>,
  sheetId: string,
  block: Pick<RowBlock, 'first' | 'count' | 'bytes'>,
): Promise<void> {
  await trx
    .insertInto('price_row_blocks')
    .values({
      sheet_id: sheetId,
      first_idx: block.first,
      row_count: block.count,
      rows: block.bytes,
    })
    .execute();
}

interface DiffRow {
  kind: 'added' | 'removed' | 'changed';
  kind_count: number;
  provider_name: string;
  sku_id: string;
  region_id: string | null;
  pricing_category: string | null;
  a_line: number | null;
  a_list: string | null;
  a_contracted: string | null;
  a_unit: string | null;
  a_currency: string | null;
  b_line: number | null;
  b_list: string | null;
  b_contracted: string | null;
  b_unit: string | null;
  b_currency: string | null;
  unit_pct: string | null;
  list_pct: string | null;
}

const side = (
  line: number | null,
  list: string | null,
  contracted: string | null,
  unit: string | null,
  currency: string | null,
): DiffSide | null =>
  line === null || list === null || unit === null || currency === null
    ? null
    : {
        line,
        ListUnitPrice: list,
        ContractedUnitPrice: contracted,
        PricingUnit: unit,
        PricingCurrency: currency,
      };

export type PriceSheetsService = ReturnType<typeof priceSheetsService>;

/** Price-sheet versions: immutable uploads with their rows, listed, paged and compared. */
export function priceSheetsService(
  db: Kysely<Database>,
  opts: {
    /** The server's staleness threshold (COSTCAST_STALE_AFTER_QUARTERS). */
    readonly staleAfterQuarters?: number;
    /** The clock, for the current quarter. */
    readonly now?: () => Date;
  } = {},
) {
  const staleAfterQuarters = opts.staleAfterQuarters ?? DEFAULT_STALE_AFTER_QUARTERS;
  const now = opts.now ?? (() => new Date());
  /** Ages count to `quarter`, by default the current one. */
  const basis = (quarter?: string): AgeBasis => ({
    quarter: quarter ?? forecastAsOfQuarter(undefined, now()),
    staleAfterQuarters,
  });
  const summary = (s: PriceSheetRow, quarter?: string) => sheetSummary(s, basis(quarter));

  async function bySha(sha256: string) {
    return db
      .selectFrom('price_sheets')
      .selectAll()
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  }

  async function get(id: string, asOf?: string): Promise<SheetSummary | null> {
    const row = await db
      .selectFrom('price_sheets')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? summary(row, asOf) : null;
  }

  async function mustGet(id: string): Promise<SheetSummary> {
    const sheet = await get(id);
    if (!sheet) throw new HttpError(404, 'not_found', `price sheet ${id} was not found`);
    return sheet;
  }

  /** Loaded versions, least recently used first, holding at most CACHE_ROWS rows in all. */
  const cache = new Map<string, PriceSheet>();
  let cachedRows = 0;

  /** A whole version as the engine takes it, from the cache or the database. */
  async function loadSheet(id: string): Promise<PriceSheet> {
    const hit = cache.get(id);
    if (hit) {
      cache.delete(id);
      cache.set(id, hit);
      return hit;
    }
    const meta = await mustGet(id);
    const blocks = await db
      .selectFrom('price_row_blocks')
      .select('rows')
      .where('sheet_id', '=', id)
      .orderBy('first_idx')
      .execute();
    const rows: PriceRow[] = [];
    const lines: number[] = [];
    for (const b of blocks) decodeBlock(b.rows, rows, lines);
    for (const r of rows) Object.freeze(r);
    const sheet: PriceSheet = Object.freeze({
      id: meta.id,
      name: meta.fileName,
      asOfQuarter: meta.quarter,
      kind: meta.kind,
      rows: Object.freeze(rows),
      lines: Object.freeze(lines),
    });
    if (rows.length <= CACHE_ROWS) {
      cache.set(id, sheet);
      cachedRows += rows.length;
      for (const [oldest, s] of cache) {
        if (cachedRows <= CACHE_ROWS) break;
        cache.delete(oldest);
        cachedRows -= s.rows.length;
      }
    }
    return sheet;
  }

  /** Chosen rows of several versions, by their sources; least recently used first. */
  const selections = new Map<string, readonly PriceSheet[]>();
  let selectedRows = 0;

  /**
   * The rows `sources` choose: their providers' rows, less those a newer source of the same
   * kind prices (a provider's list is not dropped for a newer catalogue: the engine then
   * prices by precedence and warns of what it passed over).
   */
  async function select(sources: readonly PriceSource[]): Promise<readonly PriceSheet[]> {
    const sheets: PriceSheet[] = [];
    const priced = new Set<string>();
    for (const source of sources) {
      const sheet = await loadSheet(source.sheetId);
      if (!source.providers && !source.latest) {
        sheets.push(sheet);
        continue;
      }
      // Matched as names are (a forecast pinned before names were stored in NFC keeps its own).
      const chosen = source.providers && new Set(source.providers.map(providerKey));
      const keep: number[] = [];
      const keys: string[] = [];
      sheet.rows.forEach((r, i) => {
        if (chosen && !chosen.has(providerKey(r.ProviderName))) return;
        if (source.latest) {
          // Newest first within a kind; across kinds the price book's precedence decides.
          const k = `${sheet.kind ?? 'provider'}\u0000${priceIdentity(r)}`;
          if (priced.has(k)) return;
          keys.push(k);
        }
        keep.push(i);
      });
      for (const k of keys) priced.add(k);
      sheets.push(
        Object.freeze({
          ...sheet,
          rows: Object.freeze(keep.map((i) => sheet.rows[i]!)),
          lines: Object.freeze(keep.map((i) => sheet.lines![i]!)),
        }),
      );
    }
    return Object.freeze(sheets);
  }

  /** The version stored first when `e` says another request stored the same file. */
  async function duplicateOf(e: unknown, sha256: string): Promise<UploadResult> {
    if (!isUniqueViolation(e)) throw e;
    const first = await bySha(sha256);
    if (!first) throw e;
    return { duplicate: true, sheet: summary(first) };
  }

  /**
   * A CSV upload, streamed: the spooled file is parsed batch by batch and each batch of rows
   * inserted as it comes, all in one transaction, rolled back when any row is invalid.
   */
  /**
   * Stores a CSV or XLSX upload as it is parsed, block by block, in one transaction: the
   * version row first, its blocks, then its totals; a problem anywhere rolls it all back.
   */
  async function uploadStreamed(
    input: UploadInput,
    format: 'csv' | 'xlsx',
    opts: { readonly maxRows: number; readonly log?: UploadLog | undefined },
  ): Promise<UploadResult> {
    const id = randomUUID();
    const ctx = parseContext({
      fileName: input.fileName,
      provider: input.provider,
      maxRows: opts.maxRows,
    });
    opts.log?.info({ sheetId: id, sha256: input.file.sha256 }, 'storing a price-sheet version');
    try {
      const sheet = await db.transaction().execute(async (trx) => {
        // The version first, so that a concurrent upload of the same file waits here.
        await trx
          .insertInto('price_sheets')
          .values({
            id,
            quarter: input.quarter,
            file_name: input.fileName,
            format,
            media_type: input.mediaType ?? null,
            sha256: input.file.sha256,
            byte_size: input.file.size,
            providers: [],
            row_count: 0,
            skipped: 0,
            notes: [],
            uploaded_by: input.uploadedBy,
          })
          .execute();
        const providers = new Set<string>();
        let contracted = false;
        const handlers: BlockHandlers = {
          async onBlock(block) {
            for (const p of block.providers) providers.add(p);
            contracted ||= block.contracted;
            await storeBlock(trx, id, block);
          },
          async onRestart() {
            providers.clear();
            contracted = false;
            await trx.deleteFrom('price_row_blocks').where('sheet_id', '=', id).execute();
          },
        };
        const parsed =
          format === 'csv'
            ? await csvBlocks(input.file.path, ctx, handlers)
            : await xlsxBlocks(input.file.path, ctx, handlers);
        if (!parsed.ok)
          throw inputError(
            422,
            'invalid_price_sheet',
            `"${input.fileName}" has problems; nothing was stored`,
            parsed.issues,
          );
        return trx
          .updateTable('price_sheets')
          .set({
            providers: [...providers].sort(),
            kind: input.kind ?? (contracted ? 'contract' : 'provider'),
            row_count: parsed.value.rowCount,
            skipped: parsed.value.skipped,
            notes: [...parsed.value.notes],
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      opts.log?.info({ sheetId: id, rows: sheet.row_count }, 'stored a price-sheet version');
      return { duplicate: false, sheet: summary(sheet) };
    } catch (e) {
      // Another request stored the same file first.
      return duplicateOf(e, input.file.sha256);
    }
  }

  return {
    get,

    /**
     * Parses and stores an uploaded file as a new version, in one transaction: either the
     * version and all its rows exist afterwards, or nothing does. An identical file (same
     * sha256) is reported as a duplicate of the stored version.
     */
    async upload(
      input: UploadInput,
      opts: { readonly maxRows: number; readonly log?: UploadLog | undefined },
    ): Promise<UploadResult> {
      const existing = await bySha(input.file.sha256);
      if (existing) return { duplicate: true, sheet: summary(existing) };
      if (input.file.size === 0)
        throw inputError(422, 'invalid_price_sheet', 'the file is empty', [
          { file: input.fileName, message: 'is empty' },
        ]);

      const format = detectFormat(input.fileName, await head(input.file.path), input.mediaType);
      if (format === null)
        throw new HttpError(
          415,
          'unsupported_media_type',
          `"${input.fileName}" is in a format we cannot read; upload CSV, XLSX, JSON rows or a LiteLLM price catalogue`,
        );
      if (format === 'csv' || format === 'xlsx') return uploadStreamed(input, format, opts);
      let bytes: Buffer | null = await readFile(input.file.path);
      const parsed = await parsePriceSheet(bytes, {
        fileName: input.fileName,
        mediaType: input.mediaType,
        provider: input.provider,
        maxRows: opts.maxRows,
      });
      bytes = null;
      if (!parsed.ok)
        throw inputError(
          422,
          'invalid_price_sheet',
          `"${input.fileName}" has problems; nothing was stored`,
          parsed.issues,
        );
      const { rows, lines } = parsed.value;
      const providers = [...new Set(rows.map((r) => r.ProviderName))].sort();
      const id = randomUUID();
      opts.log?.info(
        { sheetId: id, rows: rows.length, sha256: input.file.sha256 },
        'storing a price-sheet version',
      );
      try {
        const sheet = await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('price_sheets')
            .values({
              id,
              quarter: input.quarter,
              file_name: input.fileName,
              format: parsed.value.format,
              media_type: input.mediaType ?? null,
              sha256: input.file.sha256,
              byte_size: input.file.size,
              providers,
              kind: input.kind ?? inferSheetKind(parsed.value.format, rows),
              row_count: rows.length,
              skipped: parsed.value.skipped,
              notes: [...parsed.value.notes],
              uploaded_by: input.uploadedBy,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await storeRows(trx, id, rows, lines);
          return row;
        });
        return { duplicate: false, sheet: summary(sheet) };
      } catch (e) {
        // Another request stored the same file first.
        return duplicateOf(e, input.file.sha256);
      }
    },

    /** Versions, newest first, optionally of one provider (any case) and one quarter. */
    async list(filter: {
      readonly provider?: string | undefined;
      readonly quarter?: string | undefined;
      /** Ages count to this quarter; default the current one. */
      readonly asOf?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ items: SheetSummary[]; total: number }> {
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
      return { items: rows.map((r) => summary(r, filter.asOf)), total: Number(total.n) };
    },

    /** One page of a version's rows, in file order; its age counts to `asOf` (default now). */
    async rows(
      id: string,
      page: { readonly limit: number; readonly offset: number; readonly asOf?: string | undefined },
    ) {
      const sheet = await get(id, page.asOf);
      if (!sheet) throw new HttpError(404, 'not_found', `price sheet ${id} was not found`);
      const end = page.offset + page.limit;
      // The blocks the page falls in, then the page's rows out of them.
      const blocks = await db
        .selectFrom('price_row_blocks')
        .select(['first_idx', 'rows'])
        .where('sheet_id', '=', id)
        .where('first_idx', '<', end)
        .where(sql<boolean>`first_idx + row_count > ${page.offset}`)
        .orderBy('first_idx')
        .execute();
      const rows: PriceRow[] = [];
      const lines: number[] = [];
      for (const b of blocks) decodeBlock(b.rows, rows, lines);
      const from = page.offset - (blocks[0]?.first_idx ?? page.offset);
      const listed: ListedRow[] = rows
        .slice(from, from + page.limit)
        .map((r, k) => ({ ...r, line: lines[from + k]! }));
      return { sheet, rows: listed, total: sheet.rowCount };
    },

    /**
     * What changed from one version to another. Rows are matched by provider (any case),
     * SkuId, RegionId and PricingCategory (the n-th such row with the n-th); a matched row
     * changed when a price, its unit or its currency did. Percentages are exact decimal
     * arithmetic rounded to 2 places, null when the old price is 0 or the unit or currency
     * changed. Each list holds at most `limit` entries; `counts` counts them all.
     */
    async diff(fromId: string, toId: string, limit: number): Promise<SheetDiff> {
      const [from, to] = await Promise.all([mustGet(fromId), mustGet(toId)]);
      const { rows } = await sql<DiffRow>`
        WITH a AS (
          SELECT r.*, row_number() OVER (PARTITION BY lower(provider_name), sku_id,
            coalesce(region_id, ''), coalesce(pricing_category, '') ORDER BY idx) AS n
          FROM price_rows r WHERE sheet_id = ${fromId}::uuid
        ), b AS (
          SELECT r.*, row_number() OVER (PARTITION BY lower(provider_name), sku_id,
            coalesce(region_id, ''), coalesce(pricing_category, '') ORDER BY idx) AS n
          FROM price_rows r WHERE sheet_id = ${toId}::uuid
        ), d AS (
          SELECT
            CASE WHEN a.sheet_id IS NULL THEN 'added' WHEN b.sheet_id IS NULL THEN 'removed'
              ELSE 'changed' END AS kind,
            coalesce(b.provider_name, a.provider_name) AS provider_name,
            coalesce(b.sku_id, a.sku_id) AS sku_id,
            coalesce(b.region_id, a.region_id) AS region_id,
            coalesce(b.pricing_category, a.pricing_category) AS pricing_category,
            a.line AS a_line, a.list_unit_price AS a_list_n,
            a.contracted_unit_price AS a_contracted_n, a.pricing_unit AS a_unit,
            a.pricing_currency AS a_currency,
            b.line AS b_line, b.list_unit_price AS b_list_n,
            b.contracted_unit_price AS b_contracted_n, b.pricing_unit AS b_unit,
            b.pricing_currency AS b_currency,
            coalesce(a.idx, -1) AS a_idx, coalesce(b.idx, -1) AS b_idx
          FROM a FULL JOIN b ON lower(a.provider_name) = lower(b.provider_name)
            AND a.sku_id = b.sku_id AND coalesce(a.region_id, '') = coalesce(b.region_id, '')
            AND coalesce(a.pricing_category, '') = coalesce(b.pricing_category, '') AND a.n = b.n
          WHERE a.sheet_id IS NULL OR b.sheet_id IS NULL
            OR a.list_unit_price <> b.list_unit_price
            OR a.contracted_unit_price IS DISTINCT FROM b.contracted_unit_price
            OR a.pricing_unit <> b.pricing_unit OR a.pricing_currency <> b.pricing_currency
        ), ranked AS (
          SELECT d.*, count(*) OVER (PARTITION BY kind) AS kind_count,
            row_number() OVER (PARTITION BY kind ORDER BY b_idx, a_idx) AS k
          FROM d
        )
        SELECT kind, kind_count::int AS kind_count, provider_name, sku_id, region_id,
          pricing_category, a_line, a_list_n::text AS a_list, a_contracted_n::text AS a_contracted,
          a_unit, a_currency, b_line, b_list_n::text AS b_list,
          b_contracted_n::text AS b_contracted, b_unit, b_currency,
          CASE WHEN kind <> 'changed' OR a_unit <> b_unit OR a_currency <> b_currency
            OR coalesce(a_contracted_n, a_list_n) = 0 THEN NULL
            ELSE round((coalesce(b_contracted_n, b_list_n) - coalesce(a_contracted_n, a_list_n))
              / coalesce(a_contracted_n, a_list_n) * 100, 2)::text END AS unit_pct,
          CASE WHEN kind <> 'changed' OR a_unit <> b_unit OR a_currency <> b_currency
            OR a_list_n = 0 THEN NULL
            ELSE round((b_list_n - a_list_n) / a_list_n * 100, 2)::text END AS list_pct
        FROM ranked WHERE k <= ${limit}
        ORDER BY kind, k`.execute(db);
      const lists = {
        added: [] as DiffEntry[],
        removed: [] as DiffEntry[],
        changed: [] as DiffEntry[],
      };
      const counts = { added: 0, removed: 0, changed: 0 };
      for (const r of rows) {
        counts[r.kind] = Number(r.kind_count);
        lists[r.kind].push({
          ProviderName: r.provider_name,
          SkuId: r.sku_id,
          RegionId: r.region_id,
          PricingCategory: r.pricing_category,
          from: side(r.a_line, r.a_list, r.a_contracted, r.a_unit, r.a_currency),
          to: side(r.b_line, r.b_list, r.b_contracted, r.b_unit, r.b_currency),
          unitPriceChangePct: r.unit_pct,
          listUnitPriceChangePct: r.list_pct,
        });
      }
      return {
        from,
        to,
        counts: { ...counts, unchanged: from.rowCount - counts.removed - counts.changed },
        ...lists,
        limit,
      };
    },

    /**
     * The price sources "as of" a quarter: every price of `providers` (any case) at its
     * newest. Each provider, SKU and region is priced by the newest version, uploaded for
     * that quarter or an earlier one, that lists it, so a provider whose prices are split
     * across several sheets keeps them all, and a newer sheet replaces only what it lists.
     * The sources run newest first, each with the providers it still prices; versions left
     * with nothing to price are not among them.
     */
    async latestAsOf(quarter: string, providers: readonly string[]): Promise<PriceSource[]> {
      const wanted = new Set(providers.map((p) => p.trim().toLowerCase()));
      const candidates = await db
        .selectFrom('price_sheets')
        .select(['id', 'providers'])
        .where('quarter', '<=', quarter)
        .where(
          sql<boolean>`EXISTS (SELECT 1 FROM unnest(providers) AS p WHERE lower(p) = ANY(${[...wanted]}::text[]))`,
        )
        .orderBy('quarter', 'desc')
        .orderBy('uploaded_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      // Every candidate for the wanted providers, newest first; select() leaves out what a
      // newer one prices, and a version left with no rows is not a source.
      const selected = await select(
        candidates.map((c) => ({
          sheetId: c.id,
          providers: c.providers.filter((p) => wanted.has(p.trim().toLowerCase())),
          latest: true as const,
        })),
      );
      const sources: PriceSource[] = [];
      candidates.forEach((candidate, i) => {
        const taken = [...new Set(selected[i]!.rows.map((r) => r.ProviderName))].sort();
        if (taken.length === 0) return;
        sources.push({
          sheetId: candidate.id,
          providers: taken.length === candidate.providers.length ? null : taken,
          latest: true,
        });
      });
      return sources;
    },

    /**
     * The sheets of a forecast, with only the chosen rows, in source order. Versions are
     * immutable, so the same sources give the same sheet objects back while they are cached
     * (the compute pool then sends a worker each sheet once, not with every request).
     */
    async load(sources: readonly PriceSource[]): Promise<readonly PriceSheet[]> {
      if (sources.every((s) => !s.providers && !s.latest))
        return Promise.all(sources.map((s) => loadSheet(s.sheetId)));
      const key = JSON.stringify(sources);
      const hit = selections.get(key);
      if (hit) {
        selections.delete(key);
        selections.set(key, hit);
        return hit;
      }
      const sheets = await select(sources);
      const rows = sheets.reduce((n, s) => n + s.rows.length, 0);
      if (rows <= CACHE_ROWS) {
        selections.set(key, sheets);
        selectedRows += rows;
        for (const [oldest, s] of selections) {
          if (selectedRows <= CACHE_ROWS) break;
          selections.delete(oldest);
          selectedRows -= s.reduce((n, x) => n + x.rows.length, 0);
        }
      }
      return sheets;
    },

    /** Which of these ids are not stored versions. */
    async missing(ids: readonly string[]): Promise<string[]> {
      const unknown = ids.filter((id) => !cache.has(id));
      if (unknown.length === 0) return [];
      const found = await db
        .selectFrom('price_sheets')
        .select('id')
        .where('id', 'in', unknown)
        .execute();
      const have = new Set(found.map((r) => r.id));
      return unknown.filter((id) => !have.has(id));
    },
  };
}
