import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/db/schema.ts';
import type { AuditEntry, AuditEvent } from '../../server/services/audit/index.ts';
import { AGGREGATED_ACTION, auditService } from '../../server/services/audit/index.ts';
import { generateKey, hashKey } from '../../server/services/keys.ts';
import { backends, bearer, buildTestApp, fixture, pgliteBackend, type TestApp } from './helper.ts';

const tinyAssumptions = JSON.parse(fixture('fixtures/tiny/assumptions.json').toString('utf8'));
const tinyPrices = fixture('fixtures/tiny/prices.csv');

/** An event written by hand, as the CLI would. */
const handEntry = (action: string): AuditEntry => ({
  actorKeyId: null,
  actorName: 'cli:test',
  action,
  resourceType: 'key',
  resourceId: null,
  outcome: 'ok',
  statusCode: null,
  clientAddress: null,
  requestId: null,
  detail: null,
});

describe.each(backends)('the audit trail on $name', (backend) => {
  let t: TestApp;
  /** The id of each role's test key. */
  let ids: Record<Role, string>;
  let sheetId: string;
  let assumptionsId: string;
  let forecastId: string;

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    ids = Object.fromEntries((await t.app.keys.list()).map((k) => [k.role, k.id])) as Record<
      Role,
      string
    >;
  });
  afterAll(() => t?.close());

  /** The newest event. */
  const newest = async (): Promise<AuditEvent> => {
    const { items } = await t.app.audit.list({ limit: 1 });
    return items[0]!;
  };
  const count = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const everything = async () =>
    JSON.stringify(await t.store.db.selectFrom('audit_log').selectAll().execute());

  describe('append-only in the database itself', () => {
    it('refuses UPDATE, DELETE (even of no row) and TRUNCATE, and keeps every row', async () => {
      await t.app.audit.record(handEntry('test append-only'));
      const before = await count();
      expect(before).toBeGreaterThan(0);
      for (const statement of [
        sql`UPDATE audit_log SET outcome = 'failed'`,
        sql`UPDATE audit_log SET actor_name = 'someone else' WHERE action = 'test append-only'`,
        sql`DELETE FROM audit_log`,
        sql`DELETE FROM audit_log WHERE false`,
        sql`TRUNCATE audit_log`,
      ])
        await expect(statement.execute(t.store.db)).rejects.toThrow(
          /audit_log is append-only: (UPDATE|DELETE|TRUNCATE) is refused/,
        );
      expect(await count()).toBe(before);
      const row = await newest();
      expect(row).toMatchObject({
        action: 'test append-only',
        outcome: 'ok',
        actorName: 'cli:test',
      });
    });

    it('grants PUBLIC no UPDATE, DELETE or TRUNCATE on it', async () => {
      const { rows } = await sql<{ granted: boolean }>`
        SELECT has_table_privilege('public', 'audit_log', 'UPDATE, DELETE, TRUNCATE') AS granted`.execute(
        t.store.db,
      );
      expect(rows[0]?.granted).toBe(false);
    });

    it('refuses them inside a transaction too, which then rolls back', async () => {
      const before = await count();
      await expect(
        t.store.db.transaction().execute(async (trx) => {
          await sql`INSERT INTO audit_log (action, outcome) VALUES ('in a transaction', 'ok')`.execute(
            trx,
          );
          await sql`DELETE FROM audit_log WHERE action = 'in a transaction'`.execute(trx);
        }),
      ).rejects.toThrow(/append-only/);
      expect(await count()).toBe(before);
    });

    it('stamps each row with the database clock: an insert cannot backdate itself', async () => {
      const now = Date.now();
      await sql`
        INSERT INTO audit_log (at, action, outcome)
        VALUES ('2000-01-01T00:00:00Z', 'backdated', 'ok')`.execute(t.store.db);
      const row = await newest();
      expect(row.action).toBe('backdated');
      // Within a minute of the test's clock (the database may run on another host).
      expect(Math.abs(Date.parse(row.at) - now)).toBeLessThan(60_000);
    });

    it('gives ids it chose itself: an insert cannot pick one', async () => {
      await expect(
        sql`INSERT INTO audit_log (id, action, outcome) VALUES (1, 'chosen id', 'ok')`.execute(
          t.store.db,
        ),
      ).rejects.toThrow(/GENERATED ALWAYS|cannot insert/i);
    });
  });

  describe('every write appends its event', () => {
    it('an upload: the finance key, the new sheet, ok 201; the same file again, ok 200', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/price-sheets?quarter=2026-Q3',
        headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
        payload: tinyPrices,
      });
      expect(r.statusCode).toBe(201);
      sheetId = r.json().id;
      expect(await newest()).toMatchObject({
        actorKeyId: ids.finance,
        actorName: 'test finance',
        action: 'POST /v1/price-sheets',
        resourceType: 'price-sheet',
        resourceId: sheetId,
        outcome: 'ok',
        statusCode: 201,
        clientAddress: '127.0.0.1',
        requestId: expect.stringMatching(/^req-/),
        detail: null,
      });
      const again = await t.app.inject({
        method: 'POST',
        url: '/v1/price-sheets?quarter=2026-Q3',
        headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
        payload: tinyPrices,
      });
      expect(again.statusCode).toBe(200);
      expect(await newest()).toMatchObject({
        resourceId: sheetId,
        outcome: 'ok',
        statusCode: 200,
      });
    });

    it('an invalid upload: refused 422 with its error code, no resource id', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/price-sheets?quarter=2026-Q3',
        headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
        payload: Buffer.from(tinyPrices.toString('utf8').replace('10,USD', '1O,USD')),
      });
      expect(r.statusCode).toBe(422);
      expect(await newest()).toMatchObject({
        actorKeyId: ids.finance,
        action: 'POST /v1/price-sheets',
        resourceType: 'price-sheet',
        resourceId: null,
        outcome: 'refused',
        statusCode: 422,
        detail: { code: r.json().error.code },
      });
    });

    it('an assumption save, and one refused by its schema', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/assumptions',
        headers: bearer(t.keys.analyst),
        payload: tinyAssumptions,
      });
      expect(r.statusCode).toBe(201);
      assumptionsId = r.json().id;
      expect(await newest()).toMatchObject({
        actorKeyId: ids.analyst,
        actorName: 'test analyst',
        action: 'POST /v1/assumptions',
        resourceType: 'assumption-set',
        resourceId: assumptionsId,
        outcome: 'ok',
        statusCode: 201,
      });
      const bad = await t.app.inject({
        method: 'POST',
        url: '/v1/assumptions',
        headers: bearer(t.keys.analyst),
        payload: { ...tinyAssumptions, horizonQuarters: 0 },
      });
      expect(bad.statusCode).toBe(400);
      expect(await newest()).toMatchObject({
        action: 'POST /v1/assumptions',
        outcome: 'refused',
        statusCode: 400,
        detail: { code: 'invalid_request' },
      });
    });

    it('a forecast, then submit, approve, and a refused reject', async () => {
      const f = await t.app.inject({
        method: 'POST',
        url: '/v1/forecasts',
        headers: bearer(t.keys.analyst),
        payload: { assumptionsId, priceSheetIds: [sheetId], draws: 0 },
      });
      expect(f.statusCode).toBe(201);
      forecastId = f.json().id;
      expect(await newest()).toMatchObject({
        actorKeyId: ids.analyst,
        action: 'POST /v1/forecasts',
        resourceType: 'forecast',
        resourceId: forecastId,
        outcome: 'ok',
        statusCode: 201,
      });
      const steps = [
        ['submit', 'analyst', 200, 'ok'],
        ['approve', 'finance', 200, 'ok'],
        ['reject', 'finance', 409, 'refused'],
      ] as const;
      for (const [action, role, status, outcome] of steps) {
        const r = await t.app.inject({
          method: 'POST',
          url: `/v1/forecasts/${forecastId}/${action}`,
          headers: bearer(t.keys[role]),
          // Its price sheet was never reviewed: the approval acknowledges it.
          payload: {
            note: `${action} by ${role}`,
            ...(action === 'approve' ? { acknowledge: { reason: 'reviewed by hand' } } : {}),
          },
        });
        expect(r.statusCode, r.body).toBe(status);
        expect(await newest()).toMatchObject({
          actorKeyId: ids[role],
          actorName: `test ${role}`,
          action: `POST /v1/forecasts/:id/${action}`,
          resourceType: 'forecast',
          resourceId: forecastId,
          outcome,
          statusCode: status,
          detail: outcome === 'ok' ? null : { code: 'conflict' },
        });
      }
    });

    it('a key created and revoked: the key is the resource, its secret nowhere', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        headers: bearer(t.keys.admin),
        payload: { name: 'audited key', role: 'viewer' },
      });
      expect(created.statusCode).toBe(201);
      const { id, key } = created.json();
      expect(await newest()).toMatchObject({
        actorKeyId: ids.admin,
        actorName: 'test admin',
        action: 'POST /v1/keys',
        resourceType: 'key',
        resourceId: id,
        outcome: 'ok',
        statusCode: 201,
        detail: null,
      });
      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/v1/keys/${id}`,
        headers: bearer(t.keys.admin),
      });
      expect(revoked.statusCode).toBe(204);
      expect(await newest()).toMatchObject({
        actorKeyId: ids.admin,
        action: 'DELETE /v1/keys/:id',
        resourceType: 'key',
        resourceId: id,
        outcome: 'ok',
        statusCode: 204,
      });
      const again = await t.app.inject({
        method: 'DELETE',
        url: `/v1/keys/${id}`,
        headers: bearer(t.keys.admin),
      });
      expect(again.statusCode).toBe(404);
      expect(await newest()).toMatchObject({
        resourceId: id,
        outcome: 'refused',
        statusCode: 404,
        detail: { code: 'not_found' },
      });
      // The revoked key, refused: its id is not known from a revoked key, and it is not kept.
      const refused = await t.app.inject({
        method: 'GET',
        url: '/v1/forecasts',
        headers: bearer(key),
      });
      expect(refused.statusCode).toBe(401);
      const all = await everything();
      expect(all).not.toContain(key);
      expect(all).not.toContain(key.slice(3, 15));
      expect(all).not.toContain(hashKey(key));
    });
  });

  describe('every refused authentication appends its event, on any method', () => {
    it('no key, an unknown key, a header that is not a bearer key: 401, no actor, no secret', async () => {
      const unknown = generateKey();
      const cases = [
        [{}, 'no_key'],
        [bearer(unknown), 'unknown_or_revoked_key'],
        [
          { authorization: `Basic ${Buffer.from('admin:hunter2').toString('base64')}` },
          'not_bearer',
        ],
      ] as const;
      for (const [headers, refused] of cases) {
        const r = await t.app.inject({
          method: 'GET',
          url: `/v1/forecasts/${forecastId}`,
          headers,
        });
        expect(r.statusCode).toBe(401);
        expect(await newest()).toMatchObject({
          actorKeyId: null,
          actorName: null,
          action: 'GET /v1/forecasts/:id',
          resourceType: 'forecast',
          resourceId: forecastId,
          outcome: 'refused',
          statusCode: 401,
          clientAddress: '127.0.0.1',
          detail: { code: 'unauthorized', refused },
        });
      }
      const all = await everything();
      expect(all).not.toContain(unknown);
      expect(all).not.toContain(unknown.slice(3, 15));
      expect(all).not.toContain(hashKey(unknown));
      expect(all).not.toContain('hunter2');
      expect(all).not.toContain(Buffer.from('admin:hunter2').toString('base64'));
    });

    it('a key below the role: 403, with the key as actor and the roles', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/assumptions',
        headers: bearer(t.keys.viewer),
        payload: tinyAssumptions,
      });
      expect(r.statusCode).toBe(403);
      expect(await newest()).toMatchObject({
        actorKeyId: ids.viewer,
        actorName: 'test viewer',
        action: 'POST /v1/assumptions',
        outcome: 'refused',
        statusCode: 403,
        detail: { code: 'forbidden', refused: 'role', needs: 'analyst', role: 'viewer' },
      });
      const read = await t.app.inject({
        method: 'GET',
        url: '/v1/audit',
        headers: bearer(t.keys.analyst),
      });
      expect(read.statusCode).toBe(403);
      expect(await newest()).toMatchObject({
        actorKeyId: ids.analyst,
        action: 'GET /v1/audit',
        resourceType: 'audit',
        outcome: 'refused',
        statusCode: 403,
        detail: { refused: 'role', needs: 'finance', role: 'analyst' },
      });
    });

    it('two Authorization headers: 400, refused', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: '/v1/forecasts',
        headers: {
          authorization: [`Bearer ${t.keys.admin}`, `Bearer ${t.keys.admin}`] as unknown as string,
        },
      });
      expect(r.statusCode).toBe(400);
      expect(await newest()).toMatchObject({
        actorKeyId: null,
        outcome: 'refused',
        statusCode: 400,
        detail: { refused: 'several_authorization_headers' },
      });
    });
  });

  describe('what is not audited', () => {
    it('reads with a valid key, a what-if, /health and a route that does not exist', async () => {
      const before = await count();
      const calls = [
        { method: 'GET', url: '/v1/forecasts', headers: bearer(t.keys.viewer) },
        { method: 'GET', url: `/v1/forecasts/${forecastId}`, headers: bearer(t.keys.viewer) },
        { method: 'GET', url: '/v1/audit', headers: bearer(t.keys.finance) },
        {
          method: 'POST',
          url: '/v1/what-if',
          headers: bearer(t.keys.analyst),
          payload: { assumptionsId, priceSheetIds: [sheetId] },
        },
        { method: 'GET', url: '/health' },
        { method: 'POST', url: '/v1/nothing-here', headers: bearer(t.keys.admin), payload: {} },
      ] as const;
      for (const c of calls) {
        const r = await t.app.inject(c);
        expect(r.statusCode, `${c.method} ${c.url}`).toBe(c.url === '/v1/nothing-here' ? 404 : 200);
      }
      expect(await count()).toBe(before);
    });
  });

  describe('GET /v1/audit', () => {
    const get = (query: string, role: Role = 'finance') =>
      t.app.inject({ method: 'GET', url: `/v1/audit${query}`, headers: bearer(t.keys[role]) });

    it('lists the newest first; finance and admin may read it', async () => {
      for (const role of ['finance', 'admin'] as const) {
        const r = await get('?limit=500', role);
        expect(r.statusCode).toBe(200);
        const items = r.json().items as AuditEvent[];
        expect(items.length).toBe(await count());
        const numbers = items.map((i) => Number(i.id));
        expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
        expect(r.json().nextBefore).toBeNull();
      }
    });

    it('never returns a secret: the keys of every role are absent from every page', async () => {
      const r = await get('?limit=500', 'admin');
      for (const key of Object.values(t.keys)) {
        expect(r.body).not.toContain(key);
        expect(r.body).not.toContain(hashKey(key));
      }
    });

    it('filters by actor, action, resource type and id, and outcome', async () => {
      const byActor = (await get(`?actor=${ids.finance}&limit=500`)).json().items as AuditEvent[];
      expect(byActor.length).toBeGreaterThanOrEqual(5);
      expect(new Set(byActor.map((e) => e.actorKeyId))).toEqual(new Set([ids.finance]));

      const approvals = (
        await get(`?action=${encodeURIComponent('POST /v1/forecasts/:id/approve')}`)
      ).json().items as AuditEvent[];
      expect(approvals).toHaveLength(1);
      expect(approvals[0]).toMatchObject({ resourceId: forecastId, actorKeyId: ids.finance });

      const ofForecast = (await get(`?resourceType=forecast&resourceId=${forecastId}`)).json()
        .items as AuditEvent[];
      // create, submit, approve, reject (refused), three 401s on GET /v1/forecasts/:id
      expect(ofForecast.map((e) => `${e.action} ${e.statusCode}`)).toEqual([
        'GET /v1/forecasts/:id 401',
        'GET /v1/forecasts/:id 401',
        'GET /v1/forecasts/:id 401',
        'POST /v1/forecasts/:id/reject 409',
        'POST /v1/forecasts/:id/approve 200',
        'POST /v1/forecasts/:id/submit 200',
        'POST /v1/forecasts 201',
      ]);

      const refused = (await get('?outcome=refused&limit=500')).json().items as AuditEvent[];
      expect(refused.length).toBeGreaterThan(5);
      expect(refused.every((e) => e.outcome === 'refused')).toBe(true);
      const ok = (await get('?outcome=ok&resourceType=key&limit=500')).json().items as AuditEvent[];
      expect(ok.map((e) => e.action)).toEqual(
        expect.arrayContaining(['POST /v1/keys', 'DELETE /v1/keys/:id']),
      );
      expect(ok.every((e) => e.outcome === 'ok' && e.resourceType === 'key')).toBe(true);
    });

    it('filters by time: from is inclusive, to exclusive', async () => {
      const all = (await get('?limit=500')).json().items as AuditEvent[];
      const middle = all[Math.floor(all.length / 2)]!;
      const from = (await get(`?from=${middle.at}&limit=500`)).json().items as AuditEvent[];
      const to = (await get(`?to=${middle.at}&limit=500`)).json().items as AuditEvent[];
      expect(from.every((e) => Date.parse(e.at) >= Date.parse(middle.at))).toBe(true);
      expect(from.map((e) => e.id)).toContain(middle.id);
      expect(to.every((e) => Date.parse(e.at) < Date.parse(middle.at))).toBe(true);
      expect(from.length + to.length).toBe(all.length);
      // A time zone other than Z names the same instant.
      const shifted = new Date(Date.parse(middle.at) + 3600_000)
        .toISOString()
        .replace('Z', '+01:00');
      expect((await get(`?from=${encodeURIComponent(shifted)}&limit=500`)).json().items).toEqual(
        from,
      );
    });

    it('pages by a cursor: every event once, newest first', async () => {
      const all = (await get('?limit=500')).json().items as AuditEvent[];
      const seen: string[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const r = await get(`?limit=3${before ? `&before=${before}` : ''}`);
        expect(r.statusCode).toBe(200);
        const page = r.json();
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((e: AuditEvent) => e.id));
        before = page.nextBefore;
        pages++;
      } while (before !== null && pages < 100);
      expect(seen).toEqual(all.map((e) => e.id));
      expect(pages).toBe(Math.ceil(all.length / 3));
    });

    it('a bad filter is a 400 naming it', async () => {
      const cases = [
        ['?from=yesterday', 'from', /ISO 8601 date-time with its time zone/],
        ['?to=2026-12-06T18:00:00', 'to', /time zone/],
        ['?from=2026-12-06T18:00:00Z&to=2026-12-06T17:00:00Z', 'to', /after from/],
        ['?before=abc', 'before', /event id/],
        ['?actor=someone', 'actor', /key id/],
        ['?outcome=maybe', 'outcome', /./],
        ['?limit=501', 'limit', /./],
        ['?secret=1', '', /./],
      ] as const;
      for (const [query, field, message] of cases) {
        const r = await get(query);
        expect(r.statusCode, query).toBe(400);
        const issue = r.json().error.issues[0];
        if (field) expect(issue.field, query).toBe(field);
        expect(issue.message, query).toMatch(message);
      }
      // In French when asked (the hand-written sentence).
      const fr = await t.app.inject({
        method: 'GET',
        url: '/v1/audit?from=yesterday',
        headers: { ...bearer(t.keys.finance), 'accept-language': 'fr' },
      });
      expect(fr.json().error.issues[0]).toMatchObject({
        field: 'from',
        message:
          'doit être une date-heure ISO 8601 avec son fuseau horaire, par exemple 2026-12-06T18:00:00Z',
      });
    });
  });
});

describe('a flood of refused authentications does not flood the trail', () => {
  it('writes the first 20 refusals of an address a minute, then one row with the count', async () => {
    const t = await buildTestApp({ config: { limits: { authFailuresPerMinute: 3 } as never } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++)
        statuses.push(
          (
            await t.app.inject({
              method: 'GET',
              url: '/v1/forecasts',
              headers: bearer(generateKey()),
            })
          ).statusCode,
        );
      // The throttle: 3 failures, then 429 without looking the key up.
      expect(statuses).toEqual([...Array(3).fill(401), ...Array(47).fill(429)]);
      const rows = () => t.store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
      const written = await rows();
      expect(written).toHaveLength(20);
      expect(
        written.slice(3).every((r) => (r.detail as { refused?: string })?.refused === 'throttled'),
      ).toBe(true);
      // When the window ends (here: when the service stops), the other 30 are one row.
      await t.app.audit.close();
      const after = await rows();
      expect(after).toHaveLength(21);
      expect(after[20]).toMatchObject({
        action: AGGREGATED_ACTION,
        outcome: 'refused',
        actor_key_id: null,
        client_address: '127.0.0.1',
        status_code: null,
        detail: { count: 30, statuses: { '429': 30 } },
      });
    } finally {
      await t.close();
    }
  });
});

describe('when the audit row cannot be written', () => {
  it('the write still answers, and the lost event is logged at error level with its content', async () => {
    const t = await buildTestApp({ backend: pgliteBackend });
    try {
      await sql`ALTER TABLE audit_log RENAME TO audit_log_elsewhere`.execute(t.store.db);
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/assumptions',
        headers: bearer(t.keys.analyst),
        payload: tinyAssumptions,
      });
      expect(r.statusCode).toBe(201);

      const logged: { obj: object; msg: string }[] = [];
      const audit = auditService(t.store.db, {
        log: { error: (obj, msg) => logged.push({ obj, msg }) },
        timer: false,
      });
      expect(await audit.record(handEntry('lost'))).toBe(false);
      expect(logged).toHaveLength(1);
      expect(logged[0]!.msg).toBe(
        'AUDIT EVENT LOST: the audit trail could not be written (lost, ok)',
      );
      expect(logged[0]!.obj).toMatchObject({ audit: handEntry('lost'), err: expect.any(Error) });
    } finally {
      await t.close();
    }
  });
});
