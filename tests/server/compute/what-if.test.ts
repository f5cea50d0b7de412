import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumptionsSchema } from '../../../models/assumptions.ts';
import { forecast } from '../../../models/forecast.ts';
import { scenariosFileSchema } from '../../../models/scenarios.ts';
import { type ComputePool, computePool } from '../../../server/compute/pool.ts';
import { buildApp } from '../../../server/http/app.ts';
import { renderWorkbook } from '../../../templates/index.ts';
import {
  bearer,
  buildTestApp,
  fixture,
  type TestApp,
  testConfig,
  uploadBankSheets,
} from '../helper.ts';

const json = (path: string) => JSON.parse(fixture(path).toString('utf8'));
const assumptions = json('fixtures/bank-ma/assumptions.json');
const scenarios = json('fixtures/bank-ma/scenarios.json');
/** The workloads whose SKUs are all in the newest sheet of their providers. */
const withoutGoogle = {
  ...assumptions,
  workloads: assumptions.workloads.filter(
    (w: { provider: string; fallback?: { provider: string } }) =>
      w.provider !== 'Google Cloud' && w.fallback?.provider !== 'Google Cloud',
  ),
};

describe('what-ifs computed by worker threads', () => {
  let t: TestApp;
  let inProcess: FastifyInstance;
  let faultyPool: ComputePool;
  let faulty: FastifyInstance;
  let sheetIds: string[];

  beforeAll(async () => {
    t = await buildTestApp({ config: { computeThreads: 2 } });
    // the same database, computing on the main thread; and one with a faulty worker
    inProcess = await buildApp({ config: testConfig({ computeThreads: 0 }), store: t.store });
    faultyPool = computePool({
      threads: 1,
      filename: new URL('./faulty-worker.ts', import.meta.url),
    });
    faulty = await buildApp({ config: testConfig(), store: t.store, compute: faultyPool });
    sheetIds = await uploadBankSheets(t.app, t.keys.finance);
  });
  afterAll(async () => {
    await faulty?.close();
    await faultyPool?.close();
    await inProcess?.close();
    await t?.close();
  });

  const whatIf = (app: FastifyInstance, body: object) =>
    app.inject({
      method: 'POST',
      url: '/v1/what-if',
      headers: bearer(t.keys.analyst),
      payload: body,
    });

  it('answers byte for byte what the main thread answers', async () => {
    for (const body of [
      { assumptions, priceSheetIds: sheetIds, scenarios },
      { assumptions, priceSheetIds: sheetIds, sensitivity: true, draws: 100 },
      { assumptions: withoutGoogle, asOf: '2026-Q3' },
    ]) {
      const [a, b, c] = await Promise.all([
        whatIf(t.app, body),
        whatIf(t.app, body),
        whatIf(inProcess, body),
      ]);
      expect(a.statusCode, a.body).toBe(200);
      expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(a.headers['content-length']).toBe(String(a.rawPayload.length));
      expect(a.rawPayload.equals(c.rawPayload)).toBe(true);
      expect(b.rawPayload.equals(c.rawPayload)).toBe(true);
    }
  });

  it('answers 422 with the engine issues when the inputs do not fit together', async () => {
    const bad = structuredClone(assumptions);
    bad.workloads[0].skuId = 'gpt-9-input';
    const [a, b] = await Promise.all([
      whatIf(t.app, { assumptions: bad, priceSheetIds: sheetIds }),
      whatIf(inProcess, { assumptions: bad, priceSheetIds: sheetIds }),
    ]);
    expect(a.statusCode).toBe(422);
    expect(a.json().error.code).toBe('invalid_forecast_input');
    expect(a.json().error.issues[0].message).toContain('gpt-9-input');
    expect(a.body).toBe(b.body);
  });

  it('answers 500 without details when the engine throws inside a worker', async () => {
    const r = await whatIf(faulty, { assumptions, priceSheetIds: sheetIds, seed: 13 });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } });
  });

  it('stays up when a worker dies: that request fails, the next ones are answered', async () => {
    const died = await whatIf(faulty, { assumptions, priceSheetIds: sheetIds, seed: 14 });
    expect(died.statusCode).toBe(500);
    const after = await Promise.all([
      whatIf(faulty, { assumptions, priceSheetIds: sheetIds }),
      whatIf(faulty, { assumptions, priceSheetIds: sheetIds }),
    ]);
    expect(after.map((r) => r.statusCode)).toEqual([200, 200]);
    expect((await faulty.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('stores a forecast computed by a worker as the main thread would', async () => {
    const body = { assumptions, priceSheetIds: sheetIds, scenarios, draws: 50 };
    const [a, b] = await Promise.all([
      t.app.inject({
        method: 'POST',
        url: '/v1/forecasts',
        headers: bearer(t.keys.analyst),
        payload: body,
      }),
      inProcess.inject({
        method: 'POST',
        url: '/v1/forecasts',
        headers: bearer(t.keys.analyst),
        payload: body,
      }),
    ]);
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().forecast).toEqual(b.json().forecast);
    expect(a.json().inputHash).toBe(b.json().inputHash);
  });

  it('renders a workbook in a worker, the same bytes as rendering it in this thread', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/forecasts',
      headers: bearer(t.keys.analyst),
      payload: { assumptions, priceSheetIds: sheetIds, scenarios, draws: 50 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const f = created.json();
    const sheets = await t.app.priceSheets.load(
      sheetIds.map((sheetId) => ({ sheetId, providers: null })),
    );
    const engine = forecast(assumptionsSchema.parse(assumptions), sheets, {
      draws: 50,
      seed: f.seed,
      asOfQuarter: f.quarter,
      scenarios: scenariosFileSchema.parse(scenarios).scenarios,
    });
    if (!engine.ok) throw new Error(JSON.stringify(engine.issues));
    for (const locale of ['en', 'fr'] as const) {
      const url = `/v1/forecasts/${f.id}/workbook?locale=${locale}`;
      const [pooled, main] = await Promise.all([
        t.app.inject({ method: 'GET', url, headers: bearer(t.keys.viewer) }),
        inProcess.inject({ method: 'GET', url, headers: bearer(t.keys.viewer) }),
      ]);
      expect(pooled.statusCode).toBe(200);
      expect(pooled.headers['content-length']).toBe(String(pooled.rawPayload.length));
      const here = await renderWorkbook(engine.value, {
        locale,
        generatedAt: new Date(f.generatedAt),
        engineVersion: f.engineVersion,
        inputHash: f.inputHash,
        asOfQuarter: f.quarter,
        review: {
          status: f.status,
          createdBy: f.createdBy,
          createdAt: f.createdAt,
          reviewedBy: f.reviewedBy,
          reviewedAt: f.reviewedAt,
          note: f.reviewNote,
        },
        // The review of each price sheet, as the forecast pinned it.
        sourceReviews: f.sourceReviews,
      });
      expect(pooled.rawPayload.equals(here)).toBe(true);
      expect(main.rawPayload.equals(here)).toBe(true);
    }
  });
});
