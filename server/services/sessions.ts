import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { KeysService, Principal } from './keys.ts';

/**
 * Browser sessions: a person signs in with an API key once and the browser holds a random
 * session token in an httpOnly cookie, never the key. Sessions are server-side, in the
 * `sessions` table (by the sha256 of the token; the token itself is not stored), so every
 * instance sharing a PostgreSQL database knows them, a restart keeps them, and
 * signing out ends them everywhere. A session ends at the first of: its expiry (absolute,
 * from sign-in), signing out, and the revocation of the key it was opened with (checked on
 * every request, within {@link SESSION_CACHE_MS} on other instances).
 *
 * Each session has its own CSRF token, given to the page in the sign-in answer and in
 * GET /v1/session (never in a cookie); a write made with the cookie must send it back in the
 * `X-CSRF-Token` header.
 */
export interface Session {
  readonly principal: Principal;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** What the `sessions` table holds for a session, as this service uses it. */
interface StoredSession {
  readonly keyId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** Sessions verified on this instance are remembered this long (as keys are: KEY_CACHE_MS). */
export const SESSION_CACHE_MS = 1000;
const CACHE_MAX = 1000;

/**
 * The stored form of a session token: its sha256, hex.
 * @example sessionTokenHash('abc') //=> "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export const sessionTokenHash = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Whether two tokens are equal, in time that does not depend on where they differ.
 * @example sameToken('abc', 'abc') //=> true
 */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type SessionsService = ReturnType<typeof sessionsService>;

export function sessionsService(
  db: Kysely<Database>,
  keys: KeysService,
  opts: { readonly lifetimeMs: number; readonly now?: () => number },
) {
  const clock = opts.now ?? (() => Date.now());
  /** Stored sessions read lately: the key's revocation is checked on every use all the same. */
  const cache = new Map<string, { stored: StoredSession; until: number }>();

  function remember(key: string, stored: StoredSession, now: number) {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, { stored, until: now + SESSION_CACHE_MS });
  }

  async function read(key: string, now: number): Promise<StoredSession | null> {
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.stored;
    cache.delete(key);
    const row = await db
      .selectFrom('sessions')
      .select(['key_id', 'csrf_token', 'expires_at'])
      .where('token_hash', '=', key)
      .executeTakeFirst();
    if (!row) return null;
    const stored: StoredSession = {
      keyId: row.key_id,
      csrfToken: row.csrf_token,
      expiresAt: new Date(row.expires_at).toISOString(),
    };
    remember(key, stored, now);
    return stored;
  }

  return {
    /** Opens a session for a verified key: the cookie's token and the session. */
    async open(principal: Principal): Promise<{ token: string; session: Session }> {
      const token = randomBytes(32).toString('base64url');
      const now = clock();
      const stored: StoredSession = {
        keyId: principal.keyId,
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: new Date(now + opts.lifetimeMs).toISOString(),
      };
      // Sessions past their expiry are dropped as new ones open.
      await db.deleteFrom('sessions').where('expires_at', '<=', new Date(now)).execute();
      await db
        .insertInto('sessions')
        .values({
          token_hash: sessionTokenHash(token),
          key_id: stored.keyId,
          csrf_token: stored.csrfToken,
          expires_at: new Date(stored.expiresAt),
        })
        .execute();
      return {
        token,
        session: { principal, csrfToken: stored.csrfToken, expiresAt: stored.expiresAt },
      };
    },

    /** The live session of a token, or null (unknown, expired, signed out, key revoked). */
    async verify(token: string): Promise<Session | null> {
      if (!TOKEN.test(token)) return null;
      const now = clock();
      const stored = await read(sessionTokenHash(token), now);
      if (!stored || !(Date.parse(stored.expiresAt) > now)) return null;
      // The key's own check: a revoked key ends its sessions (keys.ts caches it for a second).
      const principal = await keys.principalOf(stored.keyId);
      if (!principal) return null;
      return { principal, csrfToken: stored.csrfToken, expiresAt: stored.expiresAt };
    },

    /** Ends a session (signing out); nothing happens for an unknown token. */
    async close(token: string): Promise<void> {
      const key = sessionTokenHash(token);
      cache.delete(key);
      await db.deleteFrom('sessions').where('token_hash', '=', key).execute();
    },
  };
}
