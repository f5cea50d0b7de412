import { providerKey } from '../../../models/fields.ts';
import { priceIdentity } from '../../../models/price-book.ts';
import type { PriceRow, PriceSheet } from '../../../models/price-sheet.ts';
import type { PriceSource } from '../../db/schema.ts';

/**
 * The rows each source chooses of its sheet: its providers' rows, less those a newer source
 * of the same kind prices (a provider's list is not dropped for a newer catalogue: the engine
 * then prices by precedence and warns of what it passed over). A source naming neither providers nor `latest` keeps its sheet whole.
 * @example selectRows([{ sheet: q2, source: { sheetId: q2.id, providers: null, latest: true } }, { sheet: q1, source: { sheetId: q1.id, providers: null, latest: true } }])
 * //=> [q2, q1 without the SKUs q2 prices]
 */
export function selectRows(
  sources: readonly { readonly source: PriceSource; readonly sheet: PriceSheet }[],
): readonly PriceSheet[] {
  const priced = new Set<string>();
  return Object.freeze(
    sources.map(({ source, sheet }) => {
      if (!source.providers && !source.latest) return sheet;
      // Matched as names are (a forecast pinned before names were stored in NFC keeps its own).
      const chosen = source.providers && new Set(source.providers.map(providerKey));
      const rows: PriceRow[] = [];
      const lines: number[] = [];
      const keys: string[] = [];
      sheet.rows.forEach((r, i) => {
        if (chosen && !chosen.has(providerKey(r.ProviderName))) return;
        if (source.latest) {
          // Newest first within a kind; across kinds the price book's precedence decides.
          const k = `${sheet.kind ?? 'provider'}\u0000${priceIdentity(r)}`;
          if (priced.has(k)) return;
          keys.push(k);
        }
        rows.push(r);
        const line = sheet.lines?.[i];
        if (line !== undefined) lines.push(line);
      });
      for (const k of keys) priced.add(k);
      // Sheets read from the database have lines; one without keeps none.
      return Object.freeze({
        ...sheet,
        rows: Object.freeze(rows),
        ...(sheet.lines && { lines: Object.freeze(lines) }),
      });
    }),
  );
}
