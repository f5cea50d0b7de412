import { randomBytes, randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrate, openStore } from '../../server/db/index.ts';
import { migrationProvider } from '../../server/db/migrations.ts';
import { translate } from '../../server/http/messages.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';
import { type Backend, backends, bearer, buildTestApp, fixture, type TestApp } from './helper.ts';

/**
 * Issue 15: review with four eyes, its history, the forecast of a quarter and the
 * acknowledgement of stale prices, on PGlite and PostgreSQL.
 *
 * The tiny sample: one price sheet uploaded as of 2026-Q3. A forecast as of 2026-Q3 uses it
 * at age 0 quarters; as of 2027-Q1 at age 2, more than the threshold of 1: stale
 * (models/freshness.ts: stale when age > staleAfterQuarters).
 */
const tinyAssumptions = JSON.parse(fixture('fixtures/tiny/assumptions.json').toString('utf8'));
const tinyPrices = fixture('fixtures/tiny/prices.csv');

describe.each(backends)('forecast review on $name', (backend) => {
  let t: TestApp;
  let sheetId: string;
  /** A second finance key, a second analyst key: four eyes needs two people per role. */
  let finance2: string;
  let analyst2: string;
  const keyId = async (key: string) =>
    (await t.app.keys.verify(key))?.keyId ?? expect.fail('unknown key');

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    const up = await t.app.inject({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q3',
      headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
      payload: tinyPrices,
    });
    expect(up.statusCode, up.body).toBe(201);
    sheetId = up.json().id;
    // Accepted in review by a second person, so that an approval needs no acknowledgement
    // for it; the tests of acknowledgements make their own stale or unreviewed prices.
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets/${sheetId}/review`,
      headers: bearer(t.keys.admin),
      payload: { decision: 'accepted' },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    finance2 = (await t.app.keys.create('second finance', 'finance', null)).key;
    analyst2 = (await t.app.keys.create('second analyst', 'analyst', null)).key;
  });
  afterAll(() => t?.close());

  const post = (url: string, key: string, body?: unknown, locale?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(key), ...(locale ? { 'accept-language': locale } : {}) },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const get = (url: string, key: string) =>
    t.app.inject({ method: 'GET', url, headers: bearer(key) });
  /** A forecast of the tiny sample as of `asOf`, created with `key`; its id. */
  const create = async (key: string, asOf = '2026-Q3', name?: string) => {
    const r = await post('/v1/forecasts', key, {
      assumptions: tinyAssumptions,
      priceSheetIds: [sheetId],
      asOf,
      draws: 0,
      ...(name ? { name } : {}),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const act = (id: string, action: string, key: string, body?: unknown, locale?: string) =>
    post(`/v1/forecasts/${id}/${action}`, key, body, locale);

  describe('four eyes', () => {
    it('the key that created a forecast cannot approve or reject it, whatever its role', async () => {
      const id = await create(t.keys.finance);
      expect((await act(id, 'submit', t.keys.finance)).statusCode).toBe(200);
      // The API names the creating key, the `keyId` GET /v1/session gives its holder: the web
      // page disables the creator's approve button before the click.
      const me = (await get('/v1/session', t.keys.finance)).json().keyId as string;
      expect((await get(`/v1/forecasts/${id}`, t.keys.viewer)).json().createdByKey).toBe(me);
      const listed = (await get('/v1/forecasts?status=in_review&limit=500', t.keys.viewer)).json();
      expect(listed.items.find((f: { id: string }) => f.id === id).createdByKey).toBe(me);
      for (const action of ['approve', 'reject']) {
        const r = await act(id, action, t.keys.finance, { note: 'mine' });
        expect(r.statusCode).toBe(403);
        expect(r.json().error).toEqual({
          code: 'four_eyes',
          message: `four eyes: this key created or revised forecast ${id}, so another key must ${action} it (whatever the role, admin included)`,
        });
      }
      const fr = await act(id, 'approve', t.keys.finance, undefined, 'fr');
      expect(fr.json().error.message).toBe(
        `quatre yeux : cette clé a créé ou révisé la prévision ${id}, une autre clé doit donc l’approuver (quel que soit son rôle, administrateur compris)`,
      );
      // Another finance key may.
      const ok = await act(id, 'approve', finance2);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'approved', reviewedBy: 'second finance' });
    });

    it('an admin cannot bypass it', async () => {
      const id = await create(t.keys.admin);
      expect((await act(id, 'submit', t.keys.admin)).statusCode).toBe(200);
      const r = await act(id, 'approve', t.keys.admin);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('four_eyes');
      expect((await act(id, 'approve', t.keys.finance)).statusCode).toBe(200);
    });

    it('compares names for a forecast stored before key ids were recorded', async () => {
      const id = await create(t.keys.finance);
      await act(id, 'submit', t.keys.finance);
      // As migration 0005 leaves a forecast stored before it: no creating key id.
      await sql`UPDATE forecasts SET created_by_key = NULL WHERE id = ${id}`.execute(t.store.db);
      expect((await act(id, 'approve', t.keys.finance)).json().error.code).toBe('four_eyes');
      expect((await act(id, 'approve', finance2)).statusCode).toBe(200);
    });

    it('only finance and admin approve or reject; an analyst submits', async () => {
      const id = await create(t.keys.analyst);
      expect((await act(id, 'submit', t.keys.viewer)).statusCode).toBe(403);
      expect((await act(id, 'submit', analyst2)).statusCode).toBe(200);
      const r = await act(id, 'approve', analyst2);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    });

    it('a rejection needs a note', async () => {
      const id = await create(t.keys.analyst);
      await act(id, 'submit', t.keys.analyst);
      for (const body of [undefined, {}, { note: '  ' }]) {
        const r = await act(id, 'reject', t.keys.finance, body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
      }
      const r = await act(id, 'reject', t.keys.finance, { note: '' });
      expect(r.json().error.issues[0]).toMatchObject({ field: 'note' });
      expect((await get(`/v1/forecasts/${id}`, t.keys.viewer)).json().status).toBe('in_review');
    });
  });

  describe('revising a rejected forecast', () => {
    it('makes a new linked draft, by the revising key, reviewed like any other; each step an event', async () => {
      const id = await create(t.keys.analyst);
      expect((await act(id, 'revise', analyst2)).statusCode).toBe(409); // a draft
      await act(id, 'submit', t.keys.analyst, { note: 'first cut' });
      const rejected = await act(id, 'reject', t.keys.finance, { note: 'wrong quarter' });
      expect(rejected.json()).toMatchObject({ status: 'rejected', reviewNote: 'wrong quarter' });
      // Submitting again is refused, pointing at revise.
      const again = await act(id, 'submit', t.keys.analyst, undefined, 'fr');
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toBe(
        `impossible de soumettre une prévision rejetée (seulement depuis : brouillon) ; révisez-la en un nouveau brouillon : POST /v1/forecasts/${id}/revise`,
      );
      const viewerRevise = await act(id, 'revise', t.keys.viewer);
      expect(viewerRevise.statusCode).toBe(403);
      const revised = await act(id, 'revise', analyst2, {
        name: 'Tiny, revised',
        asOf: '2026-Q4',
        note: 'as of Q4',
      });
      expect(revised.statusCode, revised.body).toBe(201);
      const rid = revised.json().id;
      expect(revised.json()).toMatchObject({
        status: 'draft',
        name: 'Tiny, revised',
        // asOf alone: the newest prices as of 2026-Q4 are chosen again (the one sheet).
        quarter: '2026-Q4',
        priceSheets: [{ id: sheetId, providers: null }],
        priceSelection: 'latest',
        createdBy: 'second analyst',
        revises: id,
        revisedBy: null,
      });
      // The same inputs, as the original computed them: the same totals.
      const original = (await get(`/v1/forecasts/${id}`, t.keys.viewer)).json();
      expect(revised.json().totals).toEqual(original.totals);
      expect(original).toMatchObject({ status: 'rejected', revisedBy: rid, revises: null });
      // One revision per rejected forecast.
      const twice = await act(id, 'revise', t.keys.analyst);
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error.message).toBe(
        `forecast ${id} is already revised by forecast ${rid}; revise that one if it is rejected`,
      );
      // The reviser is the new draft's creator: four eyes applies to that key.
      await act(rid, 'submit', analyst2);
      const yes = await act(rid, 'approve', t.keys.finance, { note: 'fine now' });
      expect(yes.statusCode, yes.body).toBe(200);

      const history = await get(`/v1/forecasts/${id}/history`, t.keys.viewer);
      expect(history.statusCode).toBe(200);
      const [analyst, financeKey, analystB] = await Promise.all(
        [t.keys.analyst, t.keys.finance, analyst2].map(keyId),
      );
      const events = history.json().events;
      expect(
        events.map((e: Record<string, unknown>) => [e.action, e.from, e.to, e.note, e.actor]),
      ).toEqual([
        ['create', null, 'draft', null, { keyId: analyst, name: 'test analyst' }],
        ['submit', 'draft', 'in_review', 'first cut', { keyId: analyst, name: 'test analyst' }],
        [
          'reject',
          'in_review',
          'rejected',
          'wrong quarter',
          { keyId: financeKey, name: 'test finance' },
        ],
      ]);
      expect(events.every((e: { backfilled: boolean }) => !e.backfilled)).toBe(true);
      // Oldest first, and the reject event at the time the row records.
      expect(events[2].at).toBe(rejected.json().reviewedAt);
      const rHistory = (await get(`/v1/forecasts/${rid}/history`, t.keys.viewer)).json().events;
      expect(rHistory.map((e: { action: string; actor: { keyId: string } }) => e.action)).toEqual([
        'revise',
        'submit',
        'approve',
      ]);
      expect(rHistory[0]).toMatchObject({ note: 'as of Q4', actor: { keyId: analystB } });
      expect(rHistory[2]).toMatchObject({ note: 'fine now', acknowledgement: null });
      expect((await get(`/v1/forecasts/${randomUUID()}/history`, t.keys.viewer)).statusCode).toBe(
        404,
      );
    });

    it('with no body, takes the rejected forecast as it was', async () => {
      const id = await create(t.keys.analyst, '2026-Q3', 'Tiny as it was');
      await act(id, 'submit', t.keys.analyst);
      await act(id, 'reject', t.keys.finance, { note: 'again' });
      const r = await act(id, 'revise', t.keys.analyst);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({
        name: 'Tiny as it was',
        quarter: '2026-Q3',
        draws: 0,
        createdBy: 'test analyst',
      });
      // Four eyes again: the reviser (here the same analyst) is its creator.
      await act(r.json().id, 'submit', t.keys.analyst);
      expect((await act(r.json().id, 'approve', t.keys.finance)).statusCode).toBe(200);
    });
  });

  describe('approving a forecast that used stale prices', () => {
    it('needs an acknowledgement, recorded in its history and on its workbook', async () => {
      const id = await create(t.keys.analyst, '2027-Q1');
      await act(id, 'submit', t.keys.analyst);
      const blockers = [{ sheetId, quarter: '2026-Q3', reason: 'stale' }];
      const plain = await act(id, 'approve', t.keys.finance);
      expect(plain.statusCode).toBe(409);
      expect(plain.json().error).toEqual({
        code: 'acknowledgement_required',
        message: `approving forecast ${id} needs an acknowledgement: send "acknowledge": { "reason": "…" } — price sheet ${sheetId} (2026-Q3) is stale`,
        blockers,
      });
      const fr = await act(id, 'approve', t.keys.finance, undefined, 'fr');
      expect(fr.json().error.message).toBe(
        `approuver la prévision ${id} demande une prise en compte explicite : envoyez "acknowledge": { "reason": "…" } — la grille tarifaire ${sheetId} (2026-Q3) est périmée`,
      );
      const empty = await act(id, 'approve', t.keys.finance, { acknowledge: { reason: ' ' } });
      expect(empty.statusCode).toBe(400);
      expect((await get(`/v1/forecasts/${id}`, t.keys.viewer)).json().status).toBe('in_review');
      const reason = 'Acme confirmed its 2026-Q3 prices hold until 2027-Q2';
      const ok = await act(id, 'approve', t.keys.finance, { acknowledge: { reason } });
      expect(ok.statusCode, ok.body).toBe(200);
      const events = (await get(`/v1/forecasts/${id}/history`, t.keys.viewer)).json().events;
      expect(events.at(-1)).toMatchObject({
        action: 'approve',
        acknowledgement: { reason, blockers },
      });
      // The Summary says it under the banner, in both languages.
      const summaryTexts = async (locale: string) => {
        const r = await get(`/v1/forecasts/${id}/workbook?locale=${locale}`, t.keys.viewer);
        const book = await readXlsx(r.rawPayload);
        return [...book.sheets[0]!.cells.values()].map((c) => String(c.value));
      };
      expect(await summaryTexts('en')).toContain(
        `APPROVED WITH AN ACKNOWLEDGEMENT — upload.csv (${sheetId}) (as of 2026-Q3) was stale. Reason given: ${reason}`,
      );
      expect(await summaryTexts('fr')).toContain(
        `APPROUVÉE EN CONNAISSANCE DE CAUSE — upload.csv (${sheetId}) (au T3 2026) était périmée. Motif donné : ${reason}`,
      );
    });

    it('needs none when its prices were fresh, and records none', async () => {
      const id = await create(t.keys.analyst, '2026-Q4'); // age 1: not stale
      await act(id, 'submit', t.keys.analyst);
      const ok = await act(id, 'approve', t.keys.finance, {
        acknowledge: { reason: 'not needed' },
      });
      expect(ok.statusCode).toBe(200);
      const events = (await get(`/v1/forecasts/${id}/history`, t.keys.viewer)).json().events;
      expect(events.at(-1).acknowledgement).toBeNull();
    });
  });

  describe('the forecast of a quarter', () => {
    it('is its latest approval; earlier ones are superseded and stay readable', async () => {
      const q = '2026-Q3';
      const quarter = () => get(`/v1/quarters/${q}`, t.keys.viewer);
      // Other tests of this file approve 2026-Q3 forecasts too: compare with what is there.
      const before = (await quarter()).json();
      const first = await create(t.keys.analyst, q, 'first');
      const second = await create(t.keys.analyst, q, 'second');
      // Approved in the other order than created: the approval decides.
      await act(second, 'submit', t.keys.analyst);
      expect((await act(second, 'approve', t.keys.finance)).statusCode).toBe(200);
      await act(first, 'submit', t.keys.analyst);
      const pendingNow = (await quarter()).json();
      expect(pendingNow.forecast.id).toBe(second);
      expect(pendingNow.pending.map((f: { id: string }) => f.id)).toContain(first);
      expect(pendingNow.pending.find((f: { id: string }) => f.id === first)).toMatchObject({
        status: 'in_review',
        submittedBy: 'test analyst',
      });
      expect((await act(first, 'approve', t.keys.finance)).statusCode).toBe(200);
      const now = (await quarter()).json();
      expect(now.quarter).toBe(q);
      expect(now.forecast).toMatchObject({ id: first, status: 'approved' });
      expect(now.supersedes.map((f: { id: string }) => f.id)).toEqual([
        second,
        ...(before.forecast ? [before.forecast.id] : []),
        ...before.supersedes.map((f: { id: string }) => f.id),
      ]);
      expect(now.pending.map((f: { id: string }) => f.id)).not.toContain(first);
      // The superseded one is still there, by id.
      expect((await get(`/v1/forecasts/${second}`, t.keys.viewer)).json().status).toBe('approved');
    });

    it('is a 404 listing what is pending when none is approved; a 400 for a bad quarter', async () => {
      const pending = await create(t.keys.analyst, '2030-Q2');
      const r = await get('/v1/quarters/2030-Q2', t.keys.viewer);
      expect(r.statusCode).toBe(404);
      expect(r.json().error).toMatchObject({
        code: 'not_found',
        message: 'no forecast of 2030-Q2 is approved yet (1 in draft or in review)',
        pending: [expect.objectContaining({ id: pending, status: 'draft' })],
      });
      expect(translate(r.json().error.message, 'fr')).toBe(
        'aucune prévision de 2030-Q2 n’est encore approuvée (1 en brouillon ou en revue)',
      );
      const bad = await get('/v1/quarters/2027Q1', t.keys.viewer);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues[0]).toMatchObject({ field: 'quarter' });
    });
  });

  describe('in the database itself', () => {
    const refused = async (query: string, pattern: RegExp) => {
      await expect(sql.raw(query).execute(t.store.db)).rejects.toThrow(pattern);
    };

    it('events are append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
      const id = await create(t.keys.analyst);
      const n = async () =>
        Number(
          (await sql<{ n: string }>`SELECT count(*) AS n FROM forecast_events`.execute(t.store.db))
            .rows[0]!.n,
        );
      const count = await n();
      expect(count).toBeGreaterThan(0);
      await refused(
        `UPDATE forecast_events SET note = 'rewritten' WHERE forecast_id = '${id}'`,
        /forecast_events is append-only: UPDATE is refused/,
      );
      await refused(
        `DELETE FROM forecast_events WHERE forecast_id = '${id}'`,
        /forecast_events is append-only: DELETE is refused/,
      );
      await refused('TRUNCATE forecast_events', /forecast_events is append-only: TRUNCATE/);
      expect(await n()).toBe(count);
    });

    it('an approved forecast cannot be changed or deleted; a draft can', async () => {
      const draft = await create(t.keys.analyst);
      await sql`UPDATE forecasts SET name = 'renamed' WHERE id = ${draft}`.execute(t.store.db);
      const id = await create(t.keys.analyst);
      await act(id, 'submit', t.keys.analyst);
      await act(id, 'approve', t.keys.finance);
      await refused(
        `UPDATE forecasts SET name = 'renamed' WHERE id = '${id}'`,
        new RegExp(`forecast ${id} is approved: approved forecasts are immutable.*UPDATE refused`),
      );
      await refused(
        `UPDATE forecasts SET status = 'draft' WHERE id = '${id}'`,
        /approved forecasts are immutable/,
      );
      await refused(
        `DELETE FROM forecasts WHERE id = '${id}'`,
        /approved forecasts are immutable and cannot be deleted \(DELETE refused\)/,
      );
      await refused('TRUNCATE forecasts CASCADE', /TRUNCATE/);
      expect((await get(`/v1/forecasts/${id}`, t.keys.viewer)).json().status).toBe('approved');
    });
  });
});

/** A database migrated only up to `0004`, its own, for the backfill of 0005. */
async function openAt0004(backend: Backend) {
  const upTo = async (db: Kysely<Database>) => {
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(
      '0004_provider_names_nfc',
    );
    if (error) throw error;
  };
  if (backend.name === 'pglite') {
    const lite = await PGlite.create({});
    const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    await upTo(db);
    return { db, dispose: () => db.destroy() };
  }
  const url = process.env['TEST_DATABASE_URL']!;
  const name = `costcast_test_0005_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: dbUrl.toString() });
  await upTo(store.db);
  return {
    db: store.db,
    async dispose() {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

describe.each(backends)('migration 0005 on $name', (backend) => {
  it('backfills one create event per forecast and the event its review implies', async () => {
    const { db, dispose } = await openAt0004(backend);
    try {
      const ids = {
        draft: randomUUID(),
        in_review: randomUUID(),
        approved: randomUUID(),
        rejected: randomUUID(),
      };
      const created = new Date('2026-10-01T08:00:00Z');
      const reviewed = new Date('2026-10-02T09:30:00Z');
      for (const [status, id] of Object.entries(ids)) {
        const isReviewed = status !== 'draft';
        await sql`
          INSERT INTO forecasts (id, name, quarter, assumptions, price_sources, draws, seed,
            generated_at, engine_version, input_hash, result, status, created_by, created_at,
            reviewed_by, reviewed_at, review_note)
          VALUES (${id}, ${status}, '2026-Q4', '{}'::json, '[]'::json, 0, 1, ${created},
            'costcast 0.1.0', 'h', '{}'::json, ${status}, 'salma', ${created},
            ${isReviewed ? 'karim' : null}, ${isReviewed ? reviewed : null},
            ${isReviewed ? `note ${status}` : null})`.execute(db);
      }
      await migrate(db);
      const events = (
        await sql<{
          forecast_id: string;
          action: string;
          actor_key: string | null;
          actor_name: string;
          from_status: string | null;
          to_status: string;
          note: string | null;
          at: Date;
          backfilled: boolean;
        }>`SELECT * FROM forecast_events ORDER BY id`.execute(db)
      ).rows;
      const of = (id: string) =>
        events
          .filter((e) => e.forecast_id === id)
          .map((e) => [e.action, e.actor_name, e.from_status, e.to_status, e.note]);
      expect(of(ids.draft)).toEqual([['create', 'salma', null, 'draft', null]]);
      expect(of(ids.in_review)).toEqual([
        ['create', 'salma', null, 'draft', null],
        ['submit', 'karim', 'draft', 'in_review', 'note in_review'],
      ]);
      expect(of(ids.approved)).toEqual([
        ['create', 'salma', null, 'draft', null],
        ['approve', 'karim', 'in_review', 'approved', 'note approved'],
      ]);
      expect(of(ids.rejected)).toEqual([
        ['create', 'salma', null, 'draft', null],
        ['reject', 'karim', 'in_review', 'rejected', 'note rejected'],
      ]);
      expect(events.every((e) => e.backfilled && e.actor_key === null)).toBe(true);
      expect(events.filter((e) => e.action !== 'create').map((e) => e.at.toISOString())).toEqual(
        Array(3).fill(reviewed.toISOString()),
      );
      // reviewed_by now records approvals and rejections only: the submitter left the row.
      const rows = (
        await sql<{
          id: string;
          reviewed_by: string | null;
        }>`SELECT id, reviewed_by FROM forecasts`.execute(db)
      ).rows;
      const reviewer = Object.fromEntries(rows.map((r) => [r.id, r.reviewed_by]));
      expect(reviewer[ids.in_review]).toBeNull();
      expect(reviewer[ids.approved]).toBe('karim');
      // The backfilled approval is immutable like any other.
      await expect(
        sql`UPDATE forecasts SET name = 'x' WHERE id = ${ids.approved}`.execute(db),
      ).rejects.toThrow(/approved forecasts are immutable/);
    } finally {
      await dispose();
    }
  });
});
