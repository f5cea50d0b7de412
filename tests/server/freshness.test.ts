import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastAsOfQuarter } from '../../models/freshness.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { migrationProvider } from '../../server/db/migrations.ts';
import type { Database } from '../../server/db/schema.ts';
import { backends, bearer, buildTestApp, multipart, type TestApp } from './helper.ts';

/**
 * Issue 12 §4 through the service: which sheet prices a workload (a provider's own list before
 * a newer bulk catalogue), how old each sheet is, and x_AsOf dates on upload.
 */

const HEADER =
  'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency,ContractedUnitPrice,x_AsOf';
// FreshAcme's own price list, dated the French way (day first): 3 USD per 1M chat tokens.
const PROVIDER_CSV = [HEADER, 'FreshAcme,freshacme-chat-input,1M tokens,3,USD,,15/02/2032'].join(
  '\r\n',
);
// A LiteLLM catalogue uploaded a quarter later: chat at 5e-6 USD a token = 5 USD per 1M, and an
// embedding model FreshAcme's own list does not have, at 1e-7 = 0.1 USD per 1M.
const CATALOGUE = JSON.stringify({
  'freshacme-chat': { litellm_provider: 'freshacme', mode: 'chat', input_cost_per_token: 5e-6 },
  'freshacme-embed': {
    litellm_provider: 'freshacme',
    mode: 'embedding',
    input_cost_per_token: 1e-7,
  },
  last_updated: '2032-05-01',
});

const workload = (id: string, skuId: string, baseQuantity: string) => ({
  id,
  name: id,
  category: 'other',
  provider: 'FreshAcme',
  skuId,
  unit: '1M tokens',
  baseQuantity,
  growthPerQuarter: '0',
  efficiency: '0',
});

const ASSUMPTIONS = {
  name: 'Fresh',
  startQuarter: '2032-Q3',
  horizonQuarters: 4,
  reportingCurrency: 'USD',
  providers: [{ name: 'FreshAcme', jurisdiction: 'US' }],
  workloads: [
    workload('chat', 'freshacme-chat-input', '100'),
    workload('embed', 'freshacme-embed-input', '10'),
  ],
};

