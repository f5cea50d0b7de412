import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../server/db/schema.ts';
import { atLeast, generateKey, hashKey } from '../../server/services/keys.ts';
import { bearer, buildTestApp, fixture, type TestApp } from './helper.ts';

interface Ctx {
  sheetId: string;
  otherSheetId: string;
  assumptionsId: string;
  forecastId: string;
  /** A version uploaded by a finance key of its own, so that every finance key but it may review it. */
  reviewSheetId: string;
  /** The forecast's workbook, to upload as assumptions. */
  workbook: Buffer;
}

interface RouteCase {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly url: (c: Ctx) => string;
  /** The weakest role allowed; null for public routes. */
  readonly min: Role | null;
  readonly body?: (c: Ctx) => unknown;
  readonly type?: string;
}

const tinyAssumptions = JSON.parse(fixture('fixtures/tiny/assumptions.json').toString('utf8'));
const tinyPrices = fixture('fixtures/tiny/prices.csv');

/** Every route of the API with the weakest role allowed to call it. */
const ROUTES: readonly RouteCase[] = [
  { method: 'GET', path: '/health', url: () => '/health', min: null },
  {
    method: 'POST',
    path: '/v1/keys',
    url: () => '/v1/keys',
    min: 'admin',
    body: () => ({ name: 'matrix', role: 'viewer' }),
  },
  { method: 'GET', path: '/v1/keys', url: () => '/v1/keys', min: 'admin' },
  { method: 'DELETE', path: '/v1/keys/{id}', url: () => `/v1/keys/${randomUUID()}`, min: 'admin' },
  {
    method: 'POST',
    path: '/v1/price-sheets',
    url: () => '/v1/price-sheets?quarter=2026-Q4',
    min: 'finance',
    body: () => tinyPrices,
    type: 'text/csv',
  },
  { method: 'GET', path: '/v1/price-sheets', url: () => '/v1/price-sheets', min: 'analyst' },
  {
    method: 'GET',
    path: '/v1/price-sheets/diff',
    url: (c) => `/v1/price-sheets/diff?from=${c.sheetId}&to=${c.otherSheetId}`,
    min: 'analyst',
  },
  {
    method: 'GET',
    path: '/v1/price-sheets/{id}',
    url: (c) => `/v1/price-sheets/${c.sheetId}`,
    min: 'analyst',
  },
  {
    method: 'POST',
    path: '/v1/price-sheets/{id}/review',
    url: (c) => `/v1/price-sheets/${c.reviewSheetId}/review`,
    min: 'finance',
    body: () => ({ decision: 'accepted', note: 'checked against the contract' }),
  },
  {
    method: 'GET',
    path: '/v1/price-sheets/{id}/reviews',
    url: (c) => `/v1/price-sheets/${c.reviewSheetId}/reviews`,
    min: 'viewer',
  },
  {
    method: 'POST',
    path: '/v1/assumptions',
    url: () => '/v1/assumptions',
    min: 'analyst',
    body: () => tinyAssumptions,
  },
  {
    method: 'POST',
    path: '/v1/assumptions',
    url: () => '/v1/assumptions',
    min: 'analyst',
    body: (c) => c.workbook,
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  { method: 'GET', path: '/v1/assumptions', url: () => '/v1/assumptions', min: 'analyst' },
  {
    method: 'GET',
    path: '/v1/assumptions/{id}',
    url: (c) => `/v1/assumptions/${c.assumptionsId}`,
    min: 'analyst',
  },
  {
    method: 'POST',
    path: '/v1/forecasts',
    url: () => '/v1/forecasts',
    min: 'analyst',
    body: (c) => ({ assumptionsId: c.assumptionsId, priceSheetIds: [c.sheetId], draws: 0 }),
  },
  { method: 'GET', path: '/v1/forecasts', url: () => '/v1/forecasts', min: 'viewer' },
  {
    method: 'GET',
    path: '/v1/forecasts/{id}',
    url: (c) => `/v1/forecasts/${c.forecastId}`,
    min: 'viewer',
  },
  {
    method: 'GET',
    path: '/v1/forecasts/{id}/workbook',
    url: (c) => `/v1/forecasts/${c.forecastId}/workbook`,
    min: 'viewer',
  },
  {
    method: 'GET',
    path: '/v1/forecasts/{id}/variance',
    url: (c) => `/v1/forecasts/${c.forecastId}/variance?against=${c.forecastId}`,
    min: 'viewer',
  },
  {
    method: 'POST',
    path: '/v1/forecasts/{id}/submit',
    url: (c) => `/v1/forecasts/${c.forecastId}/submit`,
    min: 'analyst',
  },
  {
    method: 'POST',
    path: '/v1/forecasts/{id}/approve',
    url: (c) => `/v1/forecasts/${c.forecastId}/approve`,
    min: 'finance',
  },
  {
    method: 'POST',
    path: '/v1/forecasts/{id}/reject',
    url: (c) => `/v1/forecasts/${c.forecastId}/reject`,
    min: 'finance',
  },
  {
    method: 'GET',
    path: '/v1/forecasts/{id}/history',
    url: (c) => `/v1/forecasts/${c.forecastId}/history`,
    min: 'viewer',
  },
  {
    method: 'POST',
    path: '/v1/forecasts/{id}/revise',
    url: (c) => `/v1/forecasts/${c.forecastId}/revise`,
    min: 'analyst',
  },
  {
    method: 'GET',
    path: '/v1/quarters/{quarter}',
    url: () => '/v1/quarters/2026-Q3',
    min: 'viewer',
  },
  {
    method: 'GET',
    path: '/v1/quarters/{quarter}/close',
    url: () => '/v1/quarters/2026-Q3/close',
    min: 'viewer',
  },
  {
    method: 'POST',
    path: '/v1/what-if',
    url: () => '/v1/what-if',
    min: 'analyst',
    body: (c) => ({ assumptionsId: c.assumptionsId, priceSheetIds: [c.sheetId] }),
  },
  // The editor's SKU catalogue: the prices a forecast "as of" the quarter would use.
  { method: 'GET', path: '/v1/prices', url: () => '/v1/prices?asOf=2026-Q3', min: 'analyst' },
  { method: 'GET', path: '/v1/audit', url: () => '/v1/audit', min: 'finance' },
  // The web interface's sign-in: the key in the Authorization header opens a browser session.
  { method: 'POST', path: '/v1/session', url: () => '/v1/session', min: 'viewer' },
  { method: 'GET', path: '/v1/session', url: () => '/v1/session', min: 'viewer' },
  { method: 'DELETE', path: '/v1/session', url: () => '/v1/session', min: 'viewer' },
];

let t: TestApp;
const ctx = {} as Ctx;

beforeAll(async () => {
  t = await buildTestApp();
  const upload = async (quarter: string, body: Buffer, key = t.keys.finance) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets?quarter=${quarter}`,
      headers: { ...bearer(key), 'content-type': 'text/csv' },
      payload: body,
    });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };
  ctx.sheetId = await upload('2026-Q3', tinyPrices);
  ctx.otherSheetId = await upload(
    '2026-Q2',
    Buffer.from(tinyPrices.toString('utf8').replace('10,USD', '11,USD')),
  );
  const uploader = await t.app.keys.create('sheet uploader', 'finance', null);
  ctx.reviewSheetId = await upload(
    '2026-Q1',
    Buffer.from(tinyPrices.toString('utf8').replace('10,USD', '12,USD')),
    uploader.key,
  );
  const a = await t.app.inject({
    method: 'POST',
    url: '/v1/assumptions',
    headers: bearer(t.keys.analyst),
    payload: tinyAssumptions,
  });
  expect(a.statusCode).toBe(201);
  ctx.assumptionsId = a.json().id;
  const f = await t.app.inject({
    method: 'POST',
    url: '/v1/forecasts',
    headers: bearer(t.keys.analyst),
    payload: { assumptionsId: ctx.assumptionsId, priceSheetIds: [ctx.sheetId], draws: 0 },
  });
  expect(f.statusCode).toBe(201);
  ctx.forecastId = f.json().id;
  const w = await t.app.inject({
    method: 'GET',
    url: `/v1/forecasts/${ctx.forecastId}/workbook`,
    headers: bearer(t.keys.viewer),
  });
  expect(w.statusCode).toBe(200);
  ctx.workbook = w.rawPayload;
});

afterAll(() => t?.close());

function call(route: RouteCase, headers: Record<string, string>) {
  const body = route.body?.(ctx);
  return t.app.inject({
    method: route.method,
    url: route.url(ctx),
    headers: {
      ...headers,
      ...(body === undefined ? {} : { 'content-type': route.type ?? 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
}

describe('the route table', () => {
  it('lists every route of the OpenAPI document, and only those', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`))).toEqual(new Set(documented));
  });
});

