import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keysCommand } from '../../server/cli/keys.ts';
import { ConfigError, describeDatabase, loadConfig } from '../../server/config.ts';
import { contentDisposition } from '../../server/http/download.ts';
import { helmetHeaders } from '../../server/http/plugins/external/helmet.ts';
import { hashKey, keysService } from '../../server/services/keys.ts';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

describe('the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('serves an OpenAPI 3.1 document generated from the zod schemas at /openapi.json', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const create = doc.paths['/v1/forecasts'].post;
    expect(create.security).toEqual([{ bearer: [] }]);
    expect(create.tags).toEqual(['forecasts']);
    const body = create.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining([
        'assumptions',
        'assumptionsId',
        'priceSheetIds',
        'asOf',
        'scenarios',
        'draws',
        'seed',
      ]),
    );
    const ok = create.responses['201'].content['application/json'].schema;
    expect(Object.keys(ok.properties.forecast.properties)).toEqual(
      expect.arrayContaining([
        'currency',
        'quarters',
        'scenarios',
        'sensitivity',
        'monteCarlo',
        'concentration',
      ]),
    );
    expect(
      create.responses['422'].content['application/json'].schema.properties.error.properties,
    ).toHaveProperty('issues');
    const upload = doc.paths['/v1/price-sheets'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(
      expect.arrayContaining(['multipart/form-data', 'text/csv', 'application/json']),
    );
  });

  it('serves the Swagger UI at /docs', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('swagger');
  });

  it('sets security headers (helmet)', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/health' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it("sets every one of helmet's headers on answers, errors, 404s and 429s alike", async () => {
    const expected = helmetHeaders();
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['strict-transport-security', 'cross-origin-opener-policy']),
    );
    const limited = await buildTestApp({ config: { limits: { rateLimitPerMinute: 1 } as never } });
    try {
      const answers = [
        await t.app.inject({ method: 'GET', url: '/health' }),
        await t.app.inject({ method: 'GET', url: '/v1/forecasts' }),
        await t.app.inject({ method: 'GET', url: '/v2/nothing' }),
        await t.app.inject({
          method: 'POST',
          url: '/v1/what-if',
          headers: bearer(t.keys.analyst),
          payload: {},
        }),
        await limited.app.inject({ method: 'GET', url: '/health' }),
        await limited.app.inject({ method: 'GET', url: '/health' }),
      ];
      expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404, 400, 200, 429]);
      for (const a of answers) expect(a.headers).toMatchObject(expected);
    } finally {
      await limited.close();
    }
  });

  it('leaves the Swagger UI its own content security policy', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-security-policy']).not.toBe(
      helmetHeaders()['content-security-policy'],
    );
  });

  it('answers unknown routes with the JSON error body', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v2/anything?x=1' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({
      error: { code: 'not_found', message: 'no route GET /v2/anything' },
    });
  });
});

