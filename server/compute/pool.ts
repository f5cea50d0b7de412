import { Piscina } from 'piscina';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { computeTask, type ForecastOutcome, type ForecastTask } from './task.ts';

/** A task as the services build it: every sheet with its key. */
export type ComputeRequest = Omit<ForecastTask, 'sheets'> & {
  readonly sheets: readonly { readonly key: string; readonly sheet: PriceSheet }[];
};

export type ComputeOutcome = Exclude<ForecastOutcome, { kind: 'missing' }>;

/** Where forecasts are computed: worker threads, or the calling thread when `threads` is 0. */
export interface ComputePool {
  readonly threads: number;
  forecast(request: ComputeRequest): Promise<ComputeOutcome>;
  /** Lets running tasks finish, then stops the workers. */
  close(): Promise<void>;
}

export interface ComputePoolOptions {
  readonly threads: number;
  /** The worker module (tests substitute their own). */
  readonly filename?: URL;
  /** A worker error no task was waiting for (a worker failing between tasks, a slow close). */
  readonly onError?: (err: unknown) => void;
}

/** Node flags for the workers: the parent's, plus the TypeScript loader when it has none. */
function workerExecArgv(): string[] {
  const argv = process.execArgv;
  return argv.some((a) => /(^|[/\\])tsx([/\\]|$)/.test(a)) ? argv : [...argv, '--import', 'tsx'];
}

/** Computes in the calling thread: the pool of size 0. */
function inProcess(): ComputePool {
  return {
    threads: 0,
    forecast: async (request) =>
      computeTask(
        request,
        request.sheets.map((s) => s.sheet),
      ),
    close: async () => {},
  };
}

/**
 * A pool of `threads` worker threads running the engine (0: no pool, compute in process). A
 * task first goes with sheet keys only; a worker that lacks one of them answers `missing`,
 * and the task goes again with every sheet, which that worker then keeps. A worker that
 * crashes fails only its own task, and is replaced.
 */
export function computePool(opts: ComputePoolOptions): ComputePool {
  if (opts.threads === 0) return inProcess();
  const pool = new Piscina<ForecastTask, ForecastOutcome>({
    filename: (opts.filename ?? new URL('./worker.ts', import.meta.url)).href,
    minThreads: opts.threads,
    maxThreads: opts.threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv: workerExecArgv(),
  });
  // Unhandled, an 'error' event would end the process.
  pool.on('error', opts.onError ?? (() => {}));
  async function run(request: ComputeRequest): Promise<ComputeOutcome> {
    const keysOnly = request.sheets.map(({ key }) => ({ key }));
    const first = await pool.run({ ...request, sheets: keysOnly });
    if (first.kind !== 'missing') return first;
    const again = await pool.run(request);
    if (again.kind === 'missing') throw new Error('a compute worker lost price sheets it was sent');
    return again;
  }
  /** Requests under way, each of which may still send a second task. */
  const running = new Set<Promise<unknown>>();
  let closed: Promise<void> | undefined;
  return {
    threads: opts.threads,
    forecast(request) {
      if (closed) return Promise.reject(new Error('the compute pool is closed'));
      const p = run(request);
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
