import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScenariosFile } from '../../../models/scenarios.ts';
import {
  type ComputePool,
  type ComputeRequest,
  computePool,
} from '../../../server/compute/pool.ts';
import {
  type ComputeLimits,
  ComputeRefused,
  computeScheduler,
  type Scheduler,
} from '../../../server/compute/scheduler.ts';
import { loadBankInputs } from '../helper.ts';
import { BLOCKING_SEED } from './blocking-worker.ts';

const bank = await loadBankInputs();
const { assumptions, sheets } = bank;
const scenarios: ScenariosFile = { scenarios: [...(bank.scenarios ?? [])] };

/** The bank sample, no Monte Carlo, no sensitivity: 86 400 units (see cost.test.ts). */
const light = (over: Partial<ComputeRequest> = {}): ComputeRequest => ({
  assumptions,
  sheets,
  scenarios,
  draws: 0,
  seed: 1,
  sensitivity: false,
  ...over,
});
/** With 10 000 draws and sensitivity: 15 025 200 units; blocks its thread for good. */
const heavy = (): ComputeRequest => ({
  ...light(),
  draws: 10_000,
  sensitivity: true,
  seed: BLOCKING_SEED,
});

const BLOCKING = new URL('./blocking-worker.ts', import.meta.url);
const LIMITS: ComputeLimits = {
  budget: 20_000_000,
  lightUnits: 100_000,
  queue: 5,
  queuePerKey: 3,
  deadlineMs: 600_000,
};

/** The promise's refusal, or a failure if it resolved. */
async function refusal(p: Promise<unknown>): Promise<ComputeRefused> {
  const err = await p.then(
    () => new Error('was not refused'),
    (e: unknown) => e,
  );
  if (!(err instanceof ComputeRefused)) throw err;
  return err;
}

describe('the compute scheduler', () => {
  let lightPool: ComputePool;
  let heavyPool: ComputePool;
  const open: Scheduler[] = [];
  const make = (limits: Partial<ComputeLimits> = {}, heavyLane = heavyPool) => {
    const s = computeScheduler({
      light: lightPool,
      heavy: heavyLane,
      limits: { ...LIMITS, ...limits },
    });
    open.push(s);
    return s;
  };
  /** Started tasks, and a controller to stop each when the test ends. */
  const stoppers: AbortController[] = [];
  const blocked = (s: Scheduler, owner: string) => {
    const stop = new AbortController();
    stoppers.push(stop);
    const p = s.forecast(heavy(), { owner, signal: stop.signal });
    p.catch(() => {});
    return p;
  };

  beforeEach(() => {
    lightPool = computePool({ threads: 1, filename: BLOCKING });
    heavyPool = computePool({ threads: 2, filename: BLOCKING });
  });
  afterEach(async () => {
    for (const s of stoppers.splice(0)) s.abort();
    open.splice(0);
    await Promise.all([lightPool.close(), heavyPool.close()]);
  });

  it('refuses a request over the budget before anything runs, saying how to stay under it', async () => {
    const s = make({ budget: 5_000_000 });
    const run = vi.spyOn(heavyPool, 'forecast');
    const err = await refusal(s.forecast({ ...light(), draws: 10_000, sensitivity: true }));
    expect(err.reason).toBe('over_budget');
    // (5 000 000 − 86 400 − 658 800) / (3 × 476) = 2 979.5…
    expect(err.message).toContain('ask for at most 2979 draws');
    expect(err.message).toContain('limit 5000000, COSTCAST_COMPUTE_BUDGET');
    expect(run).not.toHaveBeenCalled();
    expect(s.stats().admitted).toBe(0);
  });

  it('budgets a stored forecast with the workbook it will be downloaded as', async () => {
    const s = make();
    const request = { ...light(), draws: 10_000, sensitivity: true };
    // 15 025 200 units as a what-if; stored, + 20 000 000 + 3 000 × 216 = 35 673 200
    expect((await s.forecast(request)).kind).toBe('ok');
    const err = await refusal(s.forecast(request, { stored: true }));
    expect(err.reason).toBe('over_budget');
    expect(err.message).toContain('sensitivity, the workbook: 35673200 units, limit 20000000');
  });

  it('answers a light what-if on its own lane while every heavy thread is held', async () => {
    const s = make();
    const held = [blocked(s, 'a'), blocked(s, 'b'), blocked(s, 'c')];
    await vi.waitFor(() => expect(heavyPool.live()).toBe(2));
    const out = await s.forecast(light(), { owner: 'd' });
    expect(out.kind).toBe('ok');
    // The heavy tasks cannot have finished: their seed blocks their threads for good.
    expect(s.stats()).toMatchObject({ admitted: 3, heavy: 3, light: 0 });
    let settled = 0;
    for (const p of held)
      p.then(
        () => settled++,
        () => settled++,
      );
    await Promise.resolve();
    expect(settled).toBe(0);
  });

  it('bounds each key, then everyone, with a Retry-After of at least a second', async () => {
    const s = make();
    for (let i = 0; i < 3; i++) blocked(s, 'a');
    const mine = await refusal(s.forecast(light(), { owner: 'a' }));
    expect(mine.reason).toBe('busy');
    expect(mine.message).toMatch(
      /this key already has 3 computations under way.*COSTCAST_COMPUTE_QUEUE_PER_KEY/,
    );
    expect(mine.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    blocked(s, 'b');
    blocked(s, 'b');
    const all = await refusal(s.forecast(light(), { owner: 'c' }));
    expect(all.reason).toBe('busy');
    expect(all.message).toMatch(/computing 5 requests.*COSTCAST_COMPUTE_QUEUE/);
    expect(all.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(s.stats()).toMatchObject({ admitted: 5, byOwner: { a: 3, b: 2 } });
  });

  it('stops a computation at its deadline, ending the thread it held, and admits again', async () => {
    const one = computePool({ threads: 1, filename: BLOCKING });
    try {
      const s = make({ deadlineMs: 200 }, one);
      const err = await refusal(s.forecast(heavy(), { owner: 'a' }));
      expect(err.reason).toBe('deadline');
      expect(err.message).toMatch(
        /stopped after 0\.2 s, waiting included \(COSTCAST_COMPUTE_DEADLINE_SECONDS\)/,
      );
      expect(s.stats()).toMatchObject({ admitted: 0, heavy: 0, byOwner: {} });
      // The pool's only thread was blocked for good: this answer means it was ended and replaced.
      const again = make({}, one);
      expect((await again.forecast({ ...light(), draws: 100, sensitivity: true })).kind).toBe('ok');
    } finally {
      await one.close();
    }
  });

  it('stops the computation of a client that went away, queued or running', async () => {
    const one = computePool({ threads: 1, filename: BLOCKING });
    try {
      const s = make({}, one);
      const gone = [new AbortController(), new AbortController()];
      // one runs on the pool's only thread, the other waits in the queue
      const tasks = gone.map((c, i) => s.forecast(heavy(), { owner: `k${i}`, signal: c.signal }));
      await vi.waitFor(() => expect(one.live()).toBe(1));
      for (const c of gone) c.abort(new Error('the client went away'));
      for (const t of tasks) expect((await refusal(t)).reason).toBe('cancelled');
      expect(s.stats()).toMatchObject({ admitted: 0, heavy: 0 });
      // The only thread was blocked for good: this answer means it was ended and replaced.
      expect((await s.forecast({ ...light(), draws: 100, sensitivity: true })).kind).toBe('ok');
    } finally {
      await one.close();
    }
  });
});
