import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assumptionsSchema } from '../../../../models/assumptions.ts';
import { notFound } from '../../errors.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import {
  assumptionSetListSchema,
  assumptionSetSchema,
  listAssumptionsQuerySchema,
} from '../../schemas/assumptions.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';

/** /v1/assumptions: named, versioned assumption sets (analyst and above). */
const assumptions: FastifyPluginAsyncZod = async (app) => {
  const analyst = app.authorize('analyst');

  app.post(
    '/',
    {
      onRequest: analyst,
      schema: {
        tags: ['assumptions'],
        summary: 'Store assumptions as the next version of their name',
        description:
          'The body is the assumptions document of the CLI, validated as the engine validates it.',
        security,
        body: assumptionsSchema,
        response: { 201: assumptionSetSchema, ...authErrors, ...errors(400, 413, 415) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await app.assumptionSets.create(req.body, principalOf(req).name)),
  );

  app.get(
    '/',
    {
      onRequest: analyst,
      schema: {
        tags: ['assumptions'],
        summary: 'List assumption sets, newest first',
        security,
        querystring: listAssumptionsQuerySchema,
        response: { 200: assumptionSetListSchema, ...authErrors, ...errors(400) },
      },
    },
    async (req) => {
      const { items, total } = await app.assumptionSets.list(req.query);
      return { items, total, limit: req.query.limit, offset: req.query.offset };
    },
  );

  app.get(
    '/:id',
    {
      onRequest: analyst,
      schema: {
        tags: ['assumptions'],
        summary: 'One assumption set with its document',
        security,
        params: idParams,
        response: { 200: assumptionSetSchema, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => {
      const set = await app.assumptionSets.get(req.params.id);
      if (!set) throw notFound(`assumption set ${req.params.id}`);
      return set;
    },
  );
};

export default assumptions;
