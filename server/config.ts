import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_STALE_AFTER_QUARTERS, MAX_STALE_AFTER_QUARTERS } from '../models/freshness.ts';
import { keyWeakness } from './services/keys.ts';

/** Where the data lives: embedded PGlite (a directory, or memory for tests) or PostgreSQL. */
export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dir: string | null }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Limits {
  /** Largest JSON request body, in bytes. */
  readonly jsonBodyBytes: number;
  /** Largest price-sheet upload, in bytes. */
  readonly uploadBytes: number;
  /** Most price rows in one sheet. */
  readonly maxRows: number;
  /** Requests per minute per client address; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /**
   * Failed authentications per minute per client address before that address's unknown keys
   * get 429; 0 turns the throttle off.
   */
  readonly authFailuresPerMinute: number;
}

export interface ComputeConfig {
  /** The most work units one request may need (server/compute/cost.ts). */
  readonly budget: number;
  /** Requests needing at most this many units run on the light lane. */
  readonly lightUnits: number;
  /** Threads of the light lane (0: no light lane, every request shares the threads). */
  readonly lightThreads: number;
  /** Computations admitted at once, in all and per API key. */
  readonly queue: number;
  readonly queuePerKey: number;
  /** Seconds from admission after which a computation is stopped. */
  readonly deadlineSeconds: number;
}

/** The service's configuration, validated once at boot. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  /** Bootstrap admin key; without it one is generated on first start and printed once. */
  readonly adminKey: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly limits: Limits;
  /** Load fixtures/bank-ma into an empty database on first start. */
  readonly loadFixtures: boolean;
  /** Worker threads computing forecasts and what-ifs; 0 computes on the main thread. */
  readonly computeThreads: number;
  /** Seconds a compute thread may idle before it stops (0: threads start at once and stay). */
  readonly computeIdleSeconds: number;
  /** How much compute one request, one key and everyone may have (server/compute/scheduler.ts). */
  readonly compute: ComputeConfig;
  /**
   * A price sheet is stale when more than this many quarters older than the forecast's as-of
   * quarter (listings: than the current or `?asOf=` quarter); a forecast may set its own.
   */
  readonly staleAfterQuarters: number;
  /** Hours a browser session lasts from sign-in (services/sessions.ts). */
  readonly sessionHours: number;
  /**
   * Whether the session cookie is marked Secure: always (true: HTTPS ends at a proxy in front),
   * or when the request itself came over HTTPS ('auto', the default).
   */
  readonly secureCookie: true | 'auto';
  /** The built web interface (`npm run build:web`): index.html and assets/. */
  readonly webDir: string;
}

const MB = 1024 * 1024;

/** An unset or blank variable is absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

const whole = (min: number, max: number, fallback: number) =>
  optional(
    z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  ).transform((v) => v ?? fallback);

const envSchema = z.object({
  PORT: whole(0, 65_535, 3000),
  HOST: optional(z.string().trim()).transform((v) => v ?? '127.0.0.1'),
  DATA_DIR: optional(z.string().trim()).transform((v) => v ?? './data'),
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL'),
  ),
  COSTCAST_ADMIN_KEY: optional(
    z
      .string()
      .trim()
      .superRefine((key, ctx) => {
        const weakness = keyWeakness(key);
        if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
      }),
  ),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  ).transform((v) => v ?? 'info'),
  COSTCAST_UPLOAD_LIMIT_MB: whole(1, 2047, 256),
  COSTCAST_BODY_LIMIT_MB: whole(1, 100, 4),
  COSTCAST_MAX_ROWS: whole(1, 10_000_000, 1_000_000),
  COSTCAST_RATE_LIMIT: whole(0, 10_000_000, 600),
  COSTCAST_AUTH_FAILURES_PER_MINUTE: whole(0, 1_000_000, 20),
  COSTCAST_LOAD_FIXTURES: optional(z.enum(['true', 'false', '1', '0'])).transform(
    (v) => v === undefined || v === 'true' || v === '1',
  ),
  COSTCAST_COMPUTE_THREADS: whole(0, 256, availableParallelism()),
  COSTCAST_COMPUTE_IDLE_SECONDS: whole(0, 86_400, 60),
  COSTCAST_COMPUTE_BUDGET: whole(1_000_000, 1e15, 2_000_000_000),
  COSTCAST_COMPUTE_LIGHT_UNITS: whole(0, 1e15, 20_000_000),
  COSTCAST_COMPUTE_LIGHT_THREADS: whole(0, 64, 1),
  COSTCAST_COMPUTE_QUEUE: whole(1, 100_000, 32),
  COSTCAST_COMPUTE_QUEUE_PER_KEY: whole(1, 100_000, 4),
  COSTCAST_COMPUTE_DEADLINE_SECONDS: whole(1, 86_400, 120),
  COSTCAST_STALE_AFTER_QUARTERS: whole(0, MAX_STALE_AFTER_QUARTERS, DEFAULT_STALE_AFTER_QUARTERS),
  COSTCAST_SESSION_HOURS: whole(1, 720, 8),
  COSTCAST_WEB_DIR: optional(z.string().trim()),
  COSTCAST_SECURE_COOKIE: optional(z.enum(['true', 'auto'])).transform((v) =>
    v === 'true' ? true : 'auto',
  ),
});

/** Where `npm run build:web` writes the web interface: dist/web beside server/ and dist/. */
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the environment into a typed configuration, or throws a {@link ConfigError} listing
 * every bad variable.
 * @example loadConfig({ PORT: '8080' }).port //=> 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      `invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dir: resolve(dataDir, 'pglite') },
    adminKey: e.COSTCAST_ADMIN_KEY,
    logLevel: e.LOG_LEVEL,
    limits: {
      jsonBodyBytes: e.COSTCAST_BODY_LIMIT_MB * MB,
      uploadBytes: e.COSTCAST_UPLOAD_LIMIT_MB * MB,
      maxRows: e.COSTCAST_MAX_ROWS,
      rateLimitPerMinute: e.COSTCAST_RATE_LIMIT,
      authFailuresPerMinute: e.COSTCAST_AUTH_FAILURES_PER_MINUTE,
    },
    loadFixtures: e.COSTCAST_LOAD_FIXTURES,
    computeThreads: e.COSTCAST_COMPUTE_THREADS,
    computeIdleSeconds: e.COSTCAST_COMPUTE_IDLE_SECONDS,
    compute: {
      budget: e.COSTCAST_COMPUTE_BUDGET,
      lightUnits: e.COSTCAST_COMPUTE_LIGHT_UNITS,
      lightThreads: e.COSTCAST_COMPUTE_LIGHT_THREADS,
      queue: e.COSTCAST_COMPUTE_QUEUE,
      queuePerKey: e.COSTCAST_COMPUTE_QUEUE_PER_KEY,
      deadlineSeconds: e.COSTCAST_COMPUTE_DEADLINE_SECONDS,
    },
    staleAfterQuarters: e.COSTCAST_STALE_AFTER_QUARTERS,
    sessionHours: e.COSTCAST_SESSION_HOURS,
    secureCookie: e.COSTCAST_SECURE_COOKIE,
    webDir: e.COSTCAST_WEB_DIR ? resolve(e.COSTCAST_WEB_DIR) : DEFAULT_WEB_DIR,
  };
}

/** Where a database config points, with any password hidden, for logs. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.kind === 'pglite') return db.dir ? `PGlite in ${db.dir}` : 'PGlite in memory';
  try {
    const url = new URL(db.url);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}
