import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../../db/schema.ts';

const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with its time zone, e.g. 2026-12-06T18:00:00Z',
});

/** The query of GET /v1/audit: filters, each narrowing the list, and a page. */
export const auditQuerySchema = z
  .strictObject({
    actor: z
      .uuid({ error: 'must be a key id (a UUID)' })
      .optional()
      .describe('the key id that acted'),
    action: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe('exactly, e.g. `POST /v1/forecasts/:id/approve` or `cli keys create`'),
    resourceType: z
      .string()
      .min(1)
      .max(50)
      .optional()
      .describe('price-sheet, assumption-set, forecast, key, …'),
    resourceId: z.string().min(1).max(200).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    from: instant.optional().describe('events at or after this time'),
    to: instant.optional().describe('events before this time'),
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/, { error: 'must be an event id (a positive integer)' })
      .optional()
      .describe('events older than this event id: the `nextBefore` of the previous page'),
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('at most 500'),
  })
  .refine(
    (q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to),
    {
      path: ['to'],
      error: 'must be after from',
    },
  );

export const auditEventSchema = z.object({
  id: z.string().describe('increasing with each event (a 64-bit integer, as text)'),
  at: z.string().describe('when it was recorded, by the database clock'),
  actorKeyId: z.uuid().nullable().describe('the key that acted; null when none was valid'),
  actorName: z.string().nullable().describe('its name, or `cli:<OS user>` for the CLI'),
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES).describe('ok (2xx), refused (4xx) or failed (5xx)'),
  statusCode: z.int().nullable(),
  clientAddress: z.string().nullable(),
  requestId: z.string().nullable(),
  detail: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('the error code, why authentication was refused, counts of aggregated refusals'),
});

export const auditPageSchema = z.object({
  items: z.array(auditEventSchema),
  nextBefore: z
    .string()
    .nullable()
    .describe('pass it as `before` for the next (older) page; null on the last page'),
});
