import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { forecast } from '../../../models/forecast.ts';
import type { ScenariosFile } from '../../../models/scenarios.ts';
import { loadInputs } from '../../../server/cli/load-inputs.ts';
import { type ModelCache, modelCache } from '../../../server/compute/models.ts';
import {
  type ComputePool,
  type ComputeRequest,
  computePool,
} from '../../../server/compute/pool.ts';
import { handle } from '../../../server/compute/worker.ts';
import { repoPath } from '../helper.ts';

const dir = repoPath('fixtures/bank-ma/');
const inputs = await loadInputs({
  assumptions: `${dir}assumptions.json`,
  scenarios: `${dir}scenarios.json`,
  prices: readdirSync(`${dir}prices`).map((f) => `${dir}prices/${f}`),
});
if (!inputs.ok) throw new Error(JSON.stringify(inputs.issues));
const { assumptions, sheets } = inputs.value;
const scenarios: ScenariosFile = { scenarios: [...(inputs.value.scenarios ?? [])] };

const request = (over: Partial<ComputeRequest> = {}): ComputeRequest => ({
  assumptions,
  sheets,
  scenarios,
  draws: 0,
  seed: 1,
  sensitivity: false,
  ...over,
});

/** What the engine itself gives for a request, as JSON text. */
function engineJson(r: ComputeRequest, s: ScenariosFile = scenarios): string {
  const f = forecast(r.assumptions, sheets, {
    draws: r.draws,
    seed: r.seed,
    sensitivity: r.sensitivity,
    scenarios: s.scenarios,
  });
  if (!f.ok) throw new Error(JSON.stringify(f.issues));
  return JSON.stringify(f.value.json);
}

const text = (out: Awaited<ReturnType<ComputePool['forecast']>>) => {
  if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
  return new TextDecoder().decode(out.json);
};

describe('the compute pool', () => {
  let threads: ComputePool;
  let inProcess: ComputePool;
  beforeAll(() => {
    threads = computePool({ threads: 2 });
    inProcess = computePool({ threads: 0 });
  });
  afterAll(async () => {
    await threads?.close();
    await inProcess?.close();
  });

  it('answers byte for byte what the engine computes in process, whichever worker runs it', async () => {
    const variants = [
      request(),
      request({ assumptionsKey: 'assumption-set:bank' }),
      request({ sensitivity: true }),
      request({ draws: 200, seed: 7 }),
      request({ scenarios: null }),
    ];
    for (const r of variants) {
      const expected = engineJson(r.scenarios ? r : { ...r, scenarios: null });
      // more tasks than workers, at once: each worker gets some, first without its sheets
      const answers = await Promise.all(Array.from({ length: 6 }, () => threads.forecast(r)));
      for (const a of answers) expect(text(a)).toBe(text(await inProcess.forecast(r)));
      if (r.scenarios) expect(text(answers[0]!)).toBe(expected);
    }
  });

  it('gives input issues back as values, as in process', async () => {
    const bad = structuredClone(assumptions);
    (bad.workloads[0] as { skuId: string }).skuId = 'gpt-9-input';
    const r = request({ assumptions: bad });
    const out = await threads.forecast(r);
    expect(out.kind).toBe('invalid');
    expect(out).toEqual(await inProcess.forecast(r));
    expect(JSON.stringify(out)).toContain('gpt-9-input');
  });

  it('sends only plain data to the workers: decimal strings, no decimal.js objects', () => {
    expect(structuredClone(request())).toEqual(request());
    const prices = request().sheets.flatMap((s) => s.rows.map((row) => row.ListUnitPrice));
    expect(prices.every((p) => typeof p === 'string')).toBe(true);
  });

  it('lets a running task finish when it closes', async () => {
    const pool = computePool({ threads: 1 });
    const running = pool.forecast(request({ draws: 500 }));
    await new Promise((r) => setTimeout(r, 5));
    await pool.close();
    expect(text(await running)).toBe(engineJson(request({ draws: 500 })));
  });

  it('with an idle time, starts threads only for tasks and stops them when idle; the next task sends its sheets again', async () => {
    const pool = computePool({ threads: 2, idleMs: 300 });
    try {
      expect(pool.live()).toBe(0);
      const stored = request({ assumptionsKey: 'assumption-set:bank' });
      const first = await Promise.all([pool.forecast(stored), pool.forecast(stored)]);
      expect(pool.live()).toBeGreaterThan(0);
      await vi.waitFor(() => expect(pool.live()).toBe(0), { timeout: 120_000, interval: 50 });
      // the pool thinks it sent the sheets and the assumption set; the new thread has neither
      const again = await pool.forecast(stored);
      for (const a of [...first, again]) expect(text(a)).toBe(engineJson(stored));
    } finally {
      await pool.close();
    }
  });
});