describe('rate limiting', () => {
  it('answers 429 with the JSON error body past the limit per minute', async () => {
    const t = await buildTestApp({ config: { limits: { rateLimitPerMinute: 3 } as never } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++)
        codes.push(
          (
            await t.app.inject({
              method: 'GET',
              url: '/v1/forecasts',
              headers: bearer(t.keys.viewer),
            })
          ).statusCode,
        );
      expect(codes).toEqual([200, 200, 200, 429]);
      const r = await t.app.inject({ method: 'GET', url: '/health' });
      expect(r.statusCode).toBe(429);
      expect(r.json().error).toMatchObject({
        code: 'rate_limited',
        message: expect.stringMatching(/too many requests/),
      });
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});

describe('when the database is gone', () => {
  it('GET /health answers 503, and other routes a 500 that tells nothing of the internals', async () => {
    const t = await buildTestApp();
    try {
      await t.store.close();
      const health = await t.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({
        status: 'unavailable',
        database: { reachable: false },
      });
      const r = await t.app.inject({
        method: 'GET',
        url: '/v1/forecasts',
        headers: bearer(t.keys.viewer),
      });
      expect(r.statusCode).toBe(500);
      expect(r.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } });
    } finally {
      await t.app.close();
    }
  });
});

describe('configuration', () => {
  it('has the documented defaults (docs/contracts.md)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('data'),
      adminKey: undefined,
    });
    expect(c.database).toEqual({ kind: 'pglite', dir: resolve('data/pglite') });
    expect(describeDatabase(c.database)).toBe(`PGlite in ${resolve('data/pglite')}`);
  });

  it('uses PostgreSQL when DATABASE_URL is set, and never logs its password', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:secret@db:5432/costcast',
      PORT: '8080',
      DATA_DIR: '',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:secret@db:5432/costcast' });
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe(resolve('data'));
    expect(describeDatabase(c.database)).not.toContain('secret');
  });

  it('computes on as many worker threads as there are cores unless told otherwise', () => {
    expect(loadConfig({}).computeThreads).toBe(availableParallelism());
    expect(loadConfig({ COSTCAST_COMPUTE_THREADS: '0' }).computeThreads).toBe(0);
    expect(loadConfig({ COSTCAST_COMPUTE_THREADS: ' 3 ' }).computeThreads).toBe(3);
    expect(() => loadConfig({ COSTCAST_COMPUTE_THREADS: '-1' })).toThrow(
      /COSTCAST_COMPUTE_THREADS: must be at least 0/,
    );
  });

  it('stops compute threads after a minute idle unless told otherwise', () => {
    expect(loadConfig({}).computeIdleSeconds).toBe(60);
    expect(loadConfig({ COSTCAST_COMPUTE_IDLE_SECONDS: '0' }).computeIdleSeconds).toBe(0);
    expect(() => loadConfig({ COSTCAST_COMPUTE_IDLE_SECONDS: '1.5' })).toThrow(
      /COSTCAST_COMPUTE_IDLE_SECONDS: must be a whole number/,
    );
  });

  it('refuses bad values, naming each', () => {
    expect(() =>
      loadConfig({ PORT: 'http', DATABASE_URL: 'mysql://x', COSTCAST_ADMIN_KEY: 'short' }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '70000', COSTCAST_ADMIN_KEY: 'short' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT: must be at most 65535/);
      expect((e as Error).message).toMatch(/COSTCAST_ADMIN_KEY: must be at least 24 characters/);
    }
  });
});

describe('the workbook file name', () => {
  it('names the forecast, its quarter and its status, ASCII-safe, with the UTF-8 name alongside', () => {
    expect(contentDisposition('Prévision « DSI » — T3', '2026-Q3', 'draft', 'en')).toBe(
      `attachment; filename="costcast-prevision-dsi-t3-2026-Q3-draft.xlsx"; filename*=UTF-8''Pr%C3%A9vision%20%C2%AB%20DSI%20%C2%BB%20%E2%80%94%20T3%202026-Q3%20%28draft%29.xlsx`,
    );
    expect(contentDisposition('"; rm -rf /', '2026-Q3', 'in_review', 'en')).toMatch(
      /^attachment; filename="costcast-rm-rf-2026-Q3-in-review\.xlsx"/,
    );
  });

  it('says the quarter and the status in the workbook’s language', () => {
    const names = (locale: 'en' | 'fr') =>
      (['draft', 'in_review', 'approved', 'rejected'] as const).map(
        (status) =>
          /filename="([^"]+)"/.exec(
            contentDisposition('Banque Atlas', '2027-Q1', status, locale),
          )![1],
      );
    expect(names('en')).toEqual([
      'costcast-banque-atlas-2027-Q1-draft.xlsx',
      'costcast-banque-atlas-2027-Q1-in-review.xlsx',
      'costcast-banque-atlas-2027-Q1-approved.xlsx',
      'costcast-banque-atlas-2027-Q1-rejected.xlsx',
    ]);
    expect(names('fr')).toEqual([
      'costcast-banque-atlas-T1-2027-brouillon.xlsx',
      'costcast-banque-atlas-T1-2027-en-revue.xlsx',
      'costcast-banque-atlas-T1-2027-approuvee.xlsx',
      'costcast-banque-atlas-T1-2027-rejetee.xlsx',
    ]);
    // é is %C3%A9 in UTF-8; the parentheses are escaped as RFC 5987 asks.
    expect(contentDisposition('Banque Atlas', '2027-Q1', 'approved', 'fr')).toMatch(
      /; filename\*=UTF-8''Banque%20Atlas%20T1%202027%20%28approuv%C3%A9e%29\.xlsx$/,
    );
    // A name of nothing but punctuation still gives a file name.
    expect(contentDisposition('—', '2027-Q1', 'draft', 'en')).toMatch(
      /filename="costcast-forecast-2027-Q1-draft\.xlsx"/,
    );
  });
});

