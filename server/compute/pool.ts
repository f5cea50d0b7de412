import { Piscina } from 'piscina';
import type { Assumptions } from '../../models/assumptions.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { modelCache } from './models.ts';
import {
  computeTask,
  type ForecastOutcome,
  type ForecastTask,
  type VarianceAgainst,
} from './task.ts';
import { workerExecArgv } from './worker-argv.ts';

/**
 * A task as the services build it: the assumptions (with the key of their stored set, when
 * they come from one) and the price sheets themselves, in order.
 */
export type ComputeRequest = Omit<ForecastTask, 'sheets' | 'assumptions' | 'against'> & {
  readonly assumptions: Assumptions;
  readonly sheets: readonly PriceSheet[];
  /** A variance task's old side (`ForecastTask.against`), with its price sheets themselves. */
  readonly varianceFrom?: VarianceRequest | undefined;
};

/** The old side of a variance request, as the services build it. */
export type VarianceRequest = Omit<VarianceAgainst, 'sheets' | 'assumptions'> & {
  readonly assumptions: Assumptions;
  readonly sheets: readonly PriceSheet[];
};

export type ComputeOutcome = Exclude<ForecastOutcome, { kind: 'missing' }>;

/** Who asks for a computation, and a signal that cancels it (the client gone, a deadline). */
export interface ComputeContext {
  /** The caller's API key id: the scheduler bounds each key's work under way. */
  readonly owner?: string | undefined;
  /**
   * Aborting it takes a queued task out of the queue and stops a running one (its worker
   * thread is ended and replaced); the promise then rejects with the signal's reason. The
   * in-process pool can only refuse to start.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * The result is stored, to be downloaded as a workbook later: the budget counts that
   * workbook now, so that a forecast admitted once can always be downloaded.
   */
  readonly stored?: boolean | undefined;
}

/** Where forecasts are computed: worker threads, or the calling thread when `threads` is 0. */
export interface ComputePool {
  readonly threads: number;
  /** The worker threads running now (started and not yet stopped). */
  live(): number;
  forecast(request: ComputeRequest, ctx?: ComputeContext): Promise<ComputeOutcome>;
  /** Lets running tasks finish, then stops the workers. */
  close(): Promise<void>;
}

export interface ComputePoolOptions {
  readonly threads: number;
  /**
   * Stop a thread after this many milliseconds without a task, and start threads only when
   * tasks come (its caches go with it: the next task sends its price sheets again). Absent or
   * 0: start all threads at once and keep them.
   */
  readonly idleMs?: number | undefined;
  /** The worker module (tests substitute their own). */
  readonly filename?: URL;
  /** A worker error no task was waiting for (a worker failing between tasks, a slow close). */
  readonly onError?: (err: unknown) => void;
}

/**
 * The worker module next to this one: `worker.ts` when running from source, `worker.js` when
 * this code is bundled into dist/ (`npm run build` puts dist/server.js and dist/worker.js
 * side by side).
 */
const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js',
  import.meta.url,
);

/** A key for each sheet object, for the life of the pool (see `computePool`). */
function sheetKeys(): (sheet: PriceSheet) => string {
  const keys = new WeakMap<PriceSheet, string>();
  let lastKey = 0;
  return (sheet) => {
    let key = keys.get(sheet);
    if (key === undefined) {
      key = String(++lastKey);
      keys.set(sheet, key);
    }
    return key;
  };
}

/** Computes in the calling thread: the pool of size 0. It keeps models as a worker does. */
function inProcess(): ComputePool {
  const keyOf = sheetKeys();
  const models = modelCache();
  return {
    threads: 0,
    live: () => 0,
    forecast: async (request, ctx) => {
      ctx?.signal?.throwIfAborted();
      const { varianceFrom: against, ...rest } = request;
      const model = (r: Pick<ComputeRequest, 'assumptionsKey' | 'assumptions' | 'sheets'>) =>
        models.model(
          r.assumptionsKey,
          r.assumptions,
          r.sheets.map((sheet) => ({ key: keyOf(sheet), sheet })),
        );
      return computeTask(
        { ...rest, sheets: [], against: against ? { ...against, sheets: [] } : undefined },
        model(request),
        against ? model(against) : undefined,
      );
    },
    close: async () => {},
  };
}

