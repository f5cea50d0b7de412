import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterCloseLines } from '../../server/cli/quarter-close.ts';
import { backends, bearer, buildTestApp, type TestApp } from './helper.ts';
import { runCli } from './process.ts';

/**
 * The quarter close (issue 15): what is left before a quarter's forecast is done, and the
 * variance of its approved forecast against the previous quarter's — on a model small
 * enough to work out by hand: one workload of `quantity` GB a quarter on Café Cloud's c-1,
 * 4 quarters from 2027-Q1, category "other" (no decline, no premium on time).
 */
const assumptions = (quantity: string) => ({
  name: 'Close model',
  startQuarter: '2027-Q1',
  horizonQuarters: 4,
  fiscalYearStartMonth: 1,
  reportingCurrency: 'USD',
  fx: {},
  providers: [{ name: 'Café Cloud', jurisdiction: 'FR' }],
  workloads: [
    {
      id: 'w',
      name: 'Storage',
      category: 'other',
      provider: 'Café Cloud',
      skuId: 'c-1',
      unit: 'GB',
      baseQuantity: quantity,
      growthPerQuarter: '0',
      efficiency: '0',
    },
  ],
});

const sheet = (price: string) =>
  `ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\nCafé Cloud,c-1,GB,${price},USD\n`;

describe.each(backends)('quarter close, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });
  const upload = async (quarter: string, price: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets?quarter=${quarter}&fileName=cafe-${quarter}.csv`,
      headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
      payload: sheet(price),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const forecast = async (quarter: string, quantity: string) => {
    const r = await call('POST', '/v1/forecasts', t.keys.analyst, {
      assumptions: assumptions(quantity),
      asOf: quarter,
      draws: 0,
    });
    expect(r.statusCode, r.body.slice(0, 400)).toBe(201);
    expect(r.json().quarter).toBe(quarter);
    return r.json().id as string;
  };
  const approve = async (id: string) => {
    expect((await call('POST', `/v1/forecasts/${id}/submit`, t.keys.analyst, {})).statusCode).toBe(
      200,
    );
    const r = await call('POST', `/v1/forecasts/${id}/approve`, t.keys.finance, {
      acknowledge: { reason: 'prices checked by hand for the test' },
    });
    expect(r.statusCode, r.body).toBe(200);
  };

  it('lists what is left, and the variance against the previous quarter', async () => {
    const q1Sheet = await upload('2027-Q1', '3');
    const q1 = await forecast('2027-Q1', '10');
    await approve(q1);

    // Q2: nothing approved yet, the provider's Q2 sheet missing.
    let r = await call('GET', '/v1/quarters/2027-Q2/close', t.keys.viewer);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      quarter: '2027-Q2',
      ready: false,
      approved: null,
      providers: [],
      awaitingReview: [],
      variance: { available: false, reason: 'no_approved' },
    });

    const q2Sheet = await upload('2027-Q2', '4');
    const q2 = await forecast('2027-Q2', '12');
    await approve(q2);
    const waiting = await forecast('2027-Q2', '13');
    expect(
      (await call('POST', `/v1/forecasts/${waiting}/submit`, t.keys.analyst, {})).statusCode,
    ).toBe(200);

    r = await call('GET', '/v1/quarters/2027-Q2/close', t.keys.viewer);
    expect(r.statusCode, r.body).toBe(200);
    const close = r.json();
    expect(close.ready).toBe(false);
    expect(close.approved.id).toBe(q2);
    // Café Cloud is used by both Q2 forecasts; its Q2 sheet was never reviewed.
    expect(close.providers).toEqual([
      {
        provider: 'Café Cloud',
        problem: 'unreviewed',
        sheets: [
          {
            id: q2Sheet,
            fileName: 'cafe-2027-Q2.csv',
            quarter: '2027-Q2',
            review: 'unreviewed',
            reviewedBy: null,
          },
        ],
        forecasts: expect.arrayContaining([q2, waiting]),
      },
    ]);
    expect(close.staleSheets).toEqual([]);
    expect(close.awaitingReview.map((f: { id: string }) => f.id)).toEqual([waiting]);
    // On time: old 10 GB × 3 USD × 4 quarters = 120.00; new 12 × 4 × 4 = 192.00.
    // Volume first, at old prices: (12 − 10) × 3 × 4 = 24.00; then price, at new
    // quantities: 12 × (4 − 3) × 4 = 48.00; 24 + 48 = 72.00 = 192 − 120.
    expect(close.variance).toMatchObject({ available: true, currency: 'USD' });
    expect(close.variance.against).toMatchObject({ id: q1, quarter: '2027-Q1' });
    const onTime = close.variance.scenarios.find((s: { id: string }) => s.id === 'on-time');
    expect(onTime).toMatchObject({ old: '120.00', new: '192.00', change: '72.00' });
    expect(onTime.effects).toEqual({
      removed: '0.00',
      horizon: '0.00',
      volume: '24.00',
      price: '48.00',
      fx: '0.00',
      scenario: '0.00',
      new: '0.00',
    });

    // The text the CLI prints, in French.
    const lines = quarterCloseLines(close, 'fr');
    expect(lines).toContain(
      '  - Café Cloud : aucune grille du trimestre acceptée en revue (cafe-2027-Q2.csv: unreviewed)',
    );
    expect(lines).toContain('      volume : +24,00 USD');
    expect(lines).toContain('      prix : +48,00 USD');

    // Four eyes: the uploader (finance) cannot accept its sheet; an admin can.
    expect(
      (
        await call('POST', `/v1/price-sheets/${q2Sheet}/review`, t.keys.finance, {
          decision: 'accepted',
        })
      ).statusCode,
    ).toBe(403);
    const accepted = await call('POST', `/v1/price-sheets/${q2Sheet}/review`, t.keys.admin, {
      decision: 'accepted',
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    // The waiting forecast is rejected: nothing is left.
    expect(
      (
        await call('POST', `/v1/forecasts/${waiting}/reject`, t.keys.finance, {
          note: 'a duplicate',
        })
      ).statusCode,
    ).toBe(200);
    r = await call('GET', '/v1/quarters/2027-Q2/close', t.keys.viewer);
    expect(r.json()).toMatchObject({ ready: true, providers: [], awaitingReview: [] });
    expect(q1Sheet).not.toBe(q2Sheet);
  });

  it('refuses a malformed quarter, naming the field', async () => {
    const r = await call('GET', '/v1/quarters/2027-Q5/close', t.keys.viewer);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.issues[0].field).toBe('quarter');
  });
});

describe('npm run costcast -- quarter-close', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'costcast-close-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the configured database and says what is left (exit 1), or refuses a bad quarter (exit 2)', async () => {
    const env = { DATA_DIR: dir, DATABASE_URL: '', LANG: 'C' };
    const bad = await runCli(env, 'quarter-close', '--quarter', 'Q2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--quarter must be a quarter such as 2027-Q2 \(got "Q2"\)/);
    const empty = await runCli(env, 'quarter-close', '--quarter', '2027-Q2');
    expect(empty.code, empty.stderr).toBe(1);
    expect(empty.stdout).toMatch(
      /^Quarter close 2027-Q2\n\nNo approved forecast for the quarter yet\.\n/,
    );
    expect(empty.stdout).toMatch(/No variance: the quarter has no approved forecast yet\./);
  }, 120_000);
});
