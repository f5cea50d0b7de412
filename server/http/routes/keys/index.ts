import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../../errors.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';
import { createKeySchema, keyInfoSchema, newKeySchema } from '../../schemas/keys.ts';

/** /v1/keys: API keys, managed by admins. A new key's secret is shown once. */
const keys: FastifyPluginAsyncZod = async (app) => {
  const admin = app.authorize('admin');

  app.post(
    '/',
    {
      onRequest: admin,
      schema: {
        tags: ['keys'],
        summary: 'Create an API key (its secret is in this answer only)',
        security,
        body: createKeySchema,
        response: { 201: newKeySchema, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => {
      const key = await app.keys.create(req.body.name, req.body.role, principalOf(req).name);
      return reply.code(201).send(key);
    },
  );

  app.get(
    '/',
    {
      onRequest: admin,
      schema: {
        tags: ['keys'],
        summary: 'List API keys (never their secrets)',
        security,
        response: { 200: z.object({ items: z.array(keyInfoSchema) }), ...authErrors },
      },
    },
    async () => ({ items: await app.keys.list() }),
  );

  app.delete(
    '/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key',
        security,
        params: idParams,
        response: { 204: z.null(), ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const result = await app.keys.revoke(req.params.id);
      if (result === 'not_found')
        throw new HttpError(404, 'not_found', `no active key ${req.params.id}`);
      if (result === 'last_admin')
        throw new HttpError(
          409,
          'conflict',
          'this is the last active admin key; create another admin key first',
        );
      return reply.code(204).send(null);
    },
  );
};

export default keys;
