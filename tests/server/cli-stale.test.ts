import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './process.ts';

const costcast = runCli;

const tmp = mkdtempSync(join(tmpdir(), 'costcast-cli-stale-'));
const bank = [
  'forecast',
  '--assumptions',
  'fixtures/bank-ma/assumptions.json',
  '--prices',
  'fixtures/bank-ma/prices',
  '--draws',
  '0',
];

describe('costcast forecast flags stale price sheets', () => {
  it('prints one STALE line per sheet older than the threshold, counted to the quarter of --generated-at', async () => {
    const out = join(tmp, 'bank.json');
    // Generated 2026-08-01: as of 2026-Q3. --stale-after 8: oracle (2024-Q1, 10 quarters) is
    // stale; aws (2024-Q3, 8) and google-cloud (2024-Q4, 7) are not more than 8.
    const r = await costcast(
      {},
      ...bank,
      '--generated-at',
      '2026-08-01T00:00:00Z',
      '--stale-after',
      '8',
      '--json',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('STALE'))).toEqual([
      "STALE PRICES: fixtures/bank-ma/prices/oracle-2024Q1.csv is as of 2024-01-19, 10 quarters before the forecast's 2026-Q3 (stale after 8); refresh it",
    ]);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json).toMatchObject({ asOfQuarter: '2026-Q3', staleAfterQuarters: 8 });
  });

  it('takes COSTCAST_STALE_AFTER_QUARTERS, and refuses a bad threshold with the usage', async () => {
    // Default threshold from the environment: 7 → aws (8) and oracle (10) are stale.
    const r = await costcast(
      { COSTCAST_STALE_AFTER_QUARTERS: '7' },
      ...bank,
      '--generated-at',
      '2026-08-01T00:00:00Z',
      '--json',
      join(tmp, 'env.json'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/^STALE PRICES: \S+/gm)).toEqual([
      'STALE PRICES: fixtures/bank-ma/prices/aws-2024Q3.csv',
      'STALE PRICES: fixtures/bank-ma/prices/oracle-2024Q1.csv',
    ]);
    const bad = await costcast({}, ...bank, '--stale-after', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stale-after must be a whole number of quarters from 0 to 40');
  });
});
