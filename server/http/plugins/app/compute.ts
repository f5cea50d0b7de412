import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type ComputePool, computePool } from '../../../compute/pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    compute: ComputePool;
  }
}

export interface ComputePluginOptions {
  /** A pool to use instead of the configured one (tests); the caller closes it. */
  readonly pool?: ComputePool | undefined;
}

/**
 * Where forecasts are computed: up to COSTCAST_COMPUTE_THREADS worker threads (0: this
 * thread), started when forecasts come and stopped after COSTCAST_COMPUTE_IDLE_SECONDS
 * without one (0: all started at once and kept), and on close after the last request has
 * been answered.
 */
async function computePlugin(app: FastifyInstance, opts: ComputePluginOptions) {
  const pool =
    opts.pool ??
    computePool({
      threads: app.config.computeThreads,
      idleMs: app.config.computeIdleSeconds * 1000,
      onError: (err) => app.log.error({ err }, 'a compute worker failed'),
    });
  app.decorate('compute', pool);
  if (!opts.pool) app.addHook('onClose', () => pool.close());
}

export default fp(computePlugin, { name: 'compute', dependencies: ['config'] });
