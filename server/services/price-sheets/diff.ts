import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SheetSummary } from './summary.ts';

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

type DiffKind = 'added' | 'removed' | 'changed';

/** One differing row of the diff query: a side is null where the row is added or removed. */
interface DiffRow {
  kind: DiffKind;
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

/**
 * The rows that differ between versions `fromId` and `toId`, at most `limit` of each kind,
 * with each kind's full count. Rows match by provider (any case), SkuId, RegionId and
 * PricingCategory, the n-th such row with the n-th; percentages are exact decimal arithmetic
 * in the database, rounded to 2 places.
 */
const differingRows = (db: Kysely<Database>, fromId: string, toId: string, limit: number) =>
  sql<DiffRow>`
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

const entry = (r: DiffRow): DiffEntry => ({
  ProviderName: r.provider_name,
  SkuId: r.sku_id,
  RegionId: r.region_id,
  PricingCategory: r.pricing_category,
  from: side(r.a_line, r.a_list, r.a_contracted, r.a_unit, r.a_currency),
  to: side(r.b_line, r.b_list, r.b_contracted, r.b_unit, r.b_currency),
  unitPriceChangePct: r.unit_pct,
  listUnitPriceChangePct: r.list_pct,
});

/**
 * What changed from one version to another. Rows are matched by provider (any case),
 * SkuId, RegionId and PricingCategory (the n-th such row with the n-th); a matched row
 * changed when a price, its unit or its currency did. Percentages are exact decimal
 * arithmetic rounded to 2 places, null when the old price is 0 or the unit or currency
 * changed. Each list holds at most `limit` entries; `counts` counts them all.
 */
export async function diffSheets(
  db: Kysely<Database>,
  from: SheetSummary,
  to: SheetSummary,
  limit: number,
): Promise<SheetDiff> {
  const { rows } = await differingRows(db, from.id, to.id, limit);
  const lists: Record<DiffKind, DiffEntry[]> = { added: [], removed: [], changed: [] };
  const counts: Record<DiffKind, number> = { added: 0, removed: 0, changed: 0 };
  for (const r of rows) {
    counts[r.kind] = Number(r.kind_count);
    lists[r.kind].push(entry(r));
  }
  return {
    from,
    to,
    counts: { ...counts, unchanged: from.rowCount - counts.removed - counts.changed },
    ...lists,
    limit,
  };
}
