import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import { type Database, ROLES, type Role } from '../db/schema.ts';

/** Who is calling: the API key's id, name and role. */
export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
}

export interface KeyInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  /** When the key (or a session opened with it) was last used, to within a minute. */
  readonly lastUsedAt: string | null;
}

/** A new key: its details and the secret, shown once. */
export interface NewKey extends KeyInfo {
  readonly key: string;
}

export const KEY_PREFIX = 'cc_';

/**
 * A new random API key: `cc_` and 32 random bytes in base64url.
 * @example generateKey() //=> "cc_Q2hhbmdlIG1lIGFuZCBrZWVwIG1lIHNlY3JldCE…"
 */
export const generateKey = (): string => KEY_PREFIX + randomBytes(32).toString('base64url');

/** sha256 of a key, hex: what the database keeps instead of the key. */
export const hashKey = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Whether `role` may do what `minimum` may.
 * @example atLeast('finance', 'analyst') //=> true
 */
export const atLeast = (role: Role, minimum: Role): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(minimum);

/**
 * Verified keys are remembered this long: a key revoked on another instance sharing the
 * PostgreSQL database stops working here within it (on the revoking instance at once). A
 * second costs one indexed lookup per key per second per instance.
 */
export const KEY_CACHE_MS = 1000;
const CACHE_MAX = 1000;
/**
 * A key's last use is written at most this often per key and instance (and not at all while
 * the stored time is more recent): the Keys page says when a key was last used to within a
 * minute, for one UPDATE per active key per minute.
 */
export const USED_RESOLUTION_MS = 60_000;
/** Advisory lock key for key bootstrap and revocation ("ccky" in ASCII). */
const BOOTSTRAP_LOCK = 0x63636b79;

const info = (r: {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}): KeyInfo => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

export type KeysService = ReturnType<typeof keysService>;

/** The name of the key COSTCAST_ADMIN_KEY makes. */
export const ENV_ADMIN_KEY_NAME = 'bootstrap admin (COSTCAST_ADMIN_KEY)';

/** Fewest bits a user-chosen key must carry, by the estimate of {@link keyWeakness}. */
export const MIN_KEY_BITS = 128;

const KEY_CLASSES = [
  { name: 'lowercase letters', test: /[a-z]/, size: 26 },
  { name: 'uppercase letters', test: /[A-Z]/, size: 26 },
  { name: 'digits', test: /[0-9]/, size: 10 },
  { name: 'symbols', test: /[^A-Za-z0-9]/, size: 33 },
] as const;

/**
 * Why a user-chosen key (COSTCAST_ADMIN_KEY) is too weak to accept, or null. It must be 24 to
 * 200 printable ASCII characters without spaces (it travels in an Authorization header), use
 * at least two character classes (lowercase, uppercase, digits, symbols) and ten different
 * characters, and carry at least {@link MIN_KEY_BITS} bits when each character counts as
 * log2 of the classes it draws from (a 44-character `openssl rand -base64 32` carries about
 * 260, 64 hex digits about 330). The message never repeats the key.
 * @example keyWeakness('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') //=> "uses only lowercase letters…"
 */
export function keyWeakness(key: string): string | null {
  const hint = 'generate one with `openssl rand -base64 32`';
  if (key.length < 24) return `must be at least 24 characters (it has ${key.length}); ${hint}`;
  if (key.length > 200) return `must be at most 200 characters (it has ${key.length})`;
  if (!/^[\x21-\x7e]+$/.test(key))
    return 'must be printable ASCII without spaces or control characters (it is sent in an Authorization header)';
  const used = KEY_CLASSES.filter((c) => c.test.test(key));
  if (used.length < 2)
    return `uses only ${used.map((c) => c.name).join(', ')}: mix at least two of lowercase letters, uppercase letters, digits and symbols; ${hint}`;
  const distinct = new Set(key).size;
  if (distinct < 10)
    return `has only ${distinct} different characters (at least 10 needed): it is too repetitive; ${hint}`;
  const pool = used.reduce((n, c) => n + c.size, 0);
  const bits = Math.floor(key.length * Math.log2(pool));
  if (bits < MIN_KEY_BITS)
    return `is too weak: ${key.length} characters of ${used.map((c) => c.name).join(', ')} carry about ${bits} bits, at least ${MIN_KEY_BITS} needed; make it longer or ${hint}`;
  return null;
}

