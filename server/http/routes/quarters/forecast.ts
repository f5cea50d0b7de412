import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authErrors, errors, security } from '../../schemas/common.ts';
import {
  quarterForecastSchema,
  quarterNotFoundSchema,
  quarterParams,
} from '../../schemas/forecasts.ts';
import { DetailedError } from '../forecasts/errors.ts';

/**
 * GET /v1/quarters/:quarter — "the forecast of 2027-Q1": the quarter's latest approved
 * forecast (by approval time), the earlier approved ones it supersedes, and those pending.
 * A quarter with no approved forecast is a 404 that still lists the pending ones.
 */
const quarterForecast: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:quarter',
    {
      onRequest: app.authorize('viewer'),
      schema: {
        tags: ['forecasts'],
        summary:
          'The forecast of a quarter: its latest approved forecast, the earlier approved ones it supersedes, and those in draft or in review',
        security,
        params: quarterParams,
        response: {
          200: quarterForecastSchema,
          ...authErrors,
          ...errors(400),
          404: quarterNotFoundSchema,
        },
      },
    },
    async (req) => {
      const { quarter } = req.params;
      const answer = await app.forecasts.quarter(quarter);
      if (!answer.forecast)
        throw new DetailedError(
          404,
          'not_found',
          `no forecast of ${quarter} is approved yet (${answer.pending.length} in draft or in review)`,
          { pending: answer.pending },
        );
      return { ...answer, forecast: answer.forecast };
    },
  );
};

export default quarterForecast;