describe('a compute worker', () => {
  it('asks for the sheets it does not hold, keeps those it is sent, and computes', async () => {
    const r = request();
    const keysOnly = { ...r, sheets: r.sheets.map((_, i) => ({ key: `test-${i}` })) };
    expect(await handle(keysOnly)).toEqual({
      kind: 'missing',
      keys: keysOnly.sheets.map((s) => s.key),
    });
    const full = { ...r, sheets: r.sheets.map((sheet, i) => ({ key: `test-${i}`, sheet })) };
    const first = await handle(full);
    expect(first.kind).toBe('ok');
    expect(await handle(keysOnly)).toEqual(first);
  });

  it('asks for a stored assumption set it does not hold, keeps it, and computes the same', async () => {
    const r = request();
    const sheetsSent = r.sheets.map((sheet, i) => ({ key: `stored-${i}`, sheet }));
    const inline = await handle({ ...r, sheets: sheetsSent });
    const { assumptions: _, ...keyOnly } = { ...r, assumptionsKey: 'assumption-set:worker-test' };
    expect(await handle({ ...keyOnly, sheets: sheetsSent })).toEqual({
      kind: 'missing',
      keys: ['assumption-set:worker-test'],
    });
    expect(
      await handle({ ...r, assumptionsKey: 'assumption-set:worker-test', sheets: sheetsSent }),
    ).toEqual(inline);
    // from now on the key alone will do, for this scenario and for others
    expect(await handle({ ...keyOnly, sheets: sheetsSent })).toEqual(inline);
    const delayedOnly: ScenariosFile = { scenarios: [scenarios.scenarios[1]!] };
    expect(
      new TextDecoder().decode(
        (
          (await handle({ ...keyOnly, scenarios: delayedOnly, sheets: sheetsSent })) as {
            json: Uint8Array;
          }
        ).json,
      ),
    ).toBe(engineJson(request({ scenarios: delayedOnly }), delayedOnly));
  });
});

describe('the models a worker keeps', () => {
  const given = sheets.map((sheet, i) => ({ key: `m-${i}`, sheet }));
  const built = (r: ReturnType<ModelCache['model']>) => {
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  };

  it('builds a model once for the same keys, and every time for inline assumptions', () => {
    const cache = modelCache(2);
    const first = built(cache.model('a', assumptions, given));
    expect(built(cache.model('a', assumptions, given))).toBe(first);
    expect(built(cache.model(undefined, assumptions, given))).not.toBe(first);
    expect(built(cache.model('b', assumptions, given))).not.toBe(first);
    // a different sheet key is another model
    expect(built(cache.model('a', assumptions, given.slice(1).concat(given[0]!)))).not.toBe(first);
  });

  it('drops the least recently used model beyond its limit, and those of a forgotten sheet', () => {
    const cache = modelCache(2);
    const a = built(cache.model('a', assumptions, given));
    const b = built(cache.model('b', assumptions, given));
    expect(built(cache.model('a', assumptions, given))).toBe(a);
    built(cache.model('c', assumptions, given)); // drops b, the least recently used
    expect(built(cache.model('a', assumptions, given))).toBe(a);
    expect(built(cache.model('b', assumptions, given))).not.toBe(b);
    cache.forgetSheet('m-0');
    expect(built(cache.model('a', assumptions, given))).not.toBe(a);
  });

  it('keeps no failed build', () => {
    const cache = modelCache();
    const bad = structuredClone(assumptions);
    (bad.workloads[0] as { skuId: string }).skuId = 'gpt-9-input';
    expect(cache.model('bad', bad, given).ok).toBe(false);
    expect(built(cache.model('bad', assumptions, given)).workloads).toHaveLength(
      assumptions.workloads.length,
    );
  });
});

describe('the pool and price sheets', () => {
  it('sends a sheet object with different rows under a key of its own', async () => {
    const pool = computePool({ threads: 1 });
    try {
      const r = request();
      const full = await pool.forecast(r);
      // the same versions, one of them without its rows for the first workload's SKU: a
      // different object, so a different key, whatever its id says
      const sku = (assumptions.workloads[0] as { skuId: string }).skuId;
      const trimmed = sheets.map((s) => ({
        ...s,
        rows: s.rows.filter((row) => row.SkuId !== sku),
      }));
      const out = await pool.forecast({ ...r, sheets: trimmed });
      expect(out.kind).toBe('invalid');
      expect(JSON.stringify(out)).toContain(sku);
      expect(await pool.forecast(r)).toEqual(full);
    } finally {
      await pool.close();
    }
  });
});

describe('a faulty compute worker', () => {
  let pool: ComputePool;
  beforeAll(() => {
    pool = computePool({ threads: 1, filename: new URL('./faulty-worker.ts', import.meta.url) });
  });
  afterAll(() => pool?.close());

  it('fails only the task that threw, with its error', async () => {
    await expect(pool.forecast(request({ seed: 13 }))).rejects.toThrow('a bug inside the engine');
    expect((await pool.forecast(request())).kind).toBe('ok');
  });

  it('fails only the task whose worker died, and the pool goes on with a new worker', async () => {
    await expect(pool.forecast(request({ seed: 14 }))).rejects.toThrow();
    const after = await Promise.all([pool.forecast(request()), pool.forecast(request())]);
    expect(after.map((a) => a.kind)).toEqual(['ok', 'ok']);
  });
});