/** API keys: stored as sha256 hashes, checked in constant time, with roles. */
export function keysService(db: Kysely<Database>, opts: { readonly now?: () => number } = {}) {
  const clock = opts.now ?? (() => Date.now());
  /** When this instance last wrote each key's use. */
  const written = new LRUCache<string, number>({ max: CACHE_MAX });
  /** Records a key's use (see {@link USED_RESOLUTION_MS}); the request goes on if it fails. */
  const used = async (keyId: string, now: number) => {
    const last = written.get(keyId);
    if (last !== undefined && now - last < USED_RESOLUTION_MS) return;
    written.set(keyId, now);
    await db
      .updateTable('api_keys')
      .set({ last_used_at: new Date(now) })
      .where('id', '=', keyId)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<=', new Date(now - USED_RESOLUTION_MS)),
        ]),
      )
      .execute()
      .catch(() => written.delete(keyId));
  };
  /**
   * Verified keys, at most CACHE_MAX (the least recently used going first). lru-cache's ttl,
   * on the same clock, drops expired entries; `until` decides a hit, because lru-cache counts an
   * entry exactly `ttl` old as fresh (and one set at time 0 as never expiring), while a key is
   * remembered for [verified, verified + KEY_CACHE_MS) only.
   */
  const cache = new LRUCache<string, { principal: Principal; until: number }>({
    max: CACHE_MAX,
    ttl: KEY_CACHE_MS,
    ttlResolution: 0,
    perf: { now: clock },
  });

  async function insert(
    name: string,
    role: Role,
    key: string,
    createdBy: string | null,
  ): Promise<NewKey> {
    const row = await db
      .insertInto('api_keys')
      .values({
        id: randomUUID(),
        name,
        role,
        key_hash: hashKey(key),
        prefix: key.slice(0, 10),
        created_by: createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...info(row), key };
  }

  return {
    /** Creates a key; the secret is in the answer and nowhere else. */
    create(name: string, role: Role, createdBy: string | null): Promise<NewKey> {
      return insert(name, role, generateKey(), createdBy);
    },

    async list(): Promise<KeyInfo[]> {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(info);
    },

    /** Revokes a key; refuses to revoke the last active admin key. */
    async revoke(id: string): Promise<'revoked' | 'not_found' | 'last_admin'> {
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(trx);
        const key = await trx
          .selectFrom('api_keys')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        if (!key || key.revoked_at) return 'not_found';
        if (key.role === 'admin') {
          const { n } = await trx
            .selectFrom('api_keys')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('role', '=', 'admin')
            .where('revoked_at', 'is', null)
            .executeTakeFirstOrThrow();
          if (Number(n) <= 1) return 'last_admin';
        }
        await trx
          .updateTable('api_keys')
          .set({ revoked_at: new Date() })
          .where('id', '=', id)
          .execute();
        cache.clear();
        return 'revoked';
      });
    },

    /** The principal of a key, or null when the key is unknown or revoked. */
    async verify(key: string): Promise<Principal | null> {
      const hash = hashKey(key);
      const now = clock();
      const hit = cache.get(hash);
      if (hit && hit.until > now) return hit.principal;
      const row = await db
        .selectFrom('api_keys')
        .select(['id', 'name', 'role', 'key_hash'])
        .where('key_hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex')))
        return null;
      const principal: Principal = { keyId: row.id, name: row.name, role: row.role };
      cache.set(hash, { principal, until: now + KEY_CACHE_MS });
      await used(row.id, now);
      return principal;
    },

    /**
     * The principal of an active key by its id, or null when it is unknown or revoked: how a
     * browser session (services/sessions.ts) checks the key it was opened with on every use.
     * Cached like {@link verify}, and the cache cleared at once by a revocation here.
     */
    async principalOf(keyId: string): Promise<Principal | null> {
      const cacheKey = `id:${keyId}`;
      const now = clock();
      const hit = cache.get(cacheKey);
      if (hit && hit.until > now) return hit.principal;
      const row = await db
        .selectFrom('api_keys')
        .select(['id', 'name', 'role'])
        .where('id', '=', keyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      const principal: Principal = { keyId: row.id, name: row.name, role: row.role };
      cache.set(cacheKey, { principal, until: now + KEY_CACHE_MS });
      await used(row.id, now);
      return principal;
    },

    /**
     * Makes sure an admin can get in. With `adminKey` (COSTCAST_ADMIN_KEY), that key is an
     * admin key. Without it, when no active admin key exists (first start), one is generated
     * and returned — the caller prints it once. Safe when several instances start together.
     */
    async bootstrap(adminKey: string | undefined): Promise<NewKey | null> {
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(trx);
        if (adminKey !== undefined) {
          await trx
            .insertInto('api_keys')
            .values({
              id: randomUUID(),
              name: ENV_ADMIN_KEY_NAME,
              role: 'admin',
              key_hash: hashKey(adminKey),
              // A user-chosen key keeps nothing in clear: only its hash can match it.
              prefix: '',
              created_by: null,
            })
            .onConflict((oc) => oc.column('key_hash').doNothing())
            .execute();
        }
        // Earlier versions kept the first 6 characters of COSTCAST_ADMIN_KEY: forget them.
        await trx
          .updateTable('api_keys')
          .set({ prefix: '' })
          .where('name', '=', ENV_ADMIN_KEY_NAME)
          .where('prefix', '<>', '')
          .execute();
        if (adminKey !== undefined) return null;
        const admin = await trx
          .selectFrom('api_keys')
          .select('id')
          .where('role', '=', 'admin')
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (admin) return null;
        const key = generateKey();
        const row = await trx
          .insertInto('api_keys')
          .values({
            id: randomUUID(),
            name: 'bootstrap admin',
            role: 'admin',
            key_hash: hashKey(key),
            prefix: key.slice(0, 10),
            created_by: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { ...info(row), key };
      });
    },
  };
}
