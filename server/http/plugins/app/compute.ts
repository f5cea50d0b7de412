import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ComputeContext, type ComputePool, computePool } from '../../../compute/pool.ts';
import { computeScheduler, type Scheduler } from '../../../compute/scheduler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    compute: Scheduler;
  }
}

export interface ComputePluginOptions {
  /** A pool to use instead of the configured ones (tests); the caller closes it. */
  readonly pool?: ComputePool | undefined;
  /** The light lane's pool, with `pool` (tests); the same pool when absent. */
  readonly lightPool?: ComputePool | undefined;
}

/**
 * Where forecasts are computed: up to COSTCAST_COMPUTE_THREADS worker threads (0: this
 * thread), started when forecasts come and stopped after COSTCAST_COMPUTE_IDLE_SECONDS
 * without one (0: all started at once and kept), and on close after the last request has
 * been answered; plus COSTCAST_COMPUTE_LIGHT_THREADS threads for small requests. In front of
 * them, the scheduler bounds each request's compute, the work admitted at once and its time.
 */
async function computePlugin(app: FastifyInstance, opts: ComputePluginOptions) {
  const c = app.config.compute;
  const onError = (err: unknown) => app.log.error({ err }, 'a compute worker failed');
  const idleMs = app.config.computeIdleSeconds * 1000;
  const heavy = opts.pool ?? computePool({ threads: app.config.computeThreads, idleMs, onError });
  const light =
    opts.lightPool ??
    (opts.pool || app.config.computeThreads === 0 || c.lightThreads === 0
      ? heavy
      : computePool({ threads: c.lightThreads, idleMs, onError }));
  const scheduler = computeScheduler({
    light,
    heavy,
    limits: {
      budget: c.budget,
      lightUnits: c.lightUnits,
      queue: c.queue,
      queuePerKey: c.queuePerKey,
      deadlineMs: c.deadlineSeconds * 1000,
    },
  });
  app.decorate('compute', scheduler);
  if (!opts.pool) app.addHook('onClose', () => scheduler.close());
}

export default fp(computePlugin, { name: 'compute', dependencies: ['config'] });

/**
 * The compute context of a request: its API key, and a signal aborted when its client goes
 * away before the answer is sent (the computation is then stopped, not left to run for no one).
 */
export function computeContext(req: FastifyRequest, reply: FastifyReply): ComputeContext {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort(new Error('the client went away'));
  });
  return { owner: req.principal?.keyId, signal: gone.signal };
}