describe.each(backends)('fresh prices and precedence on $name', (backend) => {
  let t: TestApp;
  let providerId: string;
  let catalogueId: string;

  const upload = (body: string, query: string, type: string) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets?${query}`,
      headers: { ...bearer(t.keys.finance), 'content-type': type },
      payload: body,
    });
  const get = (url: string) =>
    t.app.inject({ method: 'GET', url, headers: bearer(t.keys.analyst) });
  const forecast = (body: object) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/forecasts',
      headers: bearer(t.keys.analyst),
      payload: { assumptions: ASSUMPTIONS, draws: 0, ...body },
    });

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    const p = await upload(PROVIDER_CSV, 'quarter=2032-Q1&fileName=freshacme.csv', 'text/csv');
    expect(p.statusCode, p.body).toBe(201);
    providerId = p.json().id;
    const c = await upload(
      CATALOGUE,
      'quarter=2032-Q2&fileName=model_prices.json',
      'application/json',
    );
    expect(c.statusCode, c.body).toBe(201);
    catalogueId = c.json().id;
  });
  afterAll(() => t?.close());

  it('knows a catalogue by its format and stores a day-first x_AsOf as an ISO date', async () => {
    const p = await get(`/v1/price-sheets/${providerId}`);
    expect(p.json()).toMatchObject({ kind: 'provider', asOf: '2032-Q1' });
    expect(p.json().rows[0].x_AsOf).toBe('2032-02-15');
    expect((await get(`/v1/price-sheets/${catalogueId}`)).json().kind).toBe('catalogue');
  });

  it('prices from the provider’s own sheet, not the newer catalogue, and says which and why', async () => {
    const r = await forecast({ asOf: '2032-Q2' });
    expect(r.statusCode, r.body).toBe(201);
    const f = r.json().forecast;
    // On time, category "other": no decline, everything served. chat 100 × 3 USD × 4 quarters
    // = 1200 (the catalogue's 5 USD would give 2000); embed 10 × 0.1 × 4 = 4. Total 1204.
    expect(r.json().totals[0]).toMatchObject({ scenarioId: 'on-time', total: '1204.00' });
    expect(f.workloadPrices).toEqual([
      {
        workloadId: 'chat',
        primary: { sheetId: providerId, sheet: 'freshacme.csv', kind: 'provider', line: 2 },
        fallback: null,
      },
      {
        workloadId: 'embed',
        primary: {
          sheetId: catalogueId,
          sheet: 'model_prices.json',
          kind: 'catalogue',
          line: expect.any(Number),
        },
        fallback: null,
      },
    ]);
    expect(f.warnings).toEqual([
      'workload "chat": SKU "freshacme-chat-input" of FreshAcme is priced from the provider price list freshacme.csv; the catalogue model_prices.json (as of 2032-05-01) also lists it and was not used (contract > provider price list > catalogue)',
      'workload "embed": SKU "freshacme-embed-input" of FreshAcme is priced from the catalogue model_prices.json, because the provider price list freshacme.csv has FreshAcme prices but not this SKU',
    ]);
    // As of 2032-Q2: the provider's 2032-Q1 list is 1 quarter old (not more than 1: fresh),
    // the catalogue 0.
    expect(r.json().quarter).toBe('2032-Q2');
    expect(f.asOfQuarter).toBe('2032-Q2');
    expect(f.priceSheets).toEqual([
      {
        id: catalogueId,
        name: 'model_prices.json',
        kind: 'catalogue',
        asOfQuarter: '2032-Q2',
        asOfDate: '2032-05-01',
        ageQuarters: 0,
        stale: false,
        rowsUsed: 1,
      },
      {
        id: providerId,
        name: 'freshacme.csv',
        kind: 'provider',
        asOfQuarter: '2032-Q1',
        asOfDate: '2032-02-15',
        ageQuarters: 1,
        stale: false,
        rowsUsed: 1,
      },
    ]);
  });

  it('takes the staleness threshold from the request, pinned with the forecast', async () => {
    const r = await forecast({ asOf: '2032-Q2', staleAfterQuarters: 0 });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().staleAfterQuarters).toBe(0);
    // 1 quarter old > 0: stale
    expect(
      r.json().forecast.priceSheets.map((s: { name: string; stale: boolean }) => [s.name, s.stale]),
    ).toEqual([
      ['model_prices.json', false],
      ['freshacme.csv', true],
    ]);
    const again = await get(`/v1/forecasts/${r.json().id}`);
    expect(again.json().staleAfterQuarters).toBe(0);
    const bad = await forecast({ asOf: '2032-Q2', staleAfterQuarters: -1 });
    expect(bad.statusCode).toBe(400);
  });

  it('lists each version with its kind, as-of, age and staleness, to now or to ?asOf=', async () => {
    type Item = { id: string; ageRelativeTo: string; ageQuarters: number; stale: boolean };
    const mine = (items: Item[]) =>
      items
        .filter((s) => s.id === providerId || s.id === catalogueId)
        .map((s) => [s.id === providerId ? 'provider' : 'catalogue', s.ageQuarters, s.stale]);
    const atQ2 = await get('/v1/price-sheets?provider=FreshAcme&asOf=2032-Q2');
    expect(atQ2.statusCode, atQ2.body).toBe(200);
    // newest first: the catalogue (2032-Q2, age 0), the provider's list (2032-Q1, age 1)
    expect(mine(atQ2.json().items)).toEqual([
      ['catalogue', 0, false],
      ['provider', 1, false],
    ]);
    // 2033-Q1: 3 and 4 quarters, both more than 1
    const atQ1 = await get('/v1/price-sheets?provider=FreshAcme&asOf=2033-Q1');
    expect(mine(atQ1.json().items)).toEqual([
      ['catalogue', 3, true],
      ['provider', 4, true],
    ]);
    expect(atQ1.json().items[0]).toMatchObject({ ageRelativeTo: '2033-Q1', staleAfterQuarters: 1 });
    const one = await get(`/v1/price-sheets/${providerId}?asOf=2032-Q3`);
    expect(one.json()).toMatchObject({ asOf: '2032-Q1', ageQuarters: 2, stale: true });
    // Without ?asOf= ages count to the current quarter.
    const now = await get(`/v1/price-sheets/${providerId}`);
    expect(now.json().ageRelativeTo).toBe(forecastAsOfQuarter(undefined, new Date()));
    expect((await get('/v1/price-sheets?asOf=2032-13')).statusCode).toBe(400);
  });

  it('takes an explicit kind on upload, as a query parameter or a form field', async () => {
    const contract = [HEADER, 'FreshAcme,freshacme-chat-input,1M tokens,2,USD,,2032-04-01'].join(
      '\n',
    );
    const r = await upload(
      contract,
      'quarter=2031-Q4&fileName=freshacme-deal.csv&kind=contract',
      'text/csv',
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().kind).toBe('contract');
    const form = multipart(
      { quarter: '2031-Q4', kind: 'catalogue' },
      { name: 'bulk.csv', type: 'text/csv', content: `${contract}\n` },
    );
    const m = await t.app.inject({
      method: 'POST',
      url: '/v1/price-sheets',
      headers: { ...bearer(t.keys.finance), ...form.headers },
      payload: form.payload,
    });
    expect(m.statusCode, m.body).toBe(201);
    expect(m.json().kind).toBe('catalogue');
    const bad = await upload(contract, 'quarter=2031-Q4&kind=negotiated', 'text/csv');
    expect(bad.statusCode).toBe(400);
    // The contract, although older (2031-Q4 → 2032-Q2: 2 quarters, stale), prices chat:
    // 100 × 2 × 4 = 800, + embed 4 = 804.
    const f = await forecast({ asOf: '2032-Q2' });
    expect(f.json().totals[0].total).toBe('804.00');
    expect(f.json().forecast.workloadPrices[0].primary).toMatchObject({
      sheet: 'freshacme-deal.csv',
      kind: 'contract',
    });
    expect(
      f.json().forecast.priceSheets.find((s: { kind: string }) => s.kind === 'contract'),
    ).toMatchObject({ ageQuarters: 2, stale: true });
  });

  it('refuses an impossible or month-first x_AsOf at its row and column', async () => {
    const csv = [
      HEADER,
      'FreshAcme,x,GB,1,USD,,2032-01-01',
      'FreshAcme,y,GB,1,USD,,02/30/2032',
    ].join('\n');
    const r = await upload(csv, 'quarter=2032-Q1&fileName=bad-date.csv', 'text/csv');
    expect(r.statusCode).toBe(422);
    expect(r.json().error.issues).toEqual([
      expect.objectContaining({ row: 3, column: 7, field: 'x_AsOf', value: '02/30/2032' }),
    ]);
  });
});

describe('COSTCAST_STALE_AFTER_QUARTERS', () => {
  it('defaults to 1 and takes a whole number of quarters from 0 to 40', () => {
    expect(loadConfig({}).staleAfterQuarters).toBe(1);
    expect(loadConfig({ COSTCAST_STALE_AFTER_QUARTERS: '0' }).staleAfterQuarters).toBe(0);
    expect(loadConfig({ COSTCAST_STALE_AFTER_QUARTERS: '4' }).staleAfterQuarters).toBe(4);
    for (const bad of ['-1', '1.5', 'soon', '41'])
      expect(() => loadConfig({ COSTCAST_STALE_AFTER_QUARTERS: bad }), bad).toThrow(ConfigError);
  });
});

describe('migration 0003: sheet kinds of stored versions', () => {
  it('makes a LiteLLM upload a catalogue, a sheet with a contracted price a contract, others provider lists', async () => {
    const lite = await PGlite.create({});
    const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      expect((await migrator.migrateTo('0002_price_row_blocks')).error).toBeUndefined();
      const sheet = (n: string, format: string) => ({
        id: `00000000-0000-0000-0000-00000000000${n}`,
        quarter: '2026-Q3',
        file_name: `${n}.${format}`,
        format,
        media_type: null,
        sha256: n,
        byte_size: 1,
        providers: ['Acme'],
        row_count: 2,
        skipped: 0,
        notes: [],
        uploaded_by: 'test',
      });
      await sql`
        INSERT INTO price_sheets (id, quarter, file_name, format, media_type, sha256, byte_size,
          providers, row_count, skipped, notes, uploaded_by)
        VALUES ${sql.join(
          [sheet('a', 'csv'), sheet('b', 'csv'), sheet('c', 'litellm')].map(
            (s) =>
              sql`(${s.id}, ${s.quarter}, ${s.file_name}, ${s.format}, NULL, ${s.sha256}, 1,
                ARRAY['Acme'], 2, 0, ARRAY[]::text[], 'test')`,
          ),
        )}`.execute(db);
      // Row arrays as encodeBlock writes them: line, provider, SKU, unit, list, currency,
      // contracted, then the optional columns. Sheet a: the second row is contracted.
      const row = (line: number, contracted: string | null) => [
        line,
        'Acme',
        `s${line}`,
        'GB',
        '1',
        'USD',
        contracted,
        ...Array(7).fill(null),
      ];
      const blocks = {
        a: [row(2, null), row(3, '0.9')],
        b: [row(2, null), row(3, null)],
        c: [row(2, '0.5'), row(3, null)],
      };
      for (const [n, rows] of Object.entries(blocks))
        await sql`INSERT INTO price_row_blocks (sheet_id, first_idx, row_count, rows)
          VALUES (${`00000000-0000-0000-0000-00000000000${n}`}, 0, 2, ${JSON.stringify(rows)})`.execute(
          db,
        );
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const kinds = await db
        .selectFrom('price_sheets')
        .select(['file_name', 'kind'])
        .orderBy('file_name')
        .execute();
      expect(kinds).toEqual([
        { file_name: 'a.csv', kind: 'contract' },
        { file_name: 'b.csv', kind: 'provider' },
        // a catalogue stays a catalogue, contracted price or not
        { file_name: 'c.litellm', kind: 'catalogue' },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
