import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Migrator, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { migrate } from '../../server/db/index.ts';
import { migrationProvider } from '../../server/db/migrations.ts';
import { buildApp } from '../../server/http/app.ts';
import { AUTH_WINDOW_MS, addressGroup, authThrottle } from '../../server/services/auth-throttle.ts';
import {
  ENV_ADMIN_KEY_NAME,
  generateKey,
  hashKey,
  KEY_CACHE_MS,
  keysService,
  keyWeakness,
} from '../../server/services/keys.ts';
import {
  backends,
  bearer,
  buildTestApp,
  pgliteBackend,
  type TestApp,
  testConfig,
} from './helper.ts';

/**
 * The hostile corpus, authentication part (issue 13): a flood of bad keys, two Authorization
 * headers, a weak or clear-kept COSTCAST_ADMIN_KEY, a key revoked on another instance. Each
 * case on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */

const countKeys = async (t: TestApp) =>
  (
    await t.store.db
      .selectFrom('api_keys')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n;

describe.each(backends)('on $name', (backend) => {
  describe('two Authorization headers', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp({ backend });
    });
    afterAll(() => t?.close());

    it.each([
      ['a valid key then a bad one', (k: string) => [`Bearer ${k}`, `Bearer ${generateKey()}`]],
      ['a bad key then a valid one', (k: string) => [`Bearer ${generateKey()}`, `Bearer ${k}`]],
      ['the same valid key twice', (k: string) => [`Bearer ${k}`, `Bearer ${k}`]],
    ])('%s: 400 as ambiguous, nothing done', async (_name, headers) => {
      const before = await countKeys(t);
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        // light-my-request sends each value of an array as a header line of its own.
        headers: {
          authorization: headers(t.keys.admin) as unknown as string,
          'content-type': 'application/json',
        },
        payload: JSON.stringify({ name: 'ambiguous', role: 'admin' }),
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toEqual({
        error: {
          code: 'bad_request',
          message: 'the request has 2 Authorization headers, which is ambiguous; send one',
        },
      });
      expect(await countKeys(t)).toBe(before);
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('one header still works', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: '/v1/forecasts',
        headers: bearer(t.keys.viewer),
      });
      expect(r.statusCode).toBe(200);
    });
  });

  describe('a flood of bad keys from one address', () => {
    let t: TestApp;
    const LIMIT = 5;
    beforeAll(async () => {
      t = await buildTestApp({
        backend,
        config: { limits: { authFailuresPerMinute: LIMIT } as never },
      });
    });
    afterAll(() => t?.close());
    afterEach(() => {
      vi.useRealTimers();
    });

    const get = (key: string, remoteAddress: string, headers = bearer(key)) =>
      t.app.inject({ method: 'GET', url: '/v1/forecasts', headers, remoteAddress });

    it('is throttled after the limit with 429 and Retry-After, without locking out a key in use', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-12-06T10:00:00Z'));
      const flood = '203.0.113.7';
      // The analyst's key has worked from this address before the flood.
      expect((await get(t.keys.analyst, flood)).statusCode).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        // Each bad request, half a second apart: 40 of them span 20 s, inside one minute.
        vi.setSystemTime(new Date(Date.parse('2026-12-06T10:00:00Z') + i * 500));
        statuses.push(
          (
            await get(
              generateKey(),
              flood,
              i % 2 ? { authorization: 'Basic YWRtaW46YWRtaW4=' } : undefined,
            )
          ).statusCode,
        );
      }
      // LIMIT failures answered 401, every one after 429.
      expect(statuses).toEqual([...Array(LIMIT).fill(401), ...Array(40 - LIMIT).fill(429)]);
      const last = await get(generateKey(), flood);
      expect(last.statusCode).toBe(429);
      expect(last.json().error).toEqual({
        code: 'rate_limited',
        message: expect.stringMatching(
          /too many failed authentications from this address; retry in \d+ s/,
        ),
      });
      // The window started at the first failure (10:00:00); it is now 10:00:19.5: 40.5 s left.
      expect(last.headers['retry-after']).toBe('41');
      // The key in use from this address keeps working; the valid admin key, never used from
      // it, waits like any unknown key (it is not looked up); another address is untouched.
      expect((await get(t.keys.analyst, flood)).statusCode).toBe(200);
      expect((await get(t.keys.admin, flood)).statusCode).toBe(429);
      expect((await get(generateKey(), '198.51.100.1')).statusCode).toBe(401);
      expect((await get(t.keys.admin, '198.51.100.1')).statusCode).toBe(200);
      // A minute after the first failure the window is over.
      vi.setSystemTime(new Date(Date.parse('2026-12-06T10:00:00Z') + AUTH_WINDOW_MS));
      expect((await get(t.keys.admin, flood)).statusCode).toBe(200);
      expect((await get(generateKey(), flood)).statusCode).toBe(401);
    });

    it('counts the addresses of one IPv6 /64 together', async () => {
      // LIMIT failures spread over LIMIT addresses of 2001:db8:7:7::/64.
      for (let i = 1; i <= LIMIT; i++)
        expect((await get(generateKey(), `2001:db8:7:7::${i.toString(16)}`)).statusCode).toBe(401);
      expect((await get(generateKey(), '2001:db8:7:7:ffff::99')).statusCode).toBe(429);
      expect((await get(generateKey(), '2001:db8:7:8::1')).statusCode).toBe(401);
    });

    it('requests without any key are not counted as failures', async () => {
      const address = '192.0.2.44';
      for (let i = 0; i < LIMIT * 3; i++)
        expect((await get('', address, {} as never)).statusCode).toBe(401);
      expect((await get(t.keys.viewer, address)).statusCode).toBe(200);
    });
  });

  describe('a key revoked on another instance', () => {
    it(`stops working here once the cache (${KEY_CACHE_MS} ms, at most a second) has passed`, async () => {
      expect(KEY_CACHE_MS).toBeLessThanOrEqual(1000);
      const { store, dispose } = await backend.open();
      try {
        let now = 1_000_000;
        const here = keysService(store.db, { now: () => now });
        const other = keysService(store.db);
        await other.bootstrap(undefined);
        const key = await other.create('shared', 'viewer', null);
        expect(await here.verify(key.key)).toMatchObject({ keyId: key.id });
        // Revoked through the other instance: this one's cache does not hear of it.
        expect(await other.revoke(key.id)).toBe('revoked');
        now += KEY_CACHE_MS - 1;
        expect(await here.verify(key.key)).toMatchObject({ keyId: key.id });
        now += 1;
        expect(await here.verify(key.key)).toBeNull();
        // Revoked through this instance: refused at once.
        const second = await here.create('second', 'viewer', null);
        expect(await here.verify(second.key)).not.toBeNull();
        await here.revoke(second.id);
        expect(await here.verify(second.key)).toBeNull();
      } finally {
        await store.close();
        await dispose();
      }
    });
  });

  describe('when a key was last used', () => {
    it('is written at most once a minute per key, never moved back, and listed with the key', async () => {
      const { store, dispose } = await backend.open();
      try {
        let now = Date.parse('2026-12-07T09:00:00Z');
        const keys = keysService(store.db, { now: () => now });
        await keys.bootstrap(undefined);
        const k = await keys.create('robot', 'viewer', null);
        const lastUsed = async () => (await keys.list()).find((x) => x.id === k.id)?.lastUsedAt;
        expect(await lastUsed()).toBeNull();
        await keys.verify(k.key);
        expect(await lastUsed()).toBe('2026-12-07T09:00:00.000Z');
        // 09:00:30: past the one-second cache, verified again, but within the minute.
        now += 30_000;
        await keys.verify(k.key);
        expect(await lastUsed()).toBe('2026-12-07T09:00:00.000Z');
        // 09:01:00: a minute after the write.
        now += 30_000;
        await keys.verify(k.key);
        expect(await lastUsed()).toBe('2026-12-07T09:01:00.000Z');
        // 09:02:30: a browser session's use (checked by the key's id) is the key's use.
        now += 90_000;
        await keys.principalOf(k.id);
        expect(await lastUsed()).toBe('2026-12-07T09:02:30.000Z');
        // Another instance whose clock says 09:00:30 does not move it back.
        const other = keysService(store.db, { now: () => now - 120_000 });
        await other.verify(k.key);
        expect(await lastUsed()).toBe('2026-12-07T09:02:30.000Z');
        // A revoked key is refused, and its last use stays what it was.
        await keys.revoke(k.id);
        now += 120_000;
        expect(await keys.verify(k.key)).toBeNull();
        expect(await lastUsed()).toBe('2026-12-07T09:02:30.000Z');
      } finally {
        await store.close();
        await dispose();
      }
    });
  });

  describe('keys made before their last use was kept', () => {
    it('are listed as never used after the upgrade, until they are', async () => {
      const { store, dispose } = await backend.open();
      try {
        // A database at 0008, as the version before kept it, with one key; then upgraded.
        await sql`DROP SCHEMA public CASCADE`.execute(store.db);
        await sql`CREATE SCHEMA public`.execute(store.db);
        const migrator = new Migrator({ db: store.db, provider: migrationProvider });
        expect((await migrator.migrateTo('0008_sessions')).error).toBeUndefined();
        const key = generateKey();
        await sql`INSERT INTO api_keys (id, name, role, key_hash, prefix)
          VALUES (${randomUUID()}, 'Salma', 'viewer', ${hashKey(key)}, ${key.slice(0, 10)})`.execute(
          store.db,
        );
        await migrate(store.db);
        const now = Date.parse('2026-12-07T09:00:00Z');
        const keys = keysService(store.db, { now: () => now });
        expect((await keys.list()).map((k) => [k.name, k.lastUsedAt])).toEqual([['Salma', null]]);
        expect(await keys.verify(key)).toMatchObject({ name: 'Salma' });
        expect((await keys.list()).map((k) => k.lastUsedAt)).toEqual(['2026-12-07T09:00:00.000Z']);
      } finally {
        await store.close();
        await dispose();
      }
    });
  });

  describe('COSTCAST_ADMIN_KEY', () => {
    it('keeps no clear characters of the key, and forgets those earlier versions kept', async () => {
      const { store, dispose } = await backend.open();
      try {
        const keys = keysService(store.db);
        const admin = 'Zq8-my-own-bootstrap-admin-key-0123456789';
        await keys.bootstrap(admin);
        const rows = await store.db.selectFrom('api_keys').selectAll().execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          name: ENV_ADMIN_KEY_NAME,
          prefix: '',
          key_hash: hashKey(admin),
        });
        expect(JSON.stringify(rows)).not.toContain(admin.slice(0, 4));
        // An earlier version stored `prefix: admin.slice(0, 6)`; the next start blanks it.
        await store.db
          .updateTable('api_keys')
          .set({ prefix: admin.slice(0, 6) })
          .execute();
        await keys.bootstrap(undefined);
        const after = await store.db.selectFrom('api_keys').select('prefix').execute();
        expect(after).toEqual([{ prefix: '' }]);
      } finally {
        await store.close();
        await dispose();
      }
    });
  });
});

