import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VarianceFailure } from '../../../services/forecasts/index.ts';
import { HttpError, inputError, notFound } from '../../errors.ts';
import { computeContext } from '../../plugins/app/compute.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';
import { forecastVarianceSchema, varianceQuerySchema } from '../../schemas/variance.ts';

/** What the client is told when there is no bridge to give. */
export function varianceError(f: VarianceFailure): HttpError {
  switch (f.reason) {
    case 'not_found':
      return f.role === 'forecast'
        ? notFound(`forecast ${f.id}`)
        : new HttpError(404, 'not_found', `forecast ${f.id} (against) was not found`);
    case 'no_previous':
      return new HttpError(
        404,
        'not_found',
        `no approved forecast for ${f.previous}, the quarter before this forecast's ${f.quarter}; name the forecast to compare with: ?against=<forecast id>`,
      );
    case 'unfit':
      // Two reporting currencies, or pinned inputs that no longer join.
      return inputError(
        422,
        'invalid_forecast_input',
        'the two forecasts cannot be bridged',
        f.issues,
      );
  }
}

/** GET /v1/forecasts/:id/variance (viewer): the bridge from an older forecast to this one. */
const forecastVariance: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:id/variance',
    {
      onRequest: app.authorize('viewer'),
      schema: {
        tags: ['forecasts'],
        summary:
          'The variance bridge from an older forecast (default: the previous quarter’s latest approved one) to this one',
        description:
          'Per scenario (matched by id), per workload (matched by id) and in total: the old total, then the effects in this order — removed workloads, horizon and start quarter, volume, price, FX, scenario parameters, new workloads — and the new total. The effects add up exactly to the change, rounded and unrounded. Both forecasts are recomputed from their pinned inputs (no Monte Carlo).',
        security,
        params: idParams,
        querystring: varianceQuerySchema,
        response: { 200: forecastVarianceSchema, ...authErrors, ...errors(404, 422, 503) },
      },
    },
    async (req, reply) => {
      const answer = await app.forecasts.variance(
        req.params.id,
        req.query.against,
        computeContext(req, reply),
      );
      if (!answer.ok) throw varianceError(answer);
      return answer.value;
    },
  );
};

export default forecastVariance;
