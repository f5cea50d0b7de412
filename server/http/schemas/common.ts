import { z } from 'zod';
import { errorBodySchema } from '../errors.ts';

export const idParams = z.object({ id: z.uuid({ error: 'must be a UUID' }) });

/** `?limit=&offset=` with a default and a ceiling. */
export const paging = (defaultLimit: number, maxLimit: number) => ({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxLimit)
    .default(defaultLimit)
    .describe(`at most ${maxLimit}`),
  offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
});

/** Error responses by status, for the OpenAPI document and the serializer. */
export function errors<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as {
    [K in S[number]]: typeof errorBodySchema;
  };
}

/**
 * Every authenticated route can answer 400 (two Authorization headers, or a control character
 * in a header it reads), 401, 403 and 429.
 */
export const authErrors = errors(400, 401, 403, 429);

export const security = [{ bearer: [] }];
