import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ComputePool, computePool } from '../../../server/compute/pool.ts';
import type { ComputeConfig } from '../../../server/config.ts';
import { buildApp } from '../../../server/http/app.ts';
import {
  bearer,
  buildTestApp,
  fixture,
  type TestApp,
  testConfig,
  uploadBankSheets,
} from '../helper.ts';
import { BLOCKING_SEED } from './blocking-worker.ts';

const json = (path: string) => JSON.parse(fixture(path).toString('utf8'));
const assumptions = json('fixtures/bank-ma/assumptions.json');
const scenarios = json('fixtures/bank-ma/scenarios.json');
const BLOCKING = new URL('./blocking-worker.ts', import.meta.url);

/** 1 000 workloads × 40 quarters × 20 scenarios, 100 000 draws (issue 13's monster). */
function monster(priceSheetIds: string[]) {
  const workloads = Array.from({ length: 1000 }, (_, i) => ({
    ...assumptions.workloads[i % assumptions.workloads.length],
    id: `w${i}`,
    name: `Workload ${i}`,
    growthPerQuarter: '0.01',
  }));
  const twenty = Array.from({ length: 20 }, (_, i) => ({
    ...scenarios.scenarios[i % scenarios.scenarios.length],
    id: `s${i}`,
    name: `Scenario ${i}`,
  }));
  return {
    assumptions: { ...assumptions, horizonQuarters: 40, workloads },
    scenarios: { scenarios: twenty },
    priceSheetIds,
    draws: 100_000,
    sensitivity: true,
  };
}

const LIMITS: ComputeConfig = {
  budget: 2_000_000_000,
  lightUnits: 1_000_000,
  lightThreads: 1,
  queue: 4,
  queuePerKey: 2,
  deadlineSeconds: 600,
};

