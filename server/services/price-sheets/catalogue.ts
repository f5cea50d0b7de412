import type { Category } from '../../../models/fields.ts';
import type { SheetKind } from '../../../models/freshness.ts';
import { priceBook, priceIdentity, unitPriceOf } from '../../../models/price-book.ts';
import type { PriceSheet } from '../../../models/price-sheet.ts';

/** One price a forecast "as of" the quarter would use: the row that wins its SKU and region. */
export interface CataloguePrice {
  readonly provider: string;
  readonly skuId: string;
  readonly region: string | null;
  readonly unit: string;
  /** The workload category the row's ServiceCategory suggests. */
  readonly category: Category;
  readonly serviceCategory: string | null;
  readonly description: string | null;
  /** The contracted price when there is one, else the list price (a decimal string). */
  readonly unitPrice: string;
  readonly currency: string;
  readonly sheetId: string;
  readonly sheetName: string;
  /** The as-of quarter of the sheet the price comes from. */
  readonly sheetQuarter: string | null;
  readonly sheetKind: SheetKind;
}

/** FOCUS ServiceCategory → workload category; anything else is `other`. */
const CATEGORY_OF: Readonly<Record<string, Category>> = {
  'ai and machine learning': 'llm-inference',
  compute: 'gpu-compute',
  storage: 'storage',
  networking: 'network',
};

/**
 * The effective prices of `sheets` — the selection a forecast "as of" a quarter prices with
 * (`latestAsOf` then `load`) — one per provider, SKU and region, chosen by the price book
 * itself (contract > provider price list > catalogue; the selection already kept the newest
 * of each kind). A SKU the book finds ambiguous prices nothing and is left out (`ambiguous`
 * counts them). Filtered by `q` (in the SKU id or the provider name, any case), sorted by
 * provider, SKU and region, the first `limit` of `total`.
 */
export function effectivePrices(
  sheets: readonly PriceSheet[],
  filter: { readonly q?: string | undefined; readonly limit: number },
): { items: CataloguePrice[]; total: number; ambiguous: number } {
  const book = priceBook(sheets);
  const needle = filter.q?.trim().toLowerCase() ?? '';
  const seen = new Set<string>();
  const found: CataloguePrice[] = [];
  let ambiguous = 0;
  for (const sheet of sheets)
    for (const row of sheet.rows) {
      const id = priceIdentity(row);
      if (seen.has(id)) continue;
      seen.add(id);
      if (
        needle &&
        !row.SkuId.toLowerCase().includes(needle) &&
        !row.ProviderName.toLowerCase().includes(needle)
      )
        continue;
      const region = row.RegionId?.trim() || null;
      const hit = book.lookup({ provider: row.ProviderName, skuId: row.SkuId, region });
      if (hit.kind !== 'found') {
        ambiguous++;
        continue;
      }
      // A query without a region may land on a regional row: that row is listed on its own.
      if (priceIdentity(hit.ref.row) !== id) continue;
      const r = hit.ref.row;
      const s = hit.ref.sheet;
      found.push({
        provider: r.ProviderName,
        skuId: r.SkuId,
        region,
        unit: r.PricingUnit,
        category: CATEGORY_OF[(r.ServiceCategory ?? '').trim().toLowerCase()] ?? 'other',
        serviceCategory: r.ServiceCategory ?? null,
        description: r.Description ?? null,
        unitPrice: unitPriceOf(r).toString(),
        currency: r.PricingCurrency,
        sheetId: s.id,
        sheetName: s.name,
        sheetQuarter: s.asOfQuarter ?? null,
        sheetKind: s.kind ?? 'provider',
      });
    }
  const key = (p: CataloguePrice) =>
    `${p.provider.toLowerCase()}\u0000${p.skuId}\u0000${(p.region ?? '').toLowerCase()}`;
  found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { items: found.slice(0, filter.limit), total: found.length, ambiguous };
}
