import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { forecastAsOfQuarter } from '../../../../models/freshness.ts';
import { authErrors, errors, security } from '../../schemas/common.ts';
import { catalogueSchema, pricesQuerySchema } from '../../schemas/prices.ts';

/** GET /v1/prices: the SKU catalogue as of a quarter (analyst and above), for the editor. */
const prices: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      onRequest: app.authorize('analyst'),
      schema: {
        tags: ['price-sheets'],
        summary: 'The prices a forecast "as of" a quarter would use, one per SKU and region',
        description:
          'The selection of POST /v1/forecasts with `asOf`: among the versions uploaded for that quarter or before, less those refused in review, each provider, SKU and region is priced by the highest kind (contract > provider price list > catalogue), then the newest. Sorted by provider, SKU and region; `q` searches SKU ids and provider names.',
        security,
        querystring: pricesQuerySchema,
        response: { 200: catalogueSchema, ...authErrors, ...errors(400) },
      },
    },
    async (req) => {
      const asOf = forecastAsOfQuarter(req.query.asOf, new Date());
      const found = await app.priceSheets.catalogue(asOf, req.query);
      return { asOf, ...found, limit: req.query.limit };
    },
  );
};

export default prices;