const protectedRoutes = ROUTES.filter((r) => r.min !== null);

describe('the 400s of the edge checks, answered and documented on every route', () => {
  let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  beforeAll(async () => {
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  const responses = (route: RouteCase) =>
    Object.keys(doc.paths[route.path]![route.method.toLowerCase()]!.responses);

  it.each(protectedRoutes)(
    '$method $path: two Authorization headers are a 400 its OpenAPI entry lists',
    async (route) => {
      expect(responses(route)).toEqual(expect.arrayContaining(['400', '401', '403', '429']));
      const r = await call(route, {
        // light-my-request sends each value of an array as a header line of its own.
        authorization: [`Bearer ${t.keys.admin}`, `Bearer ${t.keys.admin}`] as unknown as string,
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toBe(
        'the request has 2 Authorization headers, which is ambiguous; send one',
      );
    },
  );

  it.each(ROUTES)(
    '$method $path: a control character in Accept-Language is a 400 its OpenAPI entry lists',
    async (route) => {
      expect(responses(route)).toContain('400');
      const r = await call(route, { ...bearer(t.keys.admin), 'accept-language': 'fr\u0085' });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.issues).toEqual([
        expect.objectContaining({ field: 'Accept-Language' }),
      ]);
    },
  );
});

describe.each(protectedRoutes)('$method $path (needs $min)', (route) => {
  it('answers 401 without an Authorization header', async () => {
    const r = await call(route, {});
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({
      error: { code: 'unauthorized', message: expect.stringMatching(/API key is required/) },
    });
  });

  it('answers 401 with an unknown key', async () => {
    const r = await call(route, bearer(generateKey()));
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('unauthorized');
  });

  it('answers 401 with a header that is not a bearer key', async () => {
    const r = await call(route, {
      authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('unauthorized');
  });

  it.each(ROLES)('with a %s key: 403 below the role, otherwise let through', async (role) => {
    const r = await call(route, bearer(t.keys[role]));
    if (atLeast(role, route.min!)) {
      expect(r.statusCode, r.body).not.toBe(401);
      expect(r.statusCode, r.body).not.toBe(403);
      expect(r.statusCode, r.body).toBeLessThan(500 + (route.path.endsWith('/workbook') ? 2 : 0));
    } else {
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual({
        error: { code: 'forbidden', message: expect.stringContaining(route.min!) },
      });
    }
  });
});

describe('GET /health', () => {
  it('needs no key', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite', reachable: true } });
  });
});

describe('API keys', () => {
  it('are stored as sha256 hashes, never in clear', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(t.keys.admin),
      payload: { name: 'ci robot', role: 'analyst' },
    });
    expect(r.statusCode).toBe(201);
    const { key, id } = r.json();
    expect(key).toMatch(/^cc_[A-Za-z0-9_-]{43}$/);
    const rows = await t.store.db.selectFrom('api_keys').selectAll().where('id', '=', id).execute();
    expect(rows[0]!.key_hash).toBe(hashKey(key));
    expect(JSON.stringify(rows)).not.toContain(key);
    const list = await t.app.inject({
      method: 'GET',
      url: '/v1/keys',
      headers: bearer(t.keys.admin),
    });
    expect(list.body).not.toContain(key);
    expect(list.json().items.find((k: { id: string }) => k.id === id)).toMatchObject({
      name: 'ci robot',
      role: 'analyst',
      revokedAt: null,
      lastUsedAt: null,
    });
    // Once used, the list says when (to within a minute; exact times: bad-auth.test.ts).
    const before = Date.now();
    await t.app.inject({ method: 'GET', url: '/v1/forecasts', headers: bearer(key) });
    const after = Date.now();
    const used = (
      await t.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(t.keys.admin) })
    )
      .json()
      .items.find((k: { id: string }) => k.id === id).lastUsedAt;
    expect(Date.parse(used)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(used)).toBeLessThanOrEqual(after);
  });

  it('a new key works at once, and a revoked key is refused', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(t.keys.admin),
      payload: { name: 'temp', role: 'viewer' },
    });
    const { key, id } = created.json();
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/forecasts', headers: bearer(key) }))
        .statusCode,
    ).toBe(200);
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/keys/${id}`,
      headers: bearer(t.keys.admin),
    });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/forecasts', headers: bearer(key) });
    expect(after.statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/v1/keys/${id}`,
      headers: bearer(t.keys.admin),
    });
    expect(again.statusCode).toBe(404);
  });

  it('refuses to revoke the last active admin key', async () => {
    const keys = (
      await t.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(t.keys.admin) })
    ).json().items as { id: string; role: string; revokedAt: string | null; name: string }[];
    const admins = keys.filter((k) => k.role === 'admin' && k.revokedAt === null);
    expect(admins).toHaveLength(1);
    const r = await t.app.inject({
      method: 'DELETE',
      url: `/v1/keys/${admins[0]!.id}`,
      headers: bearer(t.keys.admin),
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('conflict');
  });

  it('rejects an unknown role', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(t.keys.admin),
      payload: { name: 'x', role: 'root' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.issues[0]).toMatchObject({ field: 'role' });
  });
});

describe('bootstrap admin key', () => {
  it('generates one admin key on first start, and none afterwards', async () => {
    const fresh = await buildTestApp();
    try {
      await fresh.store.db.deleteFrom('api_keys').execute();
      const first = await fresh.app.keys.bootstrap(undefined);
      expect(first?.role).toBe('admin');
      expect(first?.key).toMatch(/^cc_/);
      expect(await fresh.app.keys.bootstrap(undefined)).toBeNull();
      const r = await fresh.app.inject({
        method: 'GET',
        url: '/v1/keys',
        headers: bearer(first!.key),
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().items).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('uses COSTCAST_ADMIN_KEY when given, once however often it starts', async () => {
    const fresh = await buildTestApp();
    try {
      const key = 'my-own-bootstrap-admin-key-0123456789';
      expect(await fresh.app.keys.bootstrap(key)).toBeNull();
      expect(await fresh.app.keys.bootstrap(key)).toBeNull();
      const rows = await fresh.store.db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', hashKey(key))
        .execute();
      expect(rows).toHaveLength(1);
      const r = await fresh.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(key) });
      expect(r.statusCode).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