describe('the address a failure is counted for', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:bbbb:cccc:dddd:eeee', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (ip, group) => {
    expect(addressGroup(ip)).toBe(group);
  });
});

describe('the throttle, on an injected clock', () => {
  it('counts failures per address in a minute from the first, and trusts keys that worked', () => {
    let now = 0;
    const th = authThrottle({ perMinute: 3, now: () => now });
    const good = hashKey('good');
    const bad = hashKey('bad');
    th.succeeded('a', good);
    now = 5_000;
    expect(th.failed('a')).toEqual({ failures: 1, limitReached: false });
    now = 15_000;
    th.failed('a');
    expect(th.blocked('a', bad)).toBeNull();
    expect(th.failed('a')).toEqual({ failures: 3, limitReached: true });
    // The window runs from the first failure (5 s) to 65 s: at 15 s, 50 s to wait.
    expect(th.blocked('a', bad)).toBe(50);
    expect(th.blocked('a', good)).toBeNull();
    expect(th.blocked('b', bad)).toBeNull();
    now = 64_001;
    expect(th.blocked('a', bad)).toBe(1);
    now = 65_000;
    expect(th.blocked('a', bad)).toBeNull();
    expect(th.failed('a')).toEqual({ failures: 1, limitReached: false });
  });

  it('is off at 0', () => {
    const th = authThrottle({ perMinute: 0 });
    for (let i = 0; i < 100; i++) th.failed('a');
    expect(th.blocked('a', hashKey('x'))).toBeNull();
  });
});

