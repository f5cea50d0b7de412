import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { loadInputs } from '../../server/cli/load-inputs.ts';
import type { ComputePool } from '../../server/compute/pool.ts';
import { type Config, loadConfig } from '../../server/config.ts';
import {
  type Database,
  migrate,
  openPglite,
  openStore,
  type Store,
} from '../../server/db/index.ts';
import { ROLES, type Role } from '../../server/db/schema.ts';
import { buildApp } from '../../server/http/app.ts';

/** A database the tests run against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export interface Backend {
  readonly name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty database, and how to get rid of it. */
  readonly open: () => Promise<{ store: Store; dispose: () => Promise<void> }>;
}

const root = new URL('../..', import.meta.url);
/** An absolute path from a path relative to the repository root. */
export const repoPath = (path: string) => new URL(path, root).pathname;

let template: Promise<Blob> | undefined;

/**
 * A migrated, empty PGlite data directory, dumped once and cached in the temp directory:
 * initialising a cluster takes seconds, loading a dump about one.
 */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const key = createHash('sha256')
      .update(readFileSync(repoPath('server/db/migrations.ts')))
      .update(readFileSync(repoPath('node_modules/@electric-sql/pglite/package.json')))
      .digest('hex')
      .slice(0, 16);
    const dir = join(tmpdir(), 'costcast-tests');
    const file = join(dir, `pglite-${key}.tar`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      const lite = await PGlite.create({});
      const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
      await migrate(db);
      const dump = await lite.dumpDataDir('none');
      await lite.close();
      await mkdir(dir, { recursive: true });
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    }
  })();
  return template;
}

const pglite: Backend = {
  name: 'pglite',
  async open() {
    const store = await openPglite({ dir: null, loadDataDir: await pgliteTemplate() });
    return { store, dispose: async () => {} };
  },
};

/** A database of its own on the TEST_DATABASE_URL server, dropped afterwards. */
function postgres(url: string): Backend {
  return {
    name: 'postgres',
    async open() {
      const name = `costcast_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${name}`;
      const store = await openStore({ kind: 'postgres', url: dbUrl.toString() });
      await migrate(store.db);
      return {
        store,
        async dispose() {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    },
  };
}

/** PGlite, and PostgreSQL when TEST_DATABASE_URL is set (CI sets it). */
export const backends: readonly Backend[] = process.env['TEST_DATABASE_URL']
  ? [pglite, postgres(process.env['TEST_DATABASE_URL'])]
  : [pglite];

export const pgliteBackend = pglite;

/** The configuration of a test app: quiet, no rate limit or auth throttle unless asked, no fixtures. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({
    LOG_LEVEL: 'silent',
    COSTCAST_RATE_LIMIT: '0',
    COSTCAST_AUTH_FAILURES_PER_MINUTE: '0',
    COSTCAST_LOAD_FIXTURES: 'false',
  });
  return { ...base, ...overrides, limits: { ...base.limits, ...overrides.limits } };
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: Store;
  /** One API key per role. */
  readonly keys: Readonly<Record<Role, string>>;
  readonly close: () => Promise<void>;
}

/** Builds the app on a fresh database with one key per role; `close` tears everything down. */
export async function buildTestApp(
  opts: { backend?: Backend; config?: Partial<Config>; compute?: ComputePool } = {},
): Promise<TestApp> {
  const { store, dispose } = await (opts.backend ?? pglite).open();
  const app = await buildApp({ config: testConfig(opts.config), store, compute: opts.compute });
  const keys = Object.fromEntries(
    await Promise.all(
      ROLES.map(async (role) => [role, (await app.keys.create(`test ${role}`, role, null)).key]),
    ),
  ) as Record<Role, string>;
  return {
    app,
    store,
    keys,
    async close() {
      await app.close();
      await store.close();
      await dispose();
    },
  };
}

/** The Authorization header of a key. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A multipart/form-data body with fields and one file, for `app.inject`. */
export function multipart(
  fields: Record<string, string>,
  file?: { field?: string; name: string; type?: string; content: Buffer | string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----costcast${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A fixture file's bytes. */
export const fixture = (path: string) => readFileSync(repoPath(path));

/**
 * Uploads the bank-ma sample's price sheets (each for the quarter its file name says) with
 * a finance key, and returns their version ids in file-name order.
 */
export async function uploadBankSheets(app: FastifyInstance, financeKey: string) {
  const ids: string[] = [];
  for (const f of readdirSync(repoPath('fixtures/bank-ma/prices')).sort()) {
    const [, year, q] = /(\d{4})Q(\d)/.exec(f) ?? [];
    const r = await app.inject({
      method: 'POST',
      url: `/v1/price-sheets?quarter=${year}-Q${q}&fileName=${f}`,
      headers: {
        ...bearer(financeKey),
        'content-type': f.endsWith('.json') ? 'application/json' : 'text/csv',
      },
      payload: fixture(`fixtures/bank-ma/prices/${f}`),
    });
    if (r.statusCode !== 201) throw new Error(`uploading ${f}: ${r.statusCode} ${r.body}`);
    ids.push(r.json().id);
  }
  return ids;
}

/** The bank-ma sample's files, loaded as the CLI loads them. */
export async function loadBankInputs() {
  const dir = repoPath('fixtures/bank-ma/');
  const inputs = await loadInputs({
    assumptions: `${dir}assumptions.json`,
    scenarios: `${dir}scenarios.json`,
    prices: readdirSync(`${dir}prices`).map((f) => `${dir}prices/${f}`),
  });
  if (!inputs.ok) throw new Error(JSON.stringify(inputs.issues));
  return inputs.value;
}
