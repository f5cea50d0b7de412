import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type ForecastJson, forecastJsonSchema } from '../../../../models/forecast-json.ts';
import { computeContext } from '../../plugins/app/compute.ts';
import { authErrors, errors, security } from '../../schemas/common.ts';
import { forecastRequestSchema } from '../../schemas/forecasts.ts';
import { forecastError, withJoinProblems } from '../forecasts/errors.ts';

/** POST /v1/what-if: the forecast of a request, computed and not stored (analyst and above). */
const whatIf: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/',
    {
      onRequest: app.authorize('analyst'),
      // Stores nothing: not a write for the audit trail (a refused key still is audited).
      config: { audit: false },
      schema: {
        tags: ['what-if'],
        summary: 'Compute a forecast without storing anything',
        description:
          'The body of POST /v1/forecasts; the answer is the forecast JSON. To keep the loop fast, Monte Carlo is off unless `draws` is given and the tornado and grid are off unless `sensitivity` is true.',
        security,
        body: forecastRequestSchema,
        response: {
          200: forecastJsonSchema,
          ...authErrors,
          ...errors(400, 404, 413, 415, 422, 503),
        },
      },
      // A body that fails its schema is answered by the handler, with its join problems too.
      attachValidation: true,
    },
    async (req, reply) => {
      if (req.validationError)
        throw await withJoinProblems(app.forecasts, req.validationError, req.body);
      // The forecast JSON arrives serialised by a compute worker; Fastify sends a Buffer as it
      // is, without the serializer. The 200 schema documents what the bytes hold.
      const computed = await app.forecasts.whatIf(req.body, computeContext(req, reply));
      if (!computed.ok) throw forecastError(computed);
      return reply
        .type('application/json; charset=utf-8')
        .send(computed.value as unknown as ForecastJson);
    },
  );
};

export default whatIf;
