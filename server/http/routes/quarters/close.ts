import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { computeContext } from '../../plugins/app/compute.ts';
import { authErrors, errors, security } from '../../schemas/common.ts';
import { quarterParams } from '../../schemas/forecasts.ts';
import { quarterCloseSchema } from '../../schemas/quarters.ts';

/**
 * GET /v1/quarters/:quarter/close (viewer): what is left to close the quarter — providers in
 * use without a reviewed sheet, stale sheets, forecasts waiting for review — and the variance
 * of its approved forecast against the previous quarter's.
 */
const quarterClose: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:quarter/close',
    {
      onRequest: app.authorize('viewer'),
      schema: {
        tags: ['forecasts'],
        summary:
          'Quarter close: providers without a reviewed sheet, stale sheets, forecasts waiting for review, and the variance against the previous quarter',
        security,
        params: quarterParams,
        response: { 200: quarterCloseSchema, ...authErrors, ...errors(400, 422, 503) },
      },
    },
    async (req, reply) => app.quarterClose(req.params.quarter, computeContext(req, reply)),
  );
};

export default quarterClose;
