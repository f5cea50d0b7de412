import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ping } from '../../../db/index.ts';
import { ENGINE_VERSION } from '../../../version.ts';
import { errors } from '../../schemas/common.ts';

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  version: z.string(),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    reachable: z.boolean(),
  }),
  compute: z
    .object({
      admitted: z.int().describe('computations queued or running'),
      light: z.int().describe('of which on the light lane'),
      heavy: z.int().describe('of which on the other threads'),
    })
    .describe('the work under way (see the compute limits in the README)'),
});

/** GET /health: the service answers, and whether its database does (503 when it does not). */
const health: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Service and database reachability',
        // 400: a control character in a header the service reads (server/request-headers.ts).
        response: { 200: healthSchema, 503: healthSchema, ...errors(400) },
      },
    },
    async (_req, reply) => {
      const reachable = await ping(app.store.db);
      const { admitted, light, heavy } = app.compute.stats();
      return reply.code(reachable ? 200 : 503).send({
        status: reachable ? 'ok' : 'unavailable',
        version: ENGINE_VERSION,
        database: { kind: app.store.kind, reachable },
        compute: { admitted, light, heavy },
      });
    },
  );
};

export default health;
