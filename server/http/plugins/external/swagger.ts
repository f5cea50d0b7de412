import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ENGINE_VERSION } from '../../../version.ts';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/** One body schema converted, without the root `$id` and `$schema` (a placeholder id otherwise shows as its title). */
function bodyOnly(input: TransformInput, schema: unknown): unknown {
  const converted = jsonSchemaTransform({ ...input, schema: { body: schema } } as TransformInput);
  const {
    $id: _,
    $schema: __,
    ...rest
  } = (converted.schema as { body: Record<string, unknown> }).body;
  return rest;
}

/**
 * {@link jsonSchemaTransform}, and a body given per media type (`body: { content: { type: {
 * schema } } }`, as POST /v1/assumptions takes JSON or a workbook) with each zod schema
 * converted the same way.
 */
function transform(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const body = (input.schema as { body?: { content?: Record<string, { schema: unknown }> } })?.body;
  if (!body?.content) return jsonSchemaTransform(input);
  const { body: _, ...rest } = input.schema as Record<string, unknown>;
  const out = jsonSchemaTransform({ ...input, schema: rest } as TransformInput);
  const content = Object.fromEntries(
    Object.entries(body.content).map(([type, c]) => [type, { schema: bodyOnly(input, c.schema) }]),
  );
  return { ...out, schema: { ...out.schema, body: { content } } };
}

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
        { name: 'audit', description: 'the append-only audit trail (finance, admin)' },
        { name: 'session', description: 'browser sign-in for the web interface' },
      ],
    },
    transform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(swaggerPlugin, { name: 'swagger' });
