import { providerKey } from './fields.ts';
import { KIND_RANK } from './freshness.ts';
import { Decimal } from './money.ts';
import type { PriceRow, PriceSheet } from './price-sheet.ts';

/** A price row together with the sheet and line it came from. */
export interface PriceRef {
  readonly sheet: PriceSheet;
  readonly row: PriceRow;
  readonly line: number | undefined;
}

export interface SkuQuery {
  readonly provider: string;
  readonly skuId: string;
  readonly region?: string | null | undefined;
}

export type Lookup =
  | {
      readonly kind: 'found';
      readonly ref: PriceRef;
      /** Matches in sheets of lower precedence (a catalogue under a provider's own list). */
      readonly passedOver: readonly PriceRef[];
    }
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'ambiguous'; readonly message: string };

const key = (provider: string, skuId: string) => `${providerKey(provider)}\u0000${skuId.trim()}`;

/**
 * What a row prices, as the book matches it: provider (any case), SKU and region (any case).
 * A newer version's row with the same identity replaces an older one's.
 */
export const priceIdentity = (r: PriceRow): string =>
  `${key(r.ProviderName, r.SkuId)}\u0000${(r.RegionId ?? '').trim().toLowerCase()}`;

/** A sheet's precedence: contract 3 > provider price list 2 > catalogue 1. */
export const rankOf = (sheet: PriceSheet): number => KIND_RANK[sheet.kind ?? 'provider'];

/** The effective price of a row: the contracted price when there is one, else the list price. */
export const unitPriceOf = (row: PriceRow): Decimal =>
  new Decimal(row.ContractedUnitPrice ?? row.ListUnitPrice);

function describeRef(r: PriceRef): string {
  const where = r.line === undefined ? r.sheet.name : `${r.sheet.name}:${r.line}`;
  const region = r.row.RegionId ? ` region ${r.row.RegionId}` : '';
  return `${where}${region} ${unitPriceOf(r.row).toString()} ${r.row.PricingCurrency}/${r.row.PricingUnit}`;
}

/** One sheet's rows by provider and SKU, and by SKU alone (for hints). */
interface SheetIndex {
  readonly byKey: ReadonlyMap<string, readonly PriceRef[]>;
  readonly bySku: ReadonlyMap<string, readonly PriceRef[]>;
  /** Provider names, trimmed and lower-cased. */
  readonly providers: ReadonlySet<string>;
}

/**
 * Indexes of the sheets seen so far. Price sheets are immutable once read (the service hands
 * out one frozen object per stored version), so a sheet is indexed once, not on every forecast:
 * a what-if against a 100 000-row sheet then costs its lookups, not a pass over every row.
 */
const indexes = new WeakMap<PriceSheet, SheetIndex>();

function indexOf(sheet: PriceSheet): SheetIndex {
  const known = indexes.get(sheet);
  if (known) return known;
  const byKey = new Map<string, PriceRef[]>();
  const bySku = new Map<string, PriceRef[]>();
  const providers = new Set<string>();
  const add = (m: Map<string, PriceRef[]>, k: string, ref: PriceRef) => {
    const list = m.get(k);
    if (list) list.push(ref);
    else m.set(k, [ref]);
  };
  sheet.rows.forEach((row, i) => {
    const ref: PriceRef = { sheet, row, line: sheet.lines?.[i] };
    add(byKey, key(row.ProviderName, row.SkuId), ref);
    add(bySku, row.SkuId.trim(), ref);
    providers.add(row.ProviderName.trim().toLowerCase());
  });
  const index = { byKey, bySku, providers };
  indexes.set(sheet, index);
  return index;
}

/**
 * Whether a sheet has any price of `provider`, and whether it lists `skuId` for it (any region),
 * both matched as the price book matches them.
 * @example lists(sheet, 'OpenAI', 'gpt-4o-input') //=> { provider: true, sku: true }
 */
export function lists(
  sheet: PriceSheet,
  provider: string,
  skuId: string,
): { readonly provider: boolean; readonly sku: boolean } {
  const index = indexOf(sheet);
  return {
    provider: index.providers.has(provider.trim().toLowerCase()),
    sku: index.byKey.has(key(provider, skuId)),
  };
}

/**
 * Every price row of the given sheets, found by provider (trimmed, case-insensitive) and
 * SkuId, and by RegionId when the query names a region. The sheets must not change after.
 */
export function priceBook(sheets: readonly PriceSheet[]) {
  const indexed = sheets.map(indexOf);
  const find = (by: 'byKey' | 'bySku', k: string): readonly PriceRef[] =>
    indexed.flatMap((i) => i[by].get(k) ?? []);

  function lookup(q: SkuQuery): Lookup {
    const all = find('byKey', key(q.provider, q.skuId));
    const region = q.region?.trim();
    const matches = region
      ? all.filter((r) => (r.row.RegionId ?? '').trim().toLowerCase() === region.toLowerCase())
      : all;
    const sku = `SKU "${q.skuId}" of provider "${q.provider}"${region ? ` in region "${region}"` : ''}`;
    if (matches.length === 0) {
      const candidates = all.length > 0 ? all : find('bySku', q.skuId.trim());
      const hint =
        candidates.length > 0
          ? `; candidates: ${candidates
              .slice(0, 5)
              .map((r) => `${r.row.ProviderName} ${r.row.SkuId} (${describeRef(r)})`)
              .join('; ')}`
          : '';
      const sheetCount = sheets.length === 1 ? '1 price sheet' : `${sheets.length} price sheets`;
      return { kind: 'missing', message: `${sku} is in none of the ${sheetCount}${hint}` };
    }
    // Precedence first: a contract beats a provider's price list, which beats a catalogue;
    // only sources of the highest kind present can price (or make the SKU ambiguous).
    const top = Math.max(...matches.map((r) => rankOf(r.sheet)));
    const chosen = matches.filter((r) => rankOf(r.sheet) === top);
    const passedOver = matches.filter((r) => rankOf(r.sheet) < top);
    // Every price of the top kind, by what it charges: one entry, or the SKU is ambiguous.
    const distinct = new Map<string, PriceRef>();
    for (const r of chosen) {
      const sig = [unitPriceOf(r.row).toString(), r.row.PricingCurrency, r.row.PricingUnit].join(
        '|',
      );
      if (!distinct.has(sig)) distinct.set(sig, r);
    }
    if (distinct.size > 1) {
      const hint = region ? '' : ' (name a region to choose one)';
      return {
        kind: 'ambiguous',
        message: `${sku} has ${distinct.size} different prices${hint}: ${[...distinct.values()].map(describeRef).join('; ')}`,
      };
    }
    // biome-ignore lint/style/noNonNullAssertion: matches is not empty (checked above) and top is the rank of one of them
    return { kind: 'found', ref: chosen[0]!, passedOver };
  }

  return { lookup };
}
export type PriceBook = ReturnType<typeof priceBook>;
