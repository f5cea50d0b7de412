import { type CostShape, estimateCost, overBudgetMessage, shapeOf } from './cost.ts';
import type { ComputeContext, ComputeOutcome, ComputePool, ComputeRequest } from './pool.ts';

/** How much compute the service gives one request, one key and everyone together. */
export interface ComputeLimits {
  /** The most units (`estimateCost`) one request may need; more is refused up front. */
  readonly budget: number;
  /** Requests needing at most this many units go to the light lane, when there is one. */
  readonly lightUnits: number;
  /** Computations admitted (queued or running) at once, in all. */
  readonly queue: number;
  /** Computations admitted at once for one API key. */
  readonly queuePerKey: number;
  /** Milliseconds a computation may take from its admission, waiting included. */
  readonly deadlineMs: number;
}

export type RefusalReason = 'over_budget' | 'busy' | 'deadline' | 'cancelled';

/** A computation refused or stopped by the scheduler; the HTTP layer turns it into an answer. */
export class ComputeRefused extends Error {
  override name = 'ComputeRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** For `busy`: when trying again has a chance. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** What the scheduler has admitted, for health checks and tests. */
export interface ComputeStats {
  readonly admitted: number;
  readonly light: number;
  readonly heavy: number;
  readonly byOwner: Readonly<Record<string, number>>;
}

export interface Scheduler extends ComputePool {
  stats(): ComputeStats;
}

/** A key for requests without an owner (the CLI, tests): they share one count. */
const ANONYMOUS = '(no key)';

/** Seconds, whole, within [1, 300]. */
const seconds = (ms: number) => Math.min(300, Math.max(1, Math.ceil(ms / 1000)));

/**
 * Puts a bound on compute, in front of two pools:
 * - a request whose estimate is over `budget` is refused before anything runs;
 * - at most `queue` computations are admitted at once, and `queuePerKey` for one key; the
 *   next is refused as busy, with the time the average computation takes as Retry-After;
 * - an admitted computation that is not done `deadlineMs` after admission is stopped (taken
 *   out of the queue, or its worker thread ended), and so is one whose client went away;
 * - computations up to `lightUnits` run on the `light` pool, so that a small model's
 *   what-if does not wait behind large work (pass the same pool twice for one lane).
 */
export function computeScheduler(opts: {
  readonly light: ComputePool;
  readonly heavy: ComputePool;
  readonly limits: ComputeLimits;
  /** How long tasks take, for Retry-After (ms); starts at one second. */
  readonly initialTaskMs?: number;
}): Scheduler {
  const { light, heavy, limits } = opts;
  const lanes = light === heavy ? [heavy] : [light, heavy];
  const threads = () => lanes.reduce((n, lane) => n + lane.threads, 0);
  const byOwner = new Map<string, number>();
  let admitted = 0;
  let inLight = 0;
  let inHeavy = 0;
  /** Moving average of the time from admission to answer. */
  let averageMs = opts.initialTaskMs ?? 1000;

  function admit(shape: CostShape, owner: string) {
    const cost = estimateCost(shape);
    if (cost.units > limits.budget)
      throw new ComputeRefused('over_budget', overBudgetMessage(shape, cost, limits.budget));
    const mine = byOwner.get(owner) ?? 0;
    if (mine >= limits.queuePerKey)
      throw new ComputeRefused(
        'busy',
        `this key already has ${mine} computation${mine === 1 ? '' : 's'} under way, the most one key may have (COSTCAST_COMPUTE_QUEUE_PER_KEY); wait for one to finish`,
        seconds(averageMs),
      );
    if (admitted >= limits.queue)
      throw new ComputeRefused(
        'busy',
        `the service is computing ${admitted} requests, the most it takes at once (COSTCAST_COMPUTE_QUEUE); try again shortly`,
        seconds((averageMs * admitted) / Math.max(1, threads())),
      );
    byOwner.set(owner, mine + 1);
    admitted++;
    return cost;
  }

  function release(owner: string) {
    admitted--;
    const left = (byOwner.get(owner) ?? 1) - 1;
    if (left === 0) byOwner.delete(owner);
    else byOwner.set(owner, left);
  }

  async function forecast(request: ComputeRequest, ctx?: ComputeContext): Promise<ComputeOutcome> {
    ctx?.signal?.throwIfAborted();
    const owner = ctx?.owner ?? ANONYMOUS;
    const shape = shapeOf(request);
    const cost = admit(ctx?.stored ? { ...shape, workbook: true } : shape, owner);
    const isLight = lanes.length === 2 && cost.units <= limits.lightUnits;
    const lane = isLight ? light : heavy;
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(
          new ComputeRefused(
            'deadline',
            `the computation was stopped after ${limits.deadlineMs / 1000} s, waiting included (COSTCAST_COMPUTE_DEADLINE_SECONDS); ask for fewer draws, scenarios, workloads or quarters, or try again when the service is less busy`,
          ),
        ),
      limits.deadlineMs,
    );
    const signal = ctx?.signal ? AbortSignal.any([ctx.signal, deadline.signal]) : deadline.signal;
    const started = performance.now();
    if (isLight) inLight++;
    else inHeavy++;
    try {
      return await lane.forecast(request, { owner, signal });
    } catch (err) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      if (ctx?.signal?.aborted)
        throw new ComputeRefused('cancelled', 'the client went away; its computation was stopped');
      throw err;
    } finally {
      clearTimeout(timer);
      if (isLight) inLight--;
      else inHeavy--;
      release(owner);
      averageMs = 0.8 * averageMs + 0.2 * (performance.now() - started);
    }
  }

  return {
    get threads() {
      return threads();
    },
    live: () => lanes.reduce((n, lane) => n + lane.live(), 0),
    forecast,
    stats: () => ({
      admitted,
      light: inLight,
      heavy: inHeavy,
      byOwner: Object.fromEntries(byOwner),
    }),
    close: async () => {
      await Promise.all(lanes.map((lane) => lane.close()));
    },
  };
}
