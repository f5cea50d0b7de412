import type { FastifyRequest } from 'fastify';

/** The cookie that carries a browser session's token (services/sessions.ts). */
export const SESSION_COOKIE = 'costcast_session';
/** The header a write made with the session cookie must carry its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The value of the session cookie in a Cookie header, or undefined. With several (a cookie
 * set for a parent path too), the first is taken, as browsers send the most specific first.
 * @example sessionToken('a=1; costcast_session=abc; b=2') //=> "abc"
 */
export function sessionToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the cookie is Secure: always when configured so, else when the request came over HTTPS. */
const overHttps = (req: FastifyRequest) =>
  req.server.config.secureCookie === true || req.protocol === 'https';

/**
 * The Set-Cookie value of a session: httpOnly (no script reads it), SameSite=Strict (no other
 * site's page sends it), for the whole site, Secure over HTTPS (COSTCAST_SECURE_COOKIE=true
 * when HTTPS ends at a proxy in front of the service).
 */
export function sessionCookie(req: FastifyRequest, token: string, maxAgeSeconds: number): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(overHttps(req) ? ['Secure'] : []),
  ].join('; ');
}

/** The Set-Cookie value that removes the session cookie (signing out). */
export function clearedSessionCookie(req: FastifyRequest): string {
  return sessionCookie(req, '', 0);
}

/** Methods that change nothing, which need no CSRF token. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
