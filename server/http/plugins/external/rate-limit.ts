import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../../errors.ts';

/** Requests per minute per client address (COSTCAST_RATE_LIMIT; 0 turns it off). */
async function rateLimitPlugin(app: FastifyInstance) {
  const max = app.config.limits.rateLimitPerMinute;
  await app.register(rateLimit, {
    global: max > 0,
    max: max > 0 ? max : 1,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, context) =>
      new HttpError(
        429,
        'rate_limited',
        `too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit', dependencies: ['config'] });