/**
 * A pool of `threads` worker threads running the engine (0: no pool, compute in process).
 *
 * Price sheets are sent once, not with every task. Each sheet object gets a key of its own
 * (the services hand out one frozen object per stored version, from their cache), so a key
 * always stands for exactly one content, whatever rows the object holds. A task carries the
 * sheets this pool never sent and only the keys of the others; a worker that lacks one of
 * them answers `missing`, and the task goes again with every sheet, which that worker then
 * keeps. Assumptions from a stored set go the same way under its key (`assumptionsKey`);
 * inline ones go with every task. A worker that crashes fails only its own task, and is
 * replaced.
 */
export function computePool(opts: ComputePoolOptions): ComputePool {
  if (opts.threads === 0) return inProcess();
  const worker = opts.filename ?? WORKER;
  const pool = new Piscina<ForecastTask, ForecastOutcome>({
    filename: worker.href,
    minThreads: opts.idleMs ? 0 : opts.threads,
    maxThreads: opts.threads,
    idleTimeout: opts.idleMs || Number.POSITIVE_INFINITY,
    execArgv: workerExecArgv(worker),
    // First come, first served. By default piscina puts a queued task it could not hand to a
    // busy worker at the back of the queue: under steady load a few requests waited seconds
    // while the median was 30 ms.
    stricterFIFO: true,
    recordTiming: false,
  });
  // Unhandled, an 'error' event would end the process.
  pool.on('error', opts.onError ?? (() => {}));
  const keyOf = sheetKeys();
  const sent = new WeakSet<PriceSheet>();
  /** Keys of the assumption sets sent (forgetting some only means sending them again). */
  const sentAssumptions = new Set<string>();
  /**
   * The task, with the sheets and assumptions themselves where `all` or never sent, and keys
   * otherwise.
   */
  const side = (
    r: { readonly assumptions: Assumptions; readonly assumptionsKey?: string | undefined },
    sheets: readonly PriceSheet[],
    all: boolean,
  ) => {
    const key = r.assumptionsKey;
    return {
      ...(key === undefined || all || !sentAssumptions.has(key)
        ? { assumptions: r.assumptions }
        : {}),
      sheets: sheets.map((sheet) =>
        all || !sent.has(sheet) ? { key: keyOf(sheet), sheet } : { key: keyOf(sheet) },
      ),
    };
  };
  const task = (request: ComputeRequest, all: boolean): ForecastTask => {
    const { assumptions, sheets, varianceFrom: against, ...rest } = request;
    if (!against) return { ...rest, ...side(request, sheets, all) };
    const { assumptions: _a, sheets: oldSheets, ...oldRest } = against;
    return {
      ...rest,
      ...side(request, sheets, all),
      against: { ...oldRest, ...side(against, oldSheets, all) },
    };
  };
  async function run(request: ComputeRequest, signal?: AbortSignal): Promise<ComputeOutcome> {
    const options = signal ? { signal } : {};
    const first = pool.run(task(request, false), options);
    for (const r of request.varianceFrom ? [request, request.varianceFrom] : [request]) {
      for (const sheet of r.sheets) sent.add(sheet);
      if (r.assumptionsKey !== undefined) {
        if (sentAssumptions.size >= 10_000) sentAssumptions.clear();
        sentAssumptions.add(r.assumptionsKey);
      }
    }
    const answer = await first;
    if (answer.kind !== 'missing') return answer;
    const again = await pool.run(task(request, true), options);
    if (again.kind === 'missing')
      throw new Error('a compute worker lost price sheets or assumptions it was sent');
    return again;
  }
  /** Requests under way, each of which may still send a second task. */
  const running = new Set<Promise<unknown>>();
  let closed: Promise<void> | undefined;
  return {
    threads: opts.threads,
    live: () => pool.threads.length,
    forecast(request, ctx) {
      if (closed) return Promise.reject(new Error('the compute pool is closed'));
      const p = run(request, ctx?.signal);
      const settled: Promise<unknown> = p.then(
        () => running.delete(settled),
        () => running.delete(settled),
      );
      running.add(settled);
      return p;
    },
    close() {
      closed ??= (async () => {
        while (running.size > 0) await Promise.all(running);
        await pool.close();
      })();
      return closed;
    },
  };
}
