import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../../db/schema.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import { authErrors, security } from '../../schemas/common.ts';
import { clearedSessionCookie, sessionCookie, sessionToken } from '../../session-cookie.ts';

const whoSchema = z.object({
  keyId: z.uuid(),
  name: z.string().describe("the key's name"),
  role: z.enum(ROLES),
  via: z.enum(['session', 'key']).describe('a browser session (cookie) or an API key (Bearer)'),
  csrfToken: z
    .string()
    .nullable()
    .describe('with a session: send it in X-CSRF-Token on every write made with the cookie'),
  expiresAt: z.string().nullable().describe('with a session: when it ends'),
});

/**
 * /v1/session: the web interface's sign-in. POST with the key in the Authorization header
 * (once) opens a session held in an httpOnly cookie; GET says who is signed in; DELETE signs
 * out. The key itself never reaches the page's storage.
 */
const session: FastifyPluginAsyncZod = async (app) => {
  const viewer = app.authorize('viewer');
  const lifetimeSeconds = app.config.sessionHours * 3600;

  app.post(
    '/',
    {
      onRequest: viewer,
      schema: {
        tags: ['session'],
        summary: 'Sign in: open a browser session for the key in the Authorization header',
        description:
          'Answers with an httpOnly, SameSite=Strict cookie (Secure over HTTPS) and the session CSRF token. The session ends at its expiry (COSTCAST_SESSION_HOURS, default 8), at sign-out, or when the key is revoked.',
        security,
        response: { 201: whoSchema, ...authErrors },
      },
    },
    async (req, reply) => {
      const { token, session: opened } = await app.sessions.open(principalOf(req));
      return reply
        .code(201)
        .header('set-cookie', sessionCookie(req, token, lifetimeSeconds))
        .header('cache-control', 'no-store')
        .send({
          ...opened.principal,
          via: 'session',
          csrfToken: opened.csrfToken,
          expiresAt: opened.expiresAt,
        });
    },
  );

  app.get(
    '/',
    {
      onRequest: viewer,
      schema: {
        tags: ['session'],
        summary: 'Who is signed in (session cookie or API key), with what role',
        security,
        response: { 200: whoSchema, ...authErrors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      return reply.header('cache-control', 'no-store').send({
        ...principalOf(req),
        via: s ? 'session' : 'key',
        csrfToken: s?.csrfToken ?? null,
        expiresAt: s?.expiresAt ?? null,
      });
    },
  );

  app.delete(
    '/',
    {
      onRequest: viewer,
      schema: {
        tags: ['session'],
        summary: 'Sign out: end the browser session and remove its cookie',
        security,
        response: { 204: z.null(), ...authErrors },
      },
    },
    async (req, reply) => {
      const token = req.session ? sessionToken(req.headers.cookie) : undefined;
      if (token !== undefined) await app.sessions.close(token);
      return reply.code(204).header('set-cookie', clearedSessionCookie(req)).send(null);
    },
  );
};

export default session;
