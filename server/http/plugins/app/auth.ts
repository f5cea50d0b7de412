import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../../db/schema.ts';
import { AUTH_WINDOW_MS, addressGroup, authThrottle } from '../../../services/auth-throttle.ts';
import {
  atLeast,
  hashKey,
  type KeysService,
  keysService,
  type Principal,
} from '../../../services/keys.ts';
import type { Session } from '../../../services/sessions.ts';
import { type SessionsService, sameToken, sessionsService } from '../../../services/sessions.ts';
import { HttpError } from '../../errors.ts';
import { CSRF_HEADER, SAFE_METHODS, sessionToken } from '../../session-cookie.ts';

declare module 'fastify' {
  interface FastifyInstance {
    keys: KeysService;
    sessions: SessionsService;
    /**
     * An onRequest hook letting through keys with at least `role`: 400 with several
     * Authorization headers, 401 without a valid key, 429 when the client address has failed
     * too often (COSTCAST_AUTH_FAILURES_PER_MINUTE), 403 below the role. Without an
     * Authorization header, a browser session's cookie stands for its key (401 when the
     * session has ended), and a write made with it needs the session's CSRF token (403).
     */
    authorize: (role: Role) => (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Why the authorize hook refused this request, for the audit trail; null otherwise. */
    authRefusal: AuthRefusal | null;
    /** The browser session the request was let through with, if not a key. */
    session: Session | null;
  }
}

/** Why a request was refused by `authorize`: never the credential, at most the key it named. */
export interface AuthRefusal {
  readonly reason:
    | 'several_authorization_headers'
    | 'no_key'
    | 'not_bearer'
    | 'unknown_or_revoked_key'
    | 'throttled'
    | 'session_ended'
    | 'csrf'
    | 'role';
  /** The key, when it was valid but below the role. */
  readonly principal?: Principal;
  /** The role the route needs, on a `role` refusal. */
  readonly needs?: Role;
}

/**
 * The key that let `req` through: for handlers of routes whose onRequest is
 * `app.authorize(…)`. A route without that hook reading it is a bug (an internal error).
 */
export function principalOf(req: FastifyRequest): Principal {
  if (req.principal === null)
    throw new Error(
      `${req.method} ${req.routeOptions.url} reads the caller's key but no authorize hook ran`,
    );
  return req.principal;
}

const BEARER = /^Bearer\s+(\S{1,300})\s*$/i;

/** How many Authorization headers the request has (Node keeps only the first in `headers`). */
function authorizationHeaders(raw: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === 'authorization') n++;
  return n;
}

async function authPlugin(app: FastifyInstance) {
  const keys = keysService(app.store.db);
  const throttle = authThrottle({ perMinute: app.config.limits.authFailuresPerMinute });
  const sessions = sessionsService(app.store.db, keys, {
    lifetimeMs: app.config.sessionHours * 3_600_000,
  });
  app.decorate('keys', keys);
  app.decorate('sessions', sessions);
  app.decorateRequest('principal', null);
  app.decorateRequest('authRefusal', null);
  app.decorateRequest('session', null);
  app.decorate('authorize', (role: Role) => async (req: FastifyRequest, reply: FastifyReply) => {
    const count = authorizationHeaders(req.raw.rawHeaders);
    if (count > 1) {
      req.authRefusal = { reason: 'several_authorization_headers' };
      throw new HttpError(
        400,
        'bad_request',
        `the request has ${count} Authorization headers, which is ambiguous; send one`,
      );
    }
    const header = req.headers.authorization;
    const cookie = header ? undefined : sessionToken(req.headers.cookie);
    if (cookie !== undefined) {
      const session = await sessions.verify(cookie);
      if (!session) {
        req.authRefusal = { reason: 'session_ended' };
        throw new HttpError(401, 'unauthorized', 'your session has ended: sign in again');
      }
      if (!SAFE_METHODS.has(req.method)) {
        const csrf = req.headers[CSRF_HEADER];
        if (typeof csrf !== 'string' || !sameToken(csrf, session.csrfToken)) {
          req.authRefusal = { reason: 'csrf', principal: session.principal };
          throw new HttpError(
            403,
            'forbidden',
            'this write is made with a session cookie but without its CSRF token (X-CSRF-Token header)',
          );
        }
      }
      if (!atLeast(session.principal.role, role)) {
        req.authRefusal = { reason: 'role', principal: session.principal, needs: role };
        throw new HttpError(
          403,
          'forbidden',
          `this needs the ${role} role or above; the key has ${session.principal.role}`,
        );
      }
      req.principal = session.principal;
      req.session = session;
      return;
    }
    if (!header) {
      req.authRefusal = { reason: 'no_key' };
      throw new HttpError(
        401,
        'unauthorized',
        'an API key is required: Authorization: Bearer <key>',
      );
    }
    const bearer = BEARER.exec(header)?.[1];
    // Only a hash of the credential is kept, never the credential itself.
    const hash = hashKey(bearer ?? header);
    const group = addressGroup(req.ip);
    const wait = throttle.blocked(group, hash);
    if (wait !== null) {
      req.authRefusal = { reason: 'throttled' };
      reply.header('retry-after', String(wait));
      throw new HttpError(
        429,
        'rate_limited',
        `too many failed authentications from this address; retry in ${wait} s`,
      );
    }
    const principal = bearer !== undefined ? await keys.verify(bearer) : null;
    if (!principal) {
      const { failures, limitReached } = throttle.failed(group);
      const reason = bearer !== undefined ? 'unknown or revoked key' : 'not a bearer key';
      if (limitReached)
        req.log.warn(
          { clientAddress: req.ip, group, failures, windowSeconds: AUTH_WINDOW_MS / 1000 },
          `authentication failures throttled for ${group}: ${failures} in a minute`,
        );
      else
        req.log.info({ clientAddress: req.ip, group, failures, reason }, 'authentication failed');
      req.authRefusal = { reason: bearer !== undefined ? 'unknown_or_revoked_key' : 'not_bearer' };
      throw new HttpError(401, 'unauthorized', 'the API key is invalid or revoked');
    }
    throttle.succeeded(group, hash);
    if (!atLeast(principal.role, role)) {
      req.authRefusal = { reason: 'role', principal, needs: role };
      throw new HttpError(
        403,
        'forbidden',
        `this needs the ${role} role or above; the key has ${principal.role}`,
      );
    }
    req.principal = principal;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db', 'config'] });
