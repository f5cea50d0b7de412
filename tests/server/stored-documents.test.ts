import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, bearer, buildTestApp, type TestApp } from './helper.ts';

/**
 * A stored document is always readable (issue 13): an assumption set stored before today's
 * input rules (two spellings of one provider, which migration 0004 leaves as stored; a name
 * with a zero-width space) is served as stored with warnings, never a 500 from re-validating
 * the response — and so is a forecast that pinned such inputs, and its workbook.
 */

const NFC = 'Caf\u00e9 Cloud';
const NFD = 'Cafe\u0301 Cloud';
const HIDDEN = 'Open\u200bAI';

/** One workload of 10 GB a quarter on Café Cloud's c-1, 4 quarters, no growth or decline. */
const assumptions = (provider: string) => ({
  name: 'Stored model',
  startQuarter: '2027-Q1',
  horizonQuarters: 4,
  fiscalYearStartMonth: 1,
  reportingCurrency: 'USD',
  fx: {},
  providers: [{ name: provider, jurisdiction: 'FR' }],
  workloads: [
    {
      id: 'w',
      name: 'W',
      category: 'other',
      provider,
      skuId: 'c-1',
      unit: 'GB',
      baseQuantity: '10',
      growthPerQuarter: '0',
      efficiency: '0',
    },
  ],
});

/** As an older version stored it: both spellings of Café Cloud, and a hidden name. */
const stored = {
  ...assumptions(NFD),
  providers: [
    { name: NFD, jurisdiction: 'FR' },
    { name: NFC, jurisdiction: 'US' },
    { name: HIDDEN, jurisdiction: 'US' },
  ],
};

describe.each(backends)('stored documents the input rules would refuse, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: bearer(t.keys.admin),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('an assumption set is served as stored, with what today would refuse in warnings', async () => {
    const id = randomUUID();
    await sql`
      INSERT INTO assumption_sets (id, name, version, body, created_by)
      VALUES (${id}, 'stored twice', 1, ${JSON.stringify(stored)}::json, 'test')`.execute(
      t.store.db,
    );
    const r = await api('GET', `/v1/assumptions/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    // As stored: the decomposed spelling is not composed on the way out.
    expect(body.assumptions.providers.map((p: { name: string }) => p.name)).toEqual([
      NFD,
      NFC,
      HIDDEN,
    ]);
    expect(body.assumptions.workloads[0].provider).toBe(NFD);
    // The field rules first (the hidden name), then the set's (the provider listed twice).
    expect(body.warnings).toEqual([
      expect.stringMatching(/^providers\.2\.name: contains an invisible .*U\+200B at position 5/),
      'providers.1.name: provider "Café Cloud" is listed twice',
    ]);
    // A set today's rules accept has no warnings.
    const ok = await api('POST', '/v1/assumptions', assumptions(NFC));
    expect(ok.statusCode, ok.body).toBe(201);
    const again = (await api('GET', `/v1/assumptions/${ok.json().id}`)).json();
    expect(again.warnings).toBeUndefined();
  });

  it('a forecast that pinned such inputs is served, and so is its workbook', async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q4',
      headers: { ...bearer(t.keys.admin), 'content-type': 'text/csv' },
      payload: `ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\n${NFC},c-1,GB,3,USD\n`,
    });
    expect(up.statusCode, up.body).toBe(201);
    const f = await api('POST', '/v1/forecasts', {
      assumptions: assumptions(NFC),
      priceSheetIds: [up.json().id],
      draws: 0,
    });
    expect(f.statusCode, f.body).toBe(201);
    const id = f.json().id as string;
    await sql`UPDATE forecasts SET assumptions = ${JSON.stringify(stored)}::json WHERE id = ${id}`.execute(
      t.store.db,
    );
    const r = await api('GET', `/v1/forecasts/${id}`);
    expect(r.statusCode, r.body.slice(0, 500)).toBe(200);
    const inputs = r.json().inputs;
    expect(inputs.assumptions.providers.map((p: { name: string }) => p.name)).toEqual([
      NFD,
      NFC,
      HIDDEN,
    ]);
    expect(inputs.warnings).toContain('providers.1.name: provider "Café Cloud" is listed twice');
    // 10 GB × 3 USD × 4 quarters = 120.00 USD on time, as computed before the rewrite.
    expect(r.json().forecast.scenarios.find((s: { id: string }) => s.id === 'on-time').total).toBe(
      '120.00',
    );
    const book = await api('GET', `/v1/forecasts/${id}/workbook`);
    expect(book.statusCode, book.body.slice(0, 300)).toBe(200);
    expect(book.headers['content-type']).toMatch(/spreadsheetml/);
  });

  it('a forecast of such a stored set is computed from it as stored, not a 500', async () => {
    const setId = randomUUID();
    await sql`
      INSERT INTO assumption_sets (id, name, version, body, created_by)
      VALUES (${setId}, 'stored twice, forecast', 1, ${JSON.stringify(stored)}::json, 'test')`.execute(
      t.store.db,
    );
    const up = await t.app.inject({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q4',
      headers: { ...bearer(t.keys.admin), 'content-type': 'text/csv' },
      payload: `ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\n${NFC},c-1,GB,5,USD\n`,
    });
    expect(up.statusCode, up.body).toBe(201);
    const f = await api('POST', '/v1/forecasts', {
      assumptionsId: setId,
      priceSheetIds: [up.json().id],
      draws: 0,
    });
    expect(f.statusCode, f.body.slice(0, 500)).toBe(201);
    // Prices match the decomposed name by its composed form: 10 GB × 5 USD × 4 quarters = 200.00.
    const onTime = f.json().forecast.scenarios.find((s: { id: string }) => s.id === 'on-time');
    expect(onTime.total).toBe('200.00');
    const r = await api('GET', `/v1/forecasts/${f.json().id}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.json().inputs.warnings).toHaveLength(2);
  });

  it('a forecast whose pinned scenarios today’s rules refuse is served as stored, with warnings', async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q4',
      headers: { ...bearer(t.keys.admin), 'content-type': 'text/csv' },
      payload: `ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\n${NFC},c-1,GB,7,USD\n`,
    });
    expect(up.statusCode, up.body).toBe(201);
    const scenarios = { scenarios: [{ id: 'flat', name: 'Flat', delayQuarters: 0 }] };
    const f = await api('POST', '/v1/forecasts', {
      assumptions: assumptions(NFC),
      scenarios,
      priceSheetIds: [up.json().id],
      draws: 0,
    });
    expect(f.statusCode, f.body.slice(0, 500)).toBe(201);
    const id = f.json().id as string;
    // As an older rule let it be stored: a delay of 41 quarters (today at most 40), and a
    // field today's strict schema does not know.
    const older = {
      scenarios: [{ id: 'flat', name: 'Flat', delayQuarters: 41, retired: 'yes' }],
    };
    await sql`UPDATE forecasts SET scenarios = ${JSON.stringify(older)}::json WHERE id = ${id}`.execute(
      t.store.db,
    );
    const r = await api('GET', `/v1/forecasts/${id}`);
    expect(r.statusCode, r.body.slice(0, 500)).toBe(200);
    expect(r.json().inputs.scenarios).toEqual(older);
    expect(r.json().inputs.warnings).toEqual([
      'scenarios: scenarios.0.delayQuarters: must be at most 40 quarters',
      expect.stringMatching(/^scenarios: scenarios\.0.*retired/),
    ]);
  });
});
