import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../server/db/migrations.ts';
import type { Database } from '../../server/db/schema.ts';
import { unreviewedSources } from '../../server/services/price-sheets/index.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';
import { backends, bearer, buildTestApp, type TestApp } from './helper.ts';

/**
 * Issue 15, "reviewed price sheets": finance reviews a version, four eyes against its
 * uploader; every review is kept (the database refuses to change one); a refused version
 * prices no forecast; a forecast pins whether each sheet it used was reviewed.
 */

const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';
// RevAcme's price list for 2030-Q1 (10 USD per 1M tokens) and 2030-Q2 (20 USD).
const sheet = (price: string, provider = 'RevAcme') =>
  [HEADER, `${provider},revacme-chat,1M tokens,${price},USD`].join('\r\n');

const ASSUMPTIONS = {
  name: 'Reviewed',
  startQuarter: '2030-Q3',
  horizonQuarters: 1,
  reportingCurrency: 'USD',
  providers: [{ name: 'RevAcme', jurisdiction: 'US' }],
  workloads: [
    {
      id: 'chat',
      name: 'chat',
      category: 'other',
      provider: 'RevAcme',
      skuId: 'revacme-chat',
      unit: '1M tokens',
      baseQuantity: '100',
      growthPerQuarter: '0',
      efficiency: '0',
    },
  ],
};

interface Review {
  decision: 'accepted' | 'refused';
  by: string;
  at: string;
  note: string | null;
}

