import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditOutcome } from '../../../db/schema.ts';
import { type AuditEntry, type AuditService, auditService } from '../../../services/audit/index.ts';
import { addressGroup } from '../../../services/auth-throttle.ts';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
  interface FastifyContextConfig {
    /**
     * false on a POST that stores nothing (what-if): it is not audited as a write. Refused
     * authentications are audited on every route all the same.
     */
    audit?: boolean;
  }
}

/** Methods that write nothing: audited only when their authentication is refused. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The resource type of each first path segment under /v1; another segment is its own type. */
const RESOURCE_TYPES: Record<string, string> = {
  'price-sheets': 'price-sheet',
  assumptions: 'assumption-set',
  forecasts: 'forecast',
  keys: 'key',
  quarters: 'quarter',
};

/** C0 controls, DEL and lone surrogates. */
const UNFIT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is replaced.
  /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Longest text kept from a request (an id or quarter in its URL, an error code). */
const MAX_TEXT = 200;

/**
 * Text from a request as the trail keeps it: control characters and lone surrogates (which a
 * text column refuses, or which would forge a line of a report) replaced, at most 200 characters.
 * @example cleanText('abc\u0000def') //=> 'abc\uFFFDdef'
 */
export function cleanText(value: string): string {
  return value.slice(0, MAX_TEXT).replace(UNFIT, '\uFFFD');
}

/**
 * The resource type of a route pattern: its first segment under /v1, singular.
 * @example resourceType('/v1/forecasts/:id/approve') //=> 'forecast'
 */
export function resourceType(route: string): string | null {
  const segment = route.split('/')[2];
  if (!segment) return null;
  return RESOURCE_TYPES[segment] ?? segment;
}

/** @example outcomeOf(201) //=> 'ok' */
export const outcomeOf = (status: number): AuditOutcome =>
  status < 400 ? 'ok' : status < 500 ? 'refused' : 'failed';

/** The `id` of the object a write answered with (a created key, sheet, set, forecast). */
const answeredId = new WeakMap<FastifyRequest, string>();

/** An error body's `code`, read from its serialized text (which starts with it). */
function errorCode(payload: unknown): string | undefined {
  const text =
    typeof payload === 'string'
      ? payload.slice(0, 300)
      : Buffer.isBuffer(payload)
        ? payload.subarray(0, 300).toString('utf8')
        : '';
  return /"code":"([a-z_]{1,50})"/.exec(text)?.[1];
}

/** The audit event of a request, or null when it is not one to audit. */
function entryOf(req: FastifyRequest, reply: FastifyReply, payload: unknown): AuditEntry | null {
  const pattern = req.routeOptions.url;
  if (pattern === undefined || !pattern.startsWith('/v1/')) return null;
  const refusal = req.authRefusal;
  const write = !SAFE_METHODS.has(req.method) && req.routeOptions.config.audit !== false;
  if (refusal === null && !write) return null;
  const route = pattern.length > 4 && pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  const status = reply.statusCode;
  const params = (req.params ?? {}) as Record<string, unknown>;
  const named = params['id'] ?? params['quarter'];
  const answered = answeredId.get(req);
  const resourceId = typeof named === 'string' ? cleanText(named) : (answered ?? null);
  const actor = req.principal ?? refusal?.principal ?? null;
  const detail: Record<string, unknown> = {};
  if (status >= 400) {
    const code = errorCode(payload);
    if (code !== undefined) detail['code'] = code;
  }
  if (refusal !== null) {
    detail['refused'] = refusal.reason;
    if (refusal.needs !== undefined) detail['needs'] = refusal.needs;
    if (refusal.principal !== undefined) detail['role'] = refusal.principal.role;
  }
  // A write on one resource that answers with another (a revision making a new draft).
  if (answered !== undefined && answered !== resourceId) detail['resultId'] = answered;
  return {
    actorKeyId: actor?.keyId ?? null,
    actorName: actor?.name ?? null,
    action: `${req.method} ${route}`,
    resourceType: resourceType(route),
    resourceId,
    outcome: outcomeOf(status),
    statusCode: status,
    clientAddress: req.ip,
    requestId: cleanText(String(req.id)),
    detail: Object.keys(detail).length > 0 ? detail : null,
  };
}

/**
 * The audit trail of the HTTP API: every write under /v1 (any method but GET, HEAD and
 * OPTIONS, on a route that exists), whatever its outcome, and every request the authorize hook
 * refused (401, 403, 429, two Authorization headers), on any method. The event is appended
 * before the answer leaves (onSend), so a client that has its answer finds its event; a
 * refusal without an accountable key goes through the flood bound (services/audit/refusals.ts).
 * Routes need do nothing: the action is the method and the route's pattern, the resource its
 * first segment, the id the URL's `:id` (or `:quarter`) or else the `id` the write answered.
 */
async function auditPlugin(app: FastifyInstance) {
  const audit = auditService(app.store.db, { log: app.log });
  app.decorate('audit', audit);

  app.addHook('preSerialization', async (req, _reply, payload) => {
    if (!SAFE_METHODS.has(req.method) && payload !== null && typeof payload === 'object') {
      const id = (payload as { id?: unknown }).id;
      if (typeof id === 'string') answeredId.set(req, cleanText(id));
    }
    return payload;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const entry = entryOf(req, reply, payload);
    if (entry === null) return payload;
    if (req.principal !== null && req.authRefusal === null) await audit.record(entry, req.log);
    else await audit.refused(entry, addressGroup(req.ip), req.log);
    return payload;
  });

  // Counted refusals are written before the database closes.
  app.addHook('preClose', async () => {
    await audit.close();
  });
}

export default fp(auditPlugin, { name: 'audit', dependencies: ['db', 'auth'] });