describe('npm run costcast -- keys create', () => {
  it('creates a key, prints it once, and stores only its hash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costcast-keys-'));
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
      expect(await keysCommand(['create', '--role', 'finance', '--name', 'Fatima (finance)'])).toBe(
        0,
      );
      const key = out.join('').trim();
      expect(key).toMatch(/^cc_[A-Za-z0-9_-]{43}$/);
      const { openStore } = await import('../../server/db/index.ts');
      const store = await openStore(loadConfig().database);
      try {
        const rows = await store.db.selectFrom('api_keys').selectAll().execute();
        expect(rows).toMatchObject([
          { name: 'Fatima (finance)', role: 'finance', key_hash: hashKey(key) },
        ]);
      } finally {
        await store.close();
      }
      // Revoked from the CLI too; both are in the audit trail, by the OS user, without the key.
      const keyId = /\(([0-9a-f-]{36})\)/.exec(
        err.mock.calls.map((c) => String(c[0])).join(''),
      )?.[1];
      expect(keyId).toBeDefined();
      expect(await keysCommand(['revoke', '--id', keyId!])).toBe(0);
      expect(await keysCommand(['revoke', '--id', keyId!])).toBe(2);
      const audited = await (await import('../../server/db/index.ts')).openStore(
        loadConfig().database,
      );
      try {
        const events = await audited.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
        const actor = `cli:${userInfo().username}`;
        expect(events).toMatchObject([
          {
            actor_key_id: null,
            actor_name: actor,
            action: 'cli keys create',
            resource_type: 'key',
            resource_id: keyId,
            outcome: 'ok',
            detail: { name: 'Fatima (finance)', role: 'finance' },
          },
          { actor_name: actor, action: 'cli keys revoke', resource_id: keyId, outcome: 'ok' },
          {
            action: 'cli keys revoke',
            resource_id: keyId,
            outcome: 'refused',
            detail: { code: 'not_found' },
          },
        ]);
        expect(JSON.stringify(events)).not.toContain(key);
      } finally {
        await audited.close();
      }
      // keys list: Fatima's key revoked and never used; Salma's, used once at 09:00:30 UTC.
      out.length = 0;
      expect(await keysCommand(['create', '--role', 'viewer', '--name', 'Salma (CFO)'])).toBe(0);
      const salma = out.join('').trim();
      const used = await openStore(loadConfig().database);
      try {
        await keysService(used.db, { now: () => Date.parse('2026-12-07T09:00:30Z') }).verify(salma);
      } finally {
        await used.close();
      }
      out.length = 0;
      expect(await keysCommand(['list'])).toBe(0);
      const lines = out.join('').split('\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^ID +NAME +ROLE +STARTS WITH +CREATED +LAST USED +STATE$/);
      expect(lines[1]).toMatch(
        new RegExp(
          `^${keyId} +Fatima \\(finance\\) +finance +${key.slice(0, 10)}… +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +never +revoked \\d{4}-`,
        ),
      );
      expect(lines[2]).toMatch(
        new RegExp(
          `Salma \\(CFO\\) +viewer +${salma.slice(0, 10)}… .* UTC +2026-12-07 09:00 UTC +active$`,
        ),
      );
      // The columns line up: each line's STATE starts where the header's does.
      const at = lines[0]!.indexOf('STATE');
      expect(lines.slice(1).map((l) => l.slice(at, at + 6))).toEqual(['revoke', 'active']);
      expect(out.join('')).not.toContain(key);
      expect(out.join('')).not.toContain(salma);
      await expect(keysCommand(['list', '--all'])).rejects.toThrow(/takes no options/);
      await expect(keysCommand(['revoke', '--id', 'abc'])).rejects.toThrow(/--id is required/);
      await expect(keysCommand(['create', '--role', 'root', '--name', 'x'])).rejects.toThrow(
        /--role must be one of/,
      );
      await expect(keysCommand(['delete'])).rejects.toThrow(/unknown keys action/);
    } finally {
      write.mockRestore();
      err.mockRestore();
      process.env = env;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
