import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ENGINE_VERSION } from '../../../version.ts';

/** The OpenAPI document, generated from the routes' zod schemas, at /openapi.json; its UI at /docs. */
async function swaggerPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'costcast',
        description:
          'Quarterly compute-cost forecasting: price-sheet versions, assumption sets, forecasts with Excel workbooks, what-if runs. Authenticate with `Authorization: Bearer <api key>`.',
        version: ENGINE_VERSION.replace(/^costcast /, ''),
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API key (cc_…)' },
        },
      },
      tags: [
        { name: 'health', description: 'liveness and database reachability' },
        { name: 'price-sheets', description: 'immutable price-sheet versions (finance uploads)' },
        { name: 'assumptions', description: 'named, versioned assumption sets' },
        { name: 'forecasts', description: 'stored forecasts, workbooks, review' },
        { name: 'what-if', description: 'compute without storing' },
        { name: 'keys', description: 'API keys (admin)' },
        { name: 'session', description: 'browser sign-in for the web interface' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(swaggerPlugin, { name: 'swagger' });
