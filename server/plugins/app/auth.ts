import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../db/schema.ts';
import { HttpError } from '../../errors.ts';
import { atLeast, type KeysService, keysService, type Principal } from '../../services/keys.ts';

declare module 'fastify' {
  interface FastifyInstance {
    keys: KeysService;
    /** An onRequest hook letting through keys with at least `role`: 401 without a valid key, 403 below the role. */
    authorize: (role: Role) => (req: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const BEARER = /^Bearer\s+(\S{1,300})\s*$/i;

async function authPlugin(app: FastifyInstance) {
  const keys = keysService(app.store.db);
  app.decorate('keys', keys);
  app.decorateRequest('principal', null);
  app.decorate('authorize', (role: Role) => async (req: FastifyRequest) => {
    const header = req.headers.authorization;
    if (!header)
      throw new HttpError(
        401,
        'unauthorized',
        'an API key is required: Authorization: Bearer <key>',
      );
    const match = BEARER.exec(header);
    const principal = match ? await keys.verify(match[1]!) : null;
    if (!principal) throw new HttpError(401, 'unauthorized', 'the API key is invalid or revoked');
    if (!atLeast(principal.role, role))
      throw new HttpError(
        403,
        'forbidden',
        `this needs the ${role} role or above; the key has ${principal.role}`,
      );
    req.principal = principal;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db'] });