describe('failed authentications in the log', () => {
  it('name the client address and the count, never the key', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { store, dispose } = await pgliteBackend.open();
    const config = testConfig({ logLevel: 'info', limits: { authFailuresPerMinute: 2 } as never });
    const app = await buildApp({ config, store }, { logger: { level: 'info', stream } });
    try {
      const bad = generateKey();
      for (let i = 0; i < 3; i++)
        await app.inject({
          method: 'GET',
          url: '/v1/forecasts',
          headers: bearer(bad),
          remoteAddress: '203.0.113.9',
        });
      const log = lines.join('');
      expect(log).not.toContain(bad);
      expect(log).not.toContain(bad.slice(3, 12));
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records).toContainEqual(
        expect.objectContaining({
          msg: 'authentication failed',
          clientAddress: '203.0.113.9',
          failures: 1,
        }),
      );
      expect(records).toContainEqual(
        expect.objectContaining({
          level: 40,
          clientAddress: '203.0.113.9',
          failures: 2,
          msg: 'authentication failures throttled for 203.0.113.9: 2 in a minute',
        }),
      );
    } finally {
      await app.close();
      await store.close();
      await dispose();
    }
  });
});

describe('a weak COSTCAST_ADMIN_KEY', () => {
  it.each([
    ['short', /must be at least 24 characters \(it has 5\)/],
    ['a'.repeat(40), /uses only lowercase letters: mix at least two/],
    ['abababababababababababab12', /has only 4 different characters/],
    ['my admin key with spaces 0123456789', /printable ASCII without spaces/],
    ['abcdefghij0123456789abcd', /carry about 124 bits, at least 128 needed/],
  ])('refuses %j at boot, saying why', (key, why) => {
    expect(() => loadConfig({ COSTCAST_ADMIN_KEY: key })).toThrow(ConfigError);
    try {
      loadConfig({ COSTCAST_ADMIN_KEY: key });
    } catch (e) {
      expect((e as Error).message).toMatch(/COSTCAST_ADMIN_KEY: /);
      expect((e as Error).message).toMatch(why);
      // The error never repeats the key.
      expect((e as Error).message).not.toContain(key);
    }
  });

  it.each([
    // openssl rand -base64 32 (44 characters from 64 symbols)
    'q3Jd2i8Gx0c1mVtWwN9pZ4yU6bR7sK5eH+fL/aQzXoE=',
    // openssl rand -hex 32
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    generateKey(),
    // the keys the e2e tests and benchmarks use
    'e2e-instances-admin-key-0123456789abcdef',
    'bench-admin-key-0123456789abcdefghij',
  ])('accepts %s', (key) => {
    expect(keyWeakness(key)).toBeNull();
    expect(loadConfig({ COSTCAST_ADMIN_KEY: key }).adminKey).toBe(key);
  });
});