describe('compute limits over HTTP', () => {
  let t: TestApp;
  let heavyPool: ComputePool;
  let lightPool: ComputePool;
  let app: FastifyInstance;
  let base: string;
  let sheetIds: string[];

  beforeAll(async () => {
    t = await buildTestApp();
    heavyPool = computePool({ threads: 1, filename: BLOCKING });
    lightPool = computePool({ threads: 1, filename: BLOCKING });
    app = await buildApp({
      config: testConfig({ compute: LIMITS }),
      store: t.store,
      compute: heavyPool,
      lightCompute: lightPool,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    sheetIds = await uploadBankSheets(t.app, t.keys.finance);
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([heavyPool?.close(), lightPool?.close()]);
    await t?.close();
  });

  const post = (path: string, key: string, body: object, extra: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...extra,
    });
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body, read as the test expects it
  const read = async (r: Response): Promise<any> => r.json();
  const health = async () => (await read(await fetch(`${base}/health`))).compute;
  /** The bank sample with 5 000 draws and sensitivity: 7 885 200 units, the heavy lane. */
  const heavy = (seed: number) => ({
    assumptions,
    scenarios,
    priceSheetIds: sheetIds,
    draws: 5000,
    sensitivity: true,
    seed,
  });
  /** Requests whose computation blocks; aborting one closes its connection. */
  const held: AbortController[] = [];
  const hold = (key: string) => {
    const c = new AbortController();
    held.push(c);
    post('/v1/what-if', key, heavy(BLOCKING_SEED), { signal: c.signal }).catch(() => {});
  };

  it('refuses the monster of issue 13 before computing, saying the limit and how to stay under it, in English and French; nothing is stored', async () => {
    const body = monster(sheetIds);
    const r = await post('/v1/what-if', t.keys.analyst, body);
    expect(r.status).toBe(422);
    const e = (await read(r)).error;
    expect(e.code).toBe('over_budget');
    // worked out in tests/server/compute/cost.test.ts
    expect(e.message).toBe(
      'this request needs about 50 times the compute one request may use (20 scenarios × 1000 workloads × 40 quarters, 100000 Monte Carlo draws, sensitivity: 99680000000 units, limit 2000000000, COSTCAST_COMPUTE_BUDGET); to stay under it, ask for fewer scenarios, workloads or quarters',
    );
    const fr = await post('/v1/forecasts', t.keys.finance, body, {
      headers: {
        ...bearer(t.keys.finance),
        'content-type': 'application/json',
        'accept-language': 'fr',
      },
    });
    expect(fr.status).toBe(422);
    expect((await read(fr)).error.message).toBe(
      // A stored forecast is budgeted with its workbook: + 20 000 000 + 3 000 × 800 000.
      'cette requête demande environ 51 fois le calcul permis à une requête (20 scénarios × 1000 charges × 40 trimestres, 100000 tirages Monte Carlo, sensibilité, le classeur : 102100000000 unités, limite 2000000000, COSTCAST_COMPUTE_BUDGET) ; pour rester en dessous, demandez moins de scénarios, de charges ou de trimestres',
    );
    const list = await t.app.inject({ url: '/v1/forecasts', headers: bearer(t.keys.viewer) });
    expect(list.json().total).toBe(0);
    expect(await health()).toEqual({ admitted: 0, light: 0, heavy: 0 });
  });

  it('answers a light what-if while the heavy thread is held, bounds each key and everyone with Retry-After, and stops abandoned work', async () => {
    hold(t.keys.analyst);
    hold(t.keys.analyst);
    await vi.waitFor(async () =>
      expect(await health()).toEqual({ admitted: 2, light: 0, heavy: 2 }),
    );

    // The bank what-if without Monte Carlo (86 400 units) runs on the light lane.
    const quick = await post('/v1/what-if', t.keys.finance, {
      assumptions,
      scenarios,
      priceSheetIds: sheetIds,
    });
    expect(quick.status).toBe(200);
    expect((await read(quick)).scenarios).toHaveLength(3);
    expect(await health()).toEqual({ admitted: 2, light: 0, heavy: 2 });

    const mine = await post('/v1/what-if', t.keys.analyst, heavy(1));
    expect(mine.status).toBe(429);
    expect(Number(mine.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await read(mine)).error).toEqual({
      code: 'busy',
      message:
        'this key already has 2 computations under way, the most one key may have (COSTCAST_COMPUTE_QUEUE_PER_KEY); wait for one to finish',
    });

    hold(t.keys.finance);
    hold(t.keys.finance);
    await vi.waitFor(async () => expect((await health()).admitted).toBe(4));
    const all = await post('/v1/what-if', t.keys.admin, heavy(1));
    expect(all.status).toBe(429);
    expect(Number(all.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await read(all)).error.code).toBe('busy');

    // The clients go away: their computations are stopped, queued or running.
    for (const c of held.splice(0)) c.abort();
    await vi.waitFor(async () =>
      expect(await health()).toEqual({ admitted: 0, light: 0, heavy: 0 }),
    );
    // The heavy lane's only thread was blocked for good: this answer means it was replaced.
    const after = await post('/v1/what-if', t.keys.analyst, heavy(1));
    expect(after.status).toBe(200);
  });

  it('stops a computation at its deadline with a 503 that says so', async () => {
    const short = await buildApp({
      config: testConfig({ compute: { ...LIMITS, deadlineSeconds: 1 } }),
      store: t.store,
      compute: heavyPool,
      lightCompute: lightPool,
    });
    try {
      const r = await short.inject({
        method: 'POST',
        url: '/v1/what-if',
        headers: { ...bearer(t.keys.analyst), 'accept-language': 'fr' },
        payload: heavy(BLOCKING_SEED),
      });
      expect(r.statusCode).toBe(503);
      expect(r.json().error.code).toBe('deadline_exceeded');
      expect(r.json().error.message).toMatch(
        /^le calcul a été arrêté après 1 s, attente comprise \(COSTCAST_COMPUTE_DEADLINE_SECONDS\)/,
      );
      expect((await short.inject({ url: '/health' })).json().compute.admitted).toBe(0);
    } finally {
      await short.close();
    }
  });
});
