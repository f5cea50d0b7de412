import { describe, expect, it } from 'vitest';
import type { PriceRow } from '../../models/price-sheet.ts';
import { encodeBlock } from '../../server/db/row-blocks.ts';
import type { PriceSheetRow } from '../../server/db/schema.ts';
import { CACHE_ROWS, sheetLoader } from '../../server/services/price-sheets/cache.ts';
import type { PriceSheetsRepository } from '../../server/services/price-sheets/repository.ts';

const rowsOf = (n: number, provider: string): PriceRow[] =>
  Array.from({ length: n }, (_, i) => ({
    ProviderName: provider,
    SkuId: `sku-${i}`,
    PricingUnit: 'Hours',
    ListUnitPrice: '1',
    PricingCurrency: 'USD',
  }));

/** A repository of versions of the given row counts that counts the versions it reads. */
function fakeRepo(sizes: Record<string, number>) {
  const reads: string[] = [];
  const repo = {
    byId: async (id: string) =>
      id in sizes
        ? ({ id, file_name: `${id}.csv`, quarter: '2026-Q3', kind: 'provider' } as PriceSheetRow)
        : undefined,
    blocks: async (id: string) => {
      reads.push(id);
      const rows = rowsOf(sizes[id]!, id);
      return [
        {
          rows: encodeBlock(
            rows,
            rows.map((_, i) => i + 2),
          ),
        },
      ];
    },
  } as unknown as PriceSheetsRepository;
  return { repo, reads };
}

describe('the price-sheet caches (lru-cache, sized by rows)', () => {
  it('hold at most CACHE_ROWS rows, dropping the least recently used version first', async () => {
    expect(CACHE_ROWS).toBe(200_000);
    // 120 000 + 70 000 = 190 000 rows fit; a third of 20 000 makes 210 000, over the bound,
    // so the least recently used goes: b, since a was read again after it.
    const { repo, reads } = fakeRepo({ a: 120_000, b: 70_000, c: 20_000 });
    const load = sheetLoader(repo);
    const a = await load.sheet('a');
    await load.sheet('b');
    expect(await load.sheet('a')).toBe(a);
    await load.sheet('c');
    expect(load.has('a')).toBe(true);
    expect(load.has('b')).toBe(false);
    expect(load.has('c')).toBe(true);
    expect(reads).toEqual(['a', 'b', 'c']);
  });

  it('does not keep a version of more rows than the bound', async () => {
    const { repo, reads } = fakeRepo({ big: CACHE_ROWS + 1 });
    const load = sheetLoader(repo);
    expect((await load.sheet('big')).rows.length).toBe(CACHE_ROWS + 1);
    await load.sheet('big');
    expect(reads).toEqual(['big', 'big']);
  });

  it('gives the same selection object back for the same sources, and an empty one is kept', async () => {
    const { repo } = fakeRepo({ a: 3, b: 2 });
    const load = sheetLoader(repo);
    const sources = [
      { sheetId: 'a', providers: ['nobody'], latest: true as const },
      { sheetId: 'b', providers: null, latest: true as const },
    ];
    const first = await load.load(sources);
    expect(first.map((s) => s.rows.length)).toEqual([0, 2]);
    expect(await load.load(sources)).toBe(first);
  });

  it('a source that is not stored is a bug, said as such', async () => {
    const { repo } = fakeRepo({});
    await expect(sheetLoader(repo).sheet('gone')).rejects.toThrow(
      'price sheet gone is named as a source but is not stored',
    );
  });
});
