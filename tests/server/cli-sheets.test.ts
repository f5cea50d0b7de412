import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { sheetLines, sheetsCommand } from '../../server/cli/sheets.ts';
import type { SheetSummary } from '../../server/services/price-sheets/index.ts';

const version = (over: Partial<SheetSummary>): SheetSummary => ({
  id: 'a1',
  quarter: '2026-Q3',
  fileName: 'openai-2026Q3.csv',
  format: 'csv',
  mediaType: 'text/csv',
  sha256: 'x',
  byteSize: 1,
  providers: ['OpenAI'],
  rowCount: 4,
  skipped: 0,
  notes: [],
  uploadedBy: 'Fatima',
  uploadedByKey: null,
  uploadedAt: '2026-10-01T08:00:00.000Z',
  kind: 'contract',
  asOf: '2026-Q3',
  ageRelativeTo: '2026-Q4',
  ageQuarters: 1,
  staleAfterQuarters: 1,
  stale: false,
  review: null,
  ...over,
});

describe('npm run costcast -- sheets', () => {
  it('prints each version with its age and review, in English and French', () => {
    const items = [
      version({
        review: {
          status: 'accepted',
          by: 'Salma',
          at: '2026-11-20T10:00:00.000Z',
          note: 'checked\nagainst the order form',
        },
      }),
      version({
        id: 'b2',
        quarter: '2024-Q3',
        fileName: 'aws-2024Q3.csv',
        providers: ['AWS'],
        kind: 'provider',
        ageQuarters: 9,
        stale: true,
        review: { status: 'refused', by: 'Karim', at: '2026-11-21T10:00:00.000Z', note: 'old' },
      }),
      version({ id: 'c3', providers: ['Google Cloud', 'Vertex'], ageQuarters: 0 }),
    ];
    expect(sheetLines(items, 'en')).toEqual([
      '2026-Q3  contract  openai-2026Q3.csv (a1)  OpenAI  1 quarter old  accepted by Salma on 2026-11-20: checked against the order form',
      '2024-Q3  provider  aws-2024Q3.csv (b2)  AWS  9 quarters old STALE  REFUSED by Karim on 2026-11-21: old',
      '2026-Q3  contract  openai-2026Q3.csv (c3)  Google Cloud, Vertex  0 quarters old  not reviewed',
    ]);
    expect(sheetLines(items, 'fr')).toEqual([
      '2026-Q3  contract  openai-2026Q3.csv (a1)  OpenAI  1 trimestre d’âge  acceptée par Salma le 2026-11-20 : checked against the order form',
      '2024-Q3  provider  aws-2024Q3.csv (b2)  AWS  9 trimestres d’âge PÉRIMÉE  REFUSÉE par Karim le 2026-11-21 : old',
      '2026-Q3  contract  openai-2026Q3.csv (c3)  Google Cloud, Vertex  0 trimestre d’âge  non revue',
    ]);
    expect(sheetLines([], 'en')).toEqual(['no price-sheet versions']);
  });

  it('reads the database of DATA_DIR, and refuses a bad quarter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costcast-sheets-'));
    const env = { ...process.env };
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.env['DATA_DIR'] = dir;
      delete process.env['DATABASE_URL'];
      expect(await sheetsCommand(['--locale', 'en'])).toBe(0);
      expect(out.join('')).toBe('no price-sheet versions\n');
      await expect(sheetsCommand(['--quarter', '2026Q3'])).rejects.toThrow(
        '--quarter must be a quarter like 2026-Q3 (got "2026Q3")',
      );
    } finally {
      write.mockRestore();
      err.mockRestore();
      process.env = env;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
