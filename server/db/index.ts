import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { workerExecArgv } from '../compute/worker-argv.ts';
import type { DatabaseConfig } from '../config.ts';
import { lockFile } from './lock.ts';
import { migrationProvider } from './migrations.ts';
import { pgliteFailure } from './pglite-errors.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';

/** An open database: the query layer, which engine is behind it, and how to close it. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseConfig['kind'];
  /** Closes the pool or the embedded database. */
  readonly close: () => Promise<void>;
}

/**
 * PGlite keeps Postgres' buffers in its own WebAssembly memory, where they stay once touched.
 * 16 MB keeps the process small (the default is 128 MB; 32 MB added about 25 MB to the peak
 * of a 1M-row upload, no faster) and is plenty for one service, whose reads are whole
 * versions or pages of them.
 */
const PGLITE_CONF = 'shared_buffers=16MB';

/** PostgreSQL's type oid of `text`. */
const TEXT_OID = 25;

/**
 * How PGlite sends a `text` parameter: as given, and UTF-8 bytes in binary format (what
 * node-postgres does with bytes too). PGlite's own serializer takes only strings, and then
 * measures and encodes them character by character in JavaScript: a third of the main
 * thread's time when a block of price rows (a few hundred kB of JSON) is stored.
 */
function serializeText(value: unknown): string | Uint8Array {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  if (typeof value === 'number') return String(value);
  throw new Error(
    `a text parameter must be a string, a number or UTF-8 bytes, not ${typeof value}`,
  );
}

/** The cluster-creating script next to this module (see `WORKER` in compute/pool.ts). */
const PGLITE_INIT = new URL(
  import.meta.url.endsWith('.ts') ? './pglite-init.ts' : './pglite-init.js',
  import.meta.url,
);

/**
 * Creates a PGlite cluster in `dataDir` in a process of its own, so that the memory initdb
 * takes (about 700 MB) goes when that process ends rather than staying with the service.
 */
async function createCluster(dataDir: string): Promise<void> {
  const child = fork(fileURLToPath(PGLITE_INIT), [dataDir, PGLITE_CONF], {
    execArgv: workerExecArgv(PGLITE_INIT),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (code !== 0)
    throw new Error(
      `creating the PGlite database in ${dataDir} failed (${signal ?? `exit ${code}`})${stderr ? `:\n${stderr.trim()}` : ''}`,
    );
}

/** Opens PGlite (in a directory, or in memory) or a PostgreSQL pool, with one query layer. */
export async function openStore(config: DatabaseConfig): Promise<Store> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: 10,
      connectionTimeoutMillis: 10_000,
    });
    // A broken idle connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      close: () => db.destroy(),
    };
  }
  return openPglite({ dir: config.dir });
}

/**
 * Opens PGlite in a directory (created if needed) or in memory; `loadDataDir` starts it from
 * a dump (`dumpDataDir()`), which is much faster than initialising a new cluster.
 */
export async function openPglite(opts: {
  readonly dir: string | null;
  readonly loadDataDir?: Blob;
}): Promise<Store> {
  let unlock = async () => {};
  if (opts.dir) {
    await mkdir(opts.dir, { recursive: true });
    unlock = await lockFile(`${opts.dir}.lock`, `the PGlite database in ${opts.dir}`);
  }
  let lite: PGlite;
  try {
    if (opts.dir && !opts.loadDataDir && !existsSync(join(opts.dir, 'PG_VERSION')))
      await createCluster(opts.dir);
    lite = await PGlite.create({
      ...(opts.dir ? { dataDir: opts.dir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      postgresqlconf: PGLITE_CONF,
      // PGlite's types say a serializer returns a string; its bind sends byte views as binary.
      serializers: { [TEXT_OID]: serializeText as (value: unknown) => string },
    }).catch((e: unknown) => {
      throw new Error(
        `opening the PGlite database in ${opts.dir ?? 'memory'} failed: ${pgliteFailure(e)}`,
        { cause: e },
      );
    });
  } catch (e) {
    await unlock();
    throw e;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await unlock();
    },
  };
}

/** Advisory lock key for migrations ("ccmg" in ASCII). */
const MIGRATION_LOCK = 0x63636d67;

/**
 * Brings the schema up to date. Runs under a session advisory lock so that several instances
 * starting together against one PostgreSQL migrate one after the other.
 */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      const { error, results } = await new Migrator({
        db: conn,
        provider: migrationProvider,
      }).migrateToLatest();
      if (error) throw error;
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}

/** Whether the database answers within `timeoutMs`. */
export async function ping(db: Kysely<Database>, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([sql`SELECT 1`.execute(db).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
