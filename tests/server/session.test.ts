import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrate } from '../../server/db/index.ts';
import { migrationProvider } from '../../server/db/migrations.ts';
import { sessionToken } from '../../server/http/session-cookie.ts';
import { sessionsService, sessionTokenHash } from '../../server/services/sessions.ts';
import { backends, bearer, buildTestApp, type TestApp } from './helper.ts';

/** The cookie pair (`name=value`) of a Set-Cookie header. */
const cookieOf = (setCookie: string | string[] | undefined) =>
  String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;

describe.each(backends)('browser sessions ($name)', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  const signIn = async (key: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/v1/session', headers: bearer(key) });
    expect(r.statusCode, r.body).toBe(201);
    return { cookie: cookieOf(r.headers['set-cookie']), body: r.json(), headers: r.headers };
  };

  it('signs in with the key in the Authorization header and sets an httpOnly, SameSite=Strict cookie', async () => {
    const { cookie, body, headers } = await signIn(t.keys.analyst);
    const set = String(headers['set-cookie']);
    expect(set).toMatch(/^costcast_session=[A-Za-z0-9_-]{43}; /);
    // 8 hours (COSTCAST_SESSION_HOURS' default) = 28 800 s
    expect(set.split('; ').slice(1)).toEqual([
      'Path=/',
      'Max-Age=28800',
      'HttpOnly',
      'SameSite=Strict',
    ]);
    expect(headers['cache-control']).toBe('no-store');
    expect(body).toMatchObject({ name: 'test analyst', role: 'analyst', via: 'session' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Neither the cookie nor the answer holds the key.
    expect(cookie).not.toContain(t.keys.analyst);
    expect(JSON.stringify(body)).not.toContain(t.keys.analyst);
    const expires = Date.parse(body.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(7 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(8 * 3_600_000);
  });

  it('marks the cookie Secure when told HTTPS ends at a proxy (COSTCAST_SECURE_COOKIE=true)', async () => {
    expect(String((await signIn(t.keys.viewer)).headers['set-cookie'])).not.toContain('Secure');
    const https = await buildTestApp({ backend, config: { secureCookie: true } });
    try {
      const r = await https.app.inject({
        method: 'POST',
        url: '/v1/session',
        headers: bearer(https.keys.viewer),
      });
      expect(String(r.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await https.close();
    }
  });

  it('stores only a hash of the session token', async () => {
    const { cookie } = await signIn(t.keys.viewer);
    const token = sessionToken(cookie)!;
    const rows = await t.store.db.selectFrom('sessions').selectAll().execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(token);
    expect(rows.map((r) => r.token_hash)).toContain(sessionTokenHash(token));
    // Nothing of it is left in app_state, where sessions lived before migration 0008.
    const state = await t.store.db.selectFrom('app_state').select('key').execute();
    expect(state.filter((r) => r.key.startsWith('session:'))).toEqual([]);
  });

  it('GET /v1/session says who is signed in, by cookie or by key', async () => {
    const { cookie, body } = await signIn(t.keys.finance);
    const r = await t.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ...body });
    const k = await t.app.inject({
      method: 'GET',
      url: '/v1/session',
      headers: bearer(t.keys.admin),
    });
    expect(k.json()).toMatchObject({ role: 'admin', via: 'key', csrfToken: null, expiresAt: null });
  });

  it('lets the cookie read what the role may read, and stops it above the role', async () => {
    const { cookie } = await signIn(t.keys.viewer);
    const list = await t.app.inject({ method: 'GET', url: '/v1/forecasts', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    const sheets = await t.app.inject({
      method: 'GET',
      url: '/v1/price-sheets',
      headers: { cookie },
    });
    expect(sheets.statusCode).toBe(403);
    expect(sheets.json().error.message).toBe(
      'this needs the analyst role or above; the key has viewer',
    );
  });

  describe('CSRF', () => {
    const body = { name: 'csrf', role: 'viewer' };

    it('refuses a write made with the cookie without the CSRF token, or with a wrong one', async () => {
      const { cookie, body: who } = await signIn(t.keys.admin);
      for (const token of [undefined, 'x'.repeat(43), `${who.csrfToken}x`]) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/v1/keys',
          headers: { cookie, ...(token === undefined ? {} : { 'x-csrf-token': token }) },
          payload: body,
        });
        expect(r.statusCode).toBe(403);
        expect(r.json().error.message).toBe(
          'this write is made with a session cookie but without its CSRF token (X-CSRF-Token header)',
        );
      }
      const fr = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        headers: { cookie, 'accept-language': 'fr' },
        payload: body,
      });
      expect(fr.json().error.message).toBe(
        'cette écriture est faite avec un cookie de session mais sans son jeton CSRF (en-tête X-CSRF-Token)',
      );
    });

    it("accepts the write with its session's token, and not with another session's", async () => {
      const a = await signIn(t.keys.admin);
      const b = await signIn(t.keys.admin);
      const other = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        headers: { cookie: a.cookie, 'x-csrf-token': b.body.csrfToken },
        payload: body,
      });
      expect(other.statusCode).toBe(403);
      const ok = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        headers: { cookie: a.cookie, 'x-csrf-token': a.body.csrfToken },
        payload: body,
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().createdBy).toBe('test admin');
    });

    it('leaves Bearer clients as they were: no token needed, and a cookie beside the key is ignored', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        headers: { ...bearer(t.keys.admin), cookie: 'costcast_session=forged' },
        payload: body,
      });
      expect(r.statusCode).toBe(201);
    });
  });

  it('signing out ends the session on the server and clears the cookie', async () => {
    const { cookie, body } = await signIn(t.keys.analyst);
    const noToken = await t.app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie },
    });
    expect(noToken.statusCode).toBe(403);
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^costcast_session=; Path=\/; Max-Age=0; /);
    // The old cookie, replayed, no longer works.
    const replay = await t.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toBe('your session has ended: sign in again');
  });

  it('revoking the key ends its sessions at once on this instance', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(t.keys.admin),
      payload: { name: 'leaving', role: 'finance' },
    });
    const { id, key } = created.json();
    const { cookie } = await signIn(key);
    const before = await t.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });
    expect(before.statusCode).toBe(200);
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/keys/${id}`,
      headers: bearer(t.keys.admin),
    });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('refuses unknown, malformed and empty session cookies with a 401', async () => {
    for (const cookie of [
      'costcast_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'costcast_session=not a token',
      'costcast_session=',
    ]) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/forecasts', headers: { cookie } });
      expect(r.statusCode, cookie).toBe(401);
    }
    // Other cookies alone are no session: the usual message about the key.
    const other = await t.app.inject({
      method: 'GET',
      url: '/v1/forecasts',
      headers: { cookie: 'theme=dark' },
    });
    expect(other.statusCode).toBe(401);
    expect(other.json().error.message).toBe('an API key is required: Authorization: Bearer <key>');
  });

  it('a signed-in session cannot open another by itself: sign-in needs the key', async () => {
    const { cookie, body } = await signIn(t.keys.viewer);
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    });
    // Accepted as the same person (a fresh session), never as anyone else.
    expect(r.statusCode).toBe(201);
    expect(r.json().role).toBe('viewer');
  });
});

describe('session expiry', () => {
  it('ends a session at its expiry, on the clock of the service', async () => {
    const t = await buildTestApp();
    try {
      let now = Date.parse('2026-12-06T10:00:00Z');
      const sessions = sessionsService(t.store.db, t.app.keys, {
        lifetimeMs: 8 * 3_600_000,
        now: () => now,
      });
      const principal = await t.app.keys.verify(t.keys.viewer);
      const { token, session } = await sessions.open(principal!);
      expect(session.expiresAt).toBe('2026-12-06T18:00:00.000Z');
      now = Date.parse('2026-12-06T17:59:59.999Z');
      expect((await sessions.verify(token))?.principal.role).toBe('viewer');
      now = Date.parse('2026-12-06T18:00:00Z');
      expect(await sessions.verify(token)).toBeNull();
      // Expired sessions are deleted as new ones open.
      await sessions.open(principal!);
      const left = await t.store.db
        .selectFrom('sessions')
        .select('token_hash')
        .where('token_hash', '=', sessionTokenHash(token))
        .execute();
      expect(left).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('migration 0008', () => {
  it('moves the sessions open at the upgrade from app_state to their own table', async () => {
    const db = new Kysely<Database>({ dialect: new PGliteDialect(await PGlite.create({})) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      expect((await migrator.migrateTo('0007_price_sheet_reviews')).error).toBeUndefined();
      const keyId = randomUUID();
      await sql`INSERT INTO api_keys (id, name, role, key_hash, prefix)
        VALUES (${keyId}, 'Salma', 'viewer', 'h', 'cc_x')`.execute(db);
      // As sessions.ts stored them before: `session:<sha256 of the token>` → JSON.
      const token = 'A'.repeat(43);
      const live = { keyId, csrfToken: 'csrf-1', expiresAt: '2030-01-01T08:00:00.000Z' };
      const orphan = { keyId: randomUUID(), csrfToken: 'csrf-2', expiresAt: live.expiresAt };
      for (const [key, value] of [
        [`session:${sessionTokenHash(token)}`, live],
        [`session:${sessionTokenHash('B'.repeat(43))}`, orphan],
      ] as const)
        await sql`INSERT INTO app_state (key, value)
          VALUES (${key}, ${JSON.stringify(value)})`.execute(db);
      await sql`INSERT INTO app_state (key, value) VALUES ('other', '{}')`.execute(db);

      await migrate(db);
      const rows = await db.selectFrom('sessions').selectAll().execute();
      // The orphan's key does not exist: it cannot be signed in with, and is not moved.
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        token_hash: sessionTokenHash(token),
        key_id: keyId,
        csrf_token: 'csrf-1',
      });
      expect(new Date(rows[0]!.expires_at).toISOString()).toBe('2030-01-01T08:00:00.000Z');
      const state = await db.selectFrom('app_state').select('key').execute();
      expect(state.map((r) => r.key)).toEqual(['other']);
    } finally {
      await db.destroy();
    }
  });
});

describe('the web interface routes', () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'costcast-webdir-'));
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>costcast</title>');
    writeFileSync(join(dir, 'assets', 'app-ABC.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'app-ABC.css'), 'body{}');
    t = await buildTestApp({ config: { webDir: dir } });
  });
  afterAll(() => t?.close());

  it.each(['/', '/signin', '/cfo', '/finance', '/analyst', '/admin'])(
    '%s answers the page with a CSP that allows no inline script or style',
    async (url) => {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toBe('<!doctype html><title>costcast</title>');
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('keeps the API and /docs CSP as it was', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/health' });
    expect(String(r.headers['content-security-policy'])).toContain(
      "style-src 'self' 'unsafe-inline'",
    );
  });

  it('serves the built files with their type and a long cache, and 404s others', async () => {
    const js = await t.app.inject({ method: 'GET', url: '/assets/app-ABC.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await t.app.inject({ method: 'GET', url: '/assets/app-ABC.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of [
      '/assets/nope.js',
      '/assets/..%2Findex.html',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    ])
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
  });

  it('says how to build the interface when it is not built', async () => {
    const bare = await buildTestApp({ config: { webDir: join(dir, 'missing') } });
    try {
      const r = await bare.app.inject({ method: 'GET', url: '/cfo' });
      expect(r.statusCode).toBe(503);
      expect(r.json().error.message).toMatch(/npm run build:web/);
    } finally {
      await bare.close();
    }
  });
});
