import { LRUCache } from 'lru-cache';
import type { PriceRow, PriceSheet } from '../../../models/price-sheet.ts';
import { decodeBlock } from '../../db/row-blocks.ts';
import type { PriceSource } from '../../db/schema.ts';
import type { PriceSheetsRepository } from './repository.ts';
import { selectRows } from './select.ts';

/**
 * Price rows each cache keeps in memory across requests (versions are immutable, so never
 * stale); an entry of more rows than this is not kept.
 */
export const CACHE_ROWS = 200_000;

const rowCount = (sheets: readonly PriceSheet[]) => sheets.reduce((n, s) => n + s.rows.length, 0);

/** Least recently used entries go first once the entries hold more than CACHE_ROWS rows. */
const byRows = <V extends object>(rows: (value: V) => number) =>
  new LRUCache<string, V>({
    maxSize: CACHE_ROWS,
    // lru-cache sizes are positive: an empty selection counts as one row.
    sizeCalculation: (value) => Math.max(1, rows(value)),
  });

export type SheetLoader = ReturnType<typeof sheetLoader>;

/**
 * Whole versions as the engine takes them, and selections of their rows, from two caches
 * (each of at most {@link CACHE_ROWS} rows) or the database.
 */
export function sheetLoader(repo: PriceSheetsRepository) {
  const sheets = byRows<PriceSheet>((s) => s.rows.length);
  /** Chosen rows of several versions, by their sources (as JSON). */
  const selections = byRows<readonly PriceSheet[]>(rowCount);

  /** A whole version; a missing one is a bug (versions are never deleted, ids come checked). */
  async function sheet(id: string): Promise<PriceSheet> {
    const hit = sheets.get(id);
    if (hit) return hit;
    const meta = await repo.byId(id);
    if (!meta) throw new Error(`price sheet ${id} is named as a source but is not stored`);
    const rows: PriceRow[] = [];
    const lines: number[] = [];
    for (const b of await repo.blocks(id)) decodeBlock(b.rows, rows, lines);
    for (const r of rows) Object.freeze(r);
    const loaded: PriceSheet = Object.freeze({
      id: meta.id,
      name: meta.file_name,
      asOfQuarter: meta.quarter,
      kind: meta.kind,
      rows: Object.freeze(rows),
      lines: Object.freeze(lines),
    });
    sheets.set(id, loaded);
    return loaded;
  }

  /** The sheets of `sources`, each with the rows it chooses (`selectRows`), in source order. */
  async function select(sources: readonly PriceSource[]): Promise<readonly PriceSheet[]> {
    const whole: { source: PriceSource; sheet: PriceSheet }[] = [];
    for (const source of sources) whole.push({ source, sheet: await sheet(source.sheetId) });
    return selectRows(whole);
  }

  return {
    sheet,
    select,

    /**
     * {@link select}, remembered: the same sources give the same sheet objects back while
     * they are cached (the compute pool then sends a worker each sheet once).
     */
    async load(sources: readonly PriceSource[]): Promise<readonly PriceSheet[]> {
      if (sources.every((s) => !s.providers && !s.latest))
        return Promise.all(sources.map((s) => sheet(s.sheetId)));
      const key = JSON.stringify(sources);
      const hit = selections.get(key);
      if (hit) return hit;
      const selected = await select(sources);
      selections.set(key, selected);
      return selected;
    },

    /** Whether a version is in memory (and so certainly stored). */
    has: (id: string) => sheets.has(id),
  };
}
