import { providerKey } from '../../../models/fields.ts';
import { priceIdentity } from '../../../models/price-book.ts';
import type { PriceSheet } from '../../../models/price-sheet.ts';
import type { PriceSource } from '../../db/schema.ts';

/**
 * The rows `sources` choose of their sheets (`sheets[i]` is the sheet of `sources[i]`): their
 * providers' rows, less those a newer source of the same kind prices (a provider's list is
 * not dropped for a newer catalogue: the engine then prices by precedence and warns of what
 * it passed over). A source naming neither providers nor `latest` keeps its sheet whole.
 * @example selectRows([q2, q1], [{ sheetId: q2.id, providers: null, latest: true }, { sheetId: q1.id, providers: null, latest: true }])
 * //=> [q2, q1 without the SKUs q2 prices]
 */
export function selectRows(
  sheets: readonly PriceSheet[],
  sources: readonly PriceSource[],
): readonly PriceSheet[] {
  const priced = new Set<string>();
  return Object.freeze(
    sources.map((source, s) => {
      const sheet = sheets[s]!;
      if (!source.providers && !source.latest) return sheet;
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
      return Object.freeze({
        ...sheet,
        rows: Object.freeze(keep.map((i) => sheet.rows[i]!)),
        lines: Object.freeze(keep.map((i) => sheet.lines![i]!)),
      });
    }),
  );
}
