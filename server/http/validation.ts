import type { FastifySchemaCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { forecastJsonSchema } from '../../models/forecast-json.ts';
import { validate } from '../../models/validate.ts';
import { HttpError, toApiIssues } from './errors.ts';

const PARTS: Record<string, string> = {
  body: 'the request body',
  querystring: 'the query string',
  params: 'the URL',
  headers: 'the request headers',
};

/**
 * Validates requests with their zod schemas as the engine validates inputs (models/validate):
 * prototype-polluting keys and over-deep nesting first, then the schema. A failure is a 400
 * whose issues name each field.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = validate(schema, data);
    if (result.ok) return { value: result.value };
    const where = PARTS[httpPart ?? ''] ?? 'the request';
    const error = new HttpError(
      400,
      'invalid_request',
      `${where} is invalid`,
      toApiIssues(result.issues),
    );
    return { error };
  };

/**
 * Responses are checked against their zod schemas before they are sent, except the forecast
 * JSON: the engine builds it from typed values (its shape is asserted against
 * `forecastJsonSchema` by the tests), and re-validating tens of kilobytes on every what-if
 * was a tenth of the request's time.
 */
export const serializerCompiler: typeof zodSerializerCompiler = (route) =>
  route.schema === forecastJsonSchema
    ? (data: unknown) => JSON.stringify(data)
    : zodSerializerCompiler(route);

/**
 * {@link validatorCompiler} for the query string, the URL and the headers; the body is passed
 * through as it is (an upload's stream, which its route reads itself). Generic so that it
 * fits any route's schema type.
 */
export const streamBodyCompiler = <S>(route: Parameters<FastifySchemaCompiler<S>>[0]) =>
  route.httpPart === 'body'
    ? (data: unknown) => ({ value: data })
    : validatorCompiler({ ...route, schema: route.schema as z.ZodType });