describe.each(backends)('reviewed price sheets on $name', (backend) => {
  let t: TestApp;
  /** A second finance key, "Salma", who did not upload anything. */
  let salma: string;
  let q1: string;
  let q2: string;

  const upload = async (price: string, quarter: string, key: string, provider?: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets?quarter=${quarter}`,
      headers: { ...bearer(key), 'content-type': 'text/csv' },
      payload: sheet(price, provider),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const review = (id: string, key: string, body: object, lang = 'en') =>
    t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets/${id}/review`,
      headers: { ...bearer(key), 'accept-language': lang },
      payload: body,
    });
  const get = (url: string, key = t.keys.viewer) =>
    t.app.inject({ method: 'GET', url, headers: bearer(key) });
  const forecast = (body: object, lang = 'en') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/forecasts',
      headers: { ...bearer(t.keys.analyst), 'accept-language': lang },
      payload: { assumptions: ASSUMPTIONS, draws: 0, ...body },
    });
  const keyId = async (name: string) =>
    (
      await t.store.db
        .selectFrom('api_keys')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    salma = (await t.app.keys.create('Salma', 'finance', null)).key;
    // Both uploaded by the key named "test finance".
    q1 = await upload('10', '2030-Q1', t.keys.finance);
    q2 = await upload('20', '2030-Q2', t.keys.finance);
  });
  afterAll(() => t?.close());

  it('records the key that uploaded a version', async () => {
    const row = await t.store.db
      .selectFrom('price_sheets')
      .select(['uploaded_by', 'uploaded_by_key'])
      .where('id', '=', q1)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      uploaded_by: 'test finance',
      uploaded_by_key: await keyId('test finance'),
    });
    // The API shows it, to compare with the `keyId` of GET /v1/session (the web page warns
    // the uploader before the click).
    const session = await get('/v1/session', t.keys.finance);
    expect(session.json().keyId).toBe(await keyId('test finance'));
    expect((await get(`/v1/price-sheets/${q1}`, t.keys.analyst)).json()).toMatchObject({
      uploadedBy: 'test finance',
      uploadedByKey: session.json().keyId,
    });
    const listed = (await get('/v1/price-sheets?limit=500', t.keys.analyst)).json().items;
    expect(listed.find((s: { id: string }) => s.id === q1).uploadedByKey).toBe(
      session.json().keyId,
    );
  });

  describe('four eyes', () => {
    it('refuses a review by the key that uploaded the version, in English and French', async () => {
      const en = await review(q1, t.keys.finance, { decision: 'accepted' });
      expect(en.statusCode).toBe(403);
      expect(en.json()).toEqual({
        error: {
          code: 'four_eyes',
          message:
            'four eyes: the key that uploaded this price-sheet version (test finance) cannot review it; another finance or admin key must',
        },
      });
      const fr = await review(q1, t.keys.finance, { decision: 'accepted' }, 'fr');
      expect(fr.json().error.message).toBe(
        'quatre yeux : la clé qui a téléversé cette version de grille tarifaire (test finance) ne peut pas la revoir ; une autre clé finance ou administrateur doit le faire',
      );
      expect((await get(`/v1/price-sheets/${q1}/reviews`)).json()).toEqual({ items: [] });
    });

    it('holds for an admin too: an admin cannot review what its own key uploaded', async () => {
      const mine = await upload('30', '2029-Q4', t.keys.admin, 'EyesAcme');
      const r = await review(mine, t.keys.admin, { decision: 'accepted' });
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('four_eyes');
      // Another finance key may.
      expect((await review(mine, salma, { decision: 'accepted' })).statusCode).toBe(201);
    });

    it('compares names for a version stored before uploaders’ keys were recorded', async () => {
      const old = await upload('40', '2029-Q3', t.keys.admin, 'EyesAcme');
      // As migration 0007 leaves a version stored before it: no key, the uploader's name.
      await sql`UPDATE price_sheets SET uploaded_by_key = NULL, uploaded_by = 'Salma' WHERE id = ${old}`.execute(
        t.store.db,
      );
      const bySalma = await review(old, salma, { decision: 'accepted' });
      expect(bySalma.statusCode).toBe(403);
      expect(bySalma.json().error.message).toMatch(/\(Salma\) cannot review it/);
      // Its real uploader's key (named "test admin") is another name: let through.
      expect((await review(old, t.keys.admin, { decision: 'accepted' })).statusCode).toBe(201);
    });
  });

  it('needs a note to refuse, located at the field', async () => {
    for (const note of [undefined, '   ']) {
      const r = await review(q2, salma, {
        decision: 'refused',
        ...(note === undefined ? {} : { note }),
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.issues).toEqual([
        expect.objectContaining({ field: 'note', message: 'a refusal needs a note saying why' }),
      ]);
    }
    const fr = await review(q2, salma, { decision: 'refused' }, 'fr');
    expect(fr.json().error.issues[0].message).toBe('un refus demande une note qui dit pourquoi');
    const bad = await review(q2, salma, { decision: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('decision');
    expect(
      (await review('00000000-0000-4000-8000-000000000000', salma, { decision: 'accepted' }))
        .statusCode,
    ).toBe(404);
    expect((await get(`/v1/price-sheets/${q2}/reviews`)).json()).toEqual({ items: [] });
  });

  describe('a version refused, then accepted again', () => {
    let refusal: Review;

    it('lists reviews oldest first and shows the latest beside the freshness', async () => {
      // Before any review: null, and the forecast as of 2030-Q2 takes 2030-Q2's 20 USD.
      const before = await get(`/v1/price-sheets/${q2}`, t.keys.analyst);
      expect(before.json()).toMatchObject({ stale: expect.any(Boolean), review: null });
      const f = await forecast({ asOf: '2030-Q2' });
      expect(f.statusCode, f.body).toBe(201);
      expect(f.json().forecast.prices[0]).toMatchObject({ unitPrice: '20' });
      expect(f.json().sourceReviews).toEqual([
        { sheetId: q2, quarter: '2030-Q2', status: 'unreviewed', by: null, at: null, note: null },
      ]);

      const r = await review(q2, salma, { decision: 'refused', note: 'rates are the 2029 list' });
      expect(r.statusCode, r.body).toBe(201);
      refusal = r.json();
      expect(refusal).toEqual({
        decision: 'refused',
        by: 'Salma',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        note: 'rates are the 2029 list',
      });
      const state = {
        status: 'refused',
        by: 'Salma',
        at: refusal.at,
        note: 'rates are the 2029 list',
      };
      expect((await get(`/v1/price-sheets/${q2}`, t.keys.analyst)).json().review).toEqual(state);
      const list = await get('/v1/price-sheets?provider=revacme', t.keys.analyst);
      const listed = list.json().items as { id: string; review: unknown }[];
      expect(listed.find((s) => s.id === q2)?.review).toEqual(state);
      expect(listed.find((s) => s.id === q1)?.review).toBeNull();
      // The forecast stored before keeps what it pinned.
      const stored = await get(`/v1/forecasts/${f.json().id}`);
      expect(stored.json().sourceReviews[0].status).toBe('unreviewed');
    });

    it('leaves a refused version out of a forecast "as of" a quarter', async () => {
      const f = await forecast({ asOf: '2030-Q2' });
      expect(f.statusCode, f.body).toBe(201);
      // 2030-Q1's 10 USD, the newest version not refused.
      expect(f.json().forecast.prices[0]).toMatchObject({ unitPrice: '10' });
      expect(f.json().priceSheets).toEqual([{ id: q1, providers: null }]);
      expect(f.json().sourceReviews).toEqual([
        { sheetId: q1, quarter: '2030-Q1', status: 'unreviewed', by: null, at: null, note: null },
      ]);
      // The same numbers as naming 2030-Q1 itself.
      const named = await forecast({ priceSheetIds: [q1] });
      expect(named.json().totals).toEqual(f.json().totals);
    });

    it('refuses a forecast naming it, saying by whom and why, in English and French', async () => {
      const r = await forecast({ priceSheetIds: [q1, q2] });
      expect(r.statusCode).toBe(422);
      expect(r.json().error).toEqual({
        code: 'invalid_forecast_input',
        message:
          'a price sheet refused in review prices no forecast; name another version, or have it reviewed again',
        issues: [
          {
            row: null,
            column: null,
            field: 'priceSheetIds.1',
            value: q2,
            message: `price sheet ${q2} was refused by Salma on ${refusal.at.slice(0, 10)}: rates are the 2029 list`,
          },
        ],
        issueCount: 1,
      });
      const fr = await forecast({ priceSheetIds: [q2] }, 'fr');
      expect(fr.json().error.issues[0].message).toBe(
        `la grille tarifaire ${q2} a été refusée par Salma le ${refusal.at.slice(0, 10)} : rates are the 2029 list`,
      );
      // A what-if is refused alike.
      const w = await t.app.inject({
        method: 'POST',
        url: '/v1/what-if',
        headers: bearer(t.keys.analyst),
        payload: { assumptions: ASSUMPTIONS, priceSheetIds: [q2] },
      });
      expect(w.statusCode).toBe(422);
    });

    it('says so when every version of the quarter or before was refused', async () => {
      // Refuse 2030-Q1 too: as of 2030-Q1, it is RevAcme's only version.
      expect(
        (await review(q1, salma, { decision: 'refused', note: 'draft list' })).statusCode,
      ).toBe(201);
      const none = await forecast({ asOf: '2030-Q1' });
      expect(none.statusCode).toBe(422);
      expect(none.json().error.message).toBe(
        'no price sheet was uploaded for 2030-Q1 or before but 1 refused in review, which price no forecast',
      );
      const fr = await forecast({ asOf: '2030-Q1' }, 'fr');
      expect(fr.json().error.message).toBe(
        'aucune grille tarifaire n’a été téléversée pour 2030-Q1 ou avant, sauf 1 refusée en revue, qui ne chiffre aucune prévision',
      );
    });

    it('lets a later review supersede the refusal, keeping both', async () => {
      const accepted = await review(q2, t.keys.admin, {
        decision: 'accepted',
        note: 'confirmed with RevAcme',
      });
      expect(accepted.statusCode).toBe(201);
      const history = await get(`/v1/price-sheets/${q2}/reviews`);
      expect(history.statusCode).toBe(200);
      expect(history.json().items).toEqual([
        refusal,
        {
          decision: 'accepted',
          by: 'test admin',
          at: accepted.json().at,
          note: 'confirmed with RevAcme',
        },
      ]);
      expect((await get(`/v1/price-sheets/${q2}`, t.keys.analyst)).json().review).toMatchObject({
        status: 'accepted',
        by: 'test admin',
      });
      const f = await forecast({ asOf: '2030-Q2' });
      expect(f.json().forecast.prices[0]).toMatchObject({ unitPrice: '20' });
      expect(f.json().sourceReviews).toEqual([
        {
          sheetId: q2,
          quarter: '2030-Q2',
          status: 'accepted',
          by: 'test admin',
          at: accepted.json().at,
          note: 'confirmed with RevAcme',
        },
      ]);
      expect(unreviewedSources(f.json().sourceReviews)).toEqual([]);
      // Its workbook says so on the Summary, under the price sheets used.
      const xlsx = await get(`/v1/forecasts/${f.json().id}/workbook`);
      expect(xlsx.statusCode).toBe(200);
      const summary = (await readXlsx(xlsx.rawPayload)).sheets[0]!;
      const texts = [...summary.cells.values()].map((c) => c.value);
      expect(texts).toEqual(
        expect.arrayContaining(['Accepted', 'test admin', 'confirmed with RevAcme']),
      );
      expect(
        (await get(`/v1/price-sheets/00000000-0000-4000-8000-000000000000/reviews`)).statusCode,
      ).toBe(404);
    });

    it('names the refused versions it left out when an "as of" forecast misses a price', async () => {
      // SoloAcme's only version is refused: as of 2030-Q2, its SKU is in no sheet left. (RevAcme
      // is priced by 2030-Q2, accepted again; its 2030-Q1 stays refused.)
      const solo = await upload('50', '2030-Q2', t.keys.finance, 'SoloAcme');
      expect(
        (await review(solo, salma, { decision: 'refused', note: 'not signed' })).statusCode,
      ).toBe(201);
      const chat = ASSUMPTIONS.workloads[0]!;
      const both = {
        ...ASSUMPTIONS,
        providers: [...ASSUMPTIONS.providers, { name: 'SoloAcme', jurisdiction: 'US' }],
        workloads: [chat, { ...chat, id: 'solo', provider: 'SoloAcme' }],
      };
      const r = await forecast({ asOf: '2030-Q2', assumptions: both });
      expect(r.statusCode, r.body).toBe(422);
      // The day 2030-Q1 was refused, as the service recorded it.
      const on = (
        (await get(`/v1/price-sheets/${q1}`, t.keys.analyst)).json().review.at as string
      ).slice(0, 10);
      const left = `left out: price sheet ${solo} (upload.csv, SoloAcme) was refused by Salma on `;
      expect(r.json().error.issues).toEqual([
        expect.objectContaining({ field: 'workloads.1.skuId', value: 'revacme-chat' }),
        {
          row: null,
          column: null,
          field: 'asOf',
          value: solo,
          message: expect.stringMatching(
            new RegExp(`^${left.replace(/[()]/g, '\\$&')}\\d{4}-\\d\\d-\\d\\d: not signed$`),
          ),
        },
        expect.objectContaining({
          field: 'asOf',
          value: q1,
          message: `left out: price sheet ${q1} (upload.csv, RevAcme) was refused by Salma on ${on}: draft list`,
        }),
      ]);
      const fr = await forecast({ asOf: '2030-Q2', assumptions: both }, 'fr');
      expect(fr.json().error.issues[1].message).toMatch(
        new RegExp(
          `^écartée : la grille tarifaire ${solo} \\(upload\\.csv, SoloAcme\\) a été refusée par Salma le \\d{4}-\\d\\d-\\d\\d : not signed$`,
        ),
      );
    });
  });

  it('keeps every review: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const before = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM price_sheet_reviews`.execute(t.store.db);
    expect(before.rows[0]!.n).toBeGreaterThan(0);
    for (const statement of [
      sql`UPDATE price_sheet_reviews SET decision = 'accepted'`,
      sql`UPDATE price_sheet_reviews SET note = 'rewritten' WHERE id = (SELECT min(id) FROM price_sheet_reviews)`,
      sql`DELETE FROM price_sheet_reviews`,
      sql`TRUNCATE price_sheet_reviews`,
    ])
      await expect(statement.execute(t.store.db)).rejects.toThrow(
        /price_sheet_reviews is append-only: (UPDATE|DELETE|TRUNCATE) is refused/,
      );
    const after = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM price_sheet_reviews`.execute(t.store.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('reads a forecast stored before reviews were pinned as unknown: null, its sheets unreviewed', async () => {
    const f = await forecast({ priceSheetIds: [q2] });
    expect(f.statusCode, f.body).toBe(201);
    const id = f.json().id as string;
    await sql`UPDATE forecasts SET source_reviews = NULL WHERE id = ${id}`.execute(t.store.db);
    const stored = (await get(`/v1/forecasts/${id}`)).json();
    expect(stored.sourceReviews).toBeNull();
    expect(unreviewedSources(stored.sourceReviews, stored.forecast.priceSheets)).toEqual([
      { sheetId: q2, quarter: '2030-Q2', reason: 'unreviewed' },
    ]);
    // A viewer lists approved forecasts by default; this one is a draft: the analyst's list.
    const listed = (await get('/v1/forecasts', t.keys.analyst))
      .json()
      .items.find((x: { id: string }) => x.id === id);
    expect(listed.sourceReviews).toBeNull();
    // Its workbook has no review table: as workbooks were before reviews.
    const xlsx = await get(`/v1/forecasts/${id}/workbook`);
    const texts = [...(await readXlsx(xlsx.rawPayload)).sheets[0]!.cells.values()].map(
      (c) => c.value,
    );
    expect(texts).not.toContain('Review');
    expect(texts).toContain('Price sheet (version)');
  });
});

describe('unreviewedSources', () => {
  it('lists the sheets not accepted, with why', () => {
    const at = '2030-05-01T09:00:00.000Z';
    expect(
      unreviewedSources([
        { sheetId: 'a', quarter: '2030-Q2', status: 'accepted', by: 'Salma', at, note: null },
        { sheetId: 'b', quarter: '2030-Q1', status: 'unreviewed', by: null, at: null, note: null },
        { sheetId: 'c', quarter: '2029-Q4', status: 'refused', by: 'Karim', at, note: 'old' },
      ]),
    ).toEqual([
      { sheetId: 'b', quarter: '2030-Q1', reason: 'unreviewed' },
      { sheetId: 'c', quarter: '2029-Q4', reason: 'refused' },
    ]);
    expect(unreviewedSources([])).toEqual([]);
    expect(unreviewedSources(null)).toEqual([]);
    expect(unreviewedSources(null, [{ id: 'd', asOfQuarter: '2029-Q3' }])).toEqual([
      { sheetId: 'd', quarter: '2029-Q3', reason: 'unreviewed' },
    ]);
  });
});

describe('migration 0007 on a database with versions and forecasts', () => {
  it('leaves their uploader key and pinned reviews unknown (null), and reviews append-only', async () => {
    const lite = await PGlite.create({});
    const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      expect((await migrator.migrateTo('0004_provider_names_nfc')).error).toBeUndefined();
      const id = '00000000-0000-4000-8000-000000000001';
      await sql`
        INSERT INTO price_sheets (id, quarter, file_name, format, media_type, sha256, byte_size,
          providers, row_count, skipped, notes, uploaded_by)
        VALUES (${id}, '2026-Q3', 'a.csv', 'csv', NULL, 'a', 1, ARRAY['Acme'], 0, 0,
          ARRAY[]::text[], 'Salma')`.execute(db);
      await sql`
        INSERT INTO forecasts (id, name, quarter, assumptions, price_sources, draws, seed,
          generated_at, engine_version, input_hash, result, created_by)
        VALUES (${id}, 'old', '2026-Q3', '{}', ${JSON.stringify([{ sheetId: id, providers: null }])},
          0, 1, now(), 'costcast 0.1.0', 'sha256:x', '{}', 'Karim')`.execute(db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const sheet = await db
        .selectFrom('price_sheets')
        .select(['uploaded_by', 'uploaded_by_key'])
        .executeTakeFirstOrThrow();
      expect(sheet).toEqual({ uploaded_by: 'Salma', uploaded_by_key: null });
      const forecast = await db
        .selectFrom('forecasts')
        .select('source_reviews')
        .executeTakeFirstOrThrow();
      expect(forecast.source_reviews).toBeNull();
      await db
        .insertInto('price_sheet_reviews')
        .values({
          sheet_id: id,
          reviewer_key: '00000000-0000-4000-8000-000000000002',
          reviewer_name: 'Karim',
          decision: 'accepted',
          note: null,
        })
        .execute();
      await expect(sql`DELETE FROM price_sheet_reviews`.execute(db)).rejects.toThrow(
        /append-only: DELETE is refused/,
      );
      // A review names a stored version.
      await expect(
        db
          .insertInto('price_sheet_reviews')
          .values({
            sheet_id: '00000000-0000-4000-8000-000000000009',
            reviewer_key: '00000000-0000-4000-8000-000000000002',
            reviewer_name: 'Karim',
            decision: 'accepted',
            note: null,
          })
          .execute(),
      ).rejects.toThrow(/foreign key/);
    } finally {
      await db.destroy();
    }
  });
});
