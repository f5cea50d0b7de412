import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import pg from 'pg';
import { repoPath } from './helper.ts';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the server wrote so far (JSON log lines and banners). */
  output(): string;
  /** Resolves when a line of output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9), then waits for the exit. */
  kill(): Promise<void>;
}

/** Node arguments that run the server from its TypeScript source. */
export const SOURCE_SERVER = ['--import', 'tsx', 'server/server.ts'];
/** Node arguments that run the bundle of `npm run build`, as `npm start` does. */
export const BUILT_SERVER = ['dist/server.js'];

/** `npm run build`: bundles the server, its compute worker and the CLI into dist/. */
export async function buildBundle(): Promise<void> {
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: repoPath('.') });
}

/** How many ports {@link startServer} tries when the one it picked was taken meanwhile. */
const PORT_ATTEMPTS = 5;

/**
 * Starts the server as a real process with the given environment (`node` with `args`, by
 * default from source), and waits until it answers GET /health with 200 and has said it listens
 * on its port. The port is picked free but only bound seconds later, when the server is up; on
 * a machine where other suites start servers and bind ports meanwhile, another process may
 * take it first. Then our server exits with EADDRINUSE — while a /health sent to that port may
 * be answered by the other process, which is why its own "Server listening" line is awaited too
 * — and a new port is tried.
 */
export async function startServer(
  env: Record<string, string>,
  opts: { timeoutMs?: number; args?: string[] } = {},
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(env, opts);
    if (started.ok) return started.proc;
    if (attempt >= PORT_ATTEMPTS) throw started.error;
  }
}

async function startOnce(
  env: Record<string, string>,
  { timeoutMs = 300_000, args = SOURCE_SERVER }: { timeoutMs?: number; args?: string[] },
): Promise<{ ok: true; proc: ServerProcess } | { ok: false; error: Error }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: repoPath('.'),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      COSTCAST_LOAD_FIXTURES: 'false',
      COSTCAST_RATE_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const proc: ServerProcess = {
    url,
    port,
    child,
    output: () => out,
    waitFor(pattern, ms = 300_000) {
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no output matching ${pattern} in ${ms} ms:\n${out.slice(-2000)}`)),
          ms,
        );
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  // Fastify's own line once it is bound to this port (LOG_LEVEL info or more verbose).
  const listening = new RegExp(`Server listening at http://127\\.0\\.0\\.1:${port}\\b`);
  const quiet = !['info', 'debug', 'trace'].includes(env['LOG_LEVEL'] ?? 'info');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const error = new Error(`the server exited with ${child.exitCode}:\n${out}`);
      return /EADDRINUSE/.test(out) ? { ok: false, error } : Promise.reject(error);
    }
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200 && (quiet || listening.test(out))) return { ok: true, proc };
    } catch {}
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`the server did not answer /health in ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A price-sheet CSV of `rows` valid rows, written to `path` without holding it in memory. */
export async function writeLargeCsv(path: string, rows: number, provider = 'Bulk'): Promise<void> {
  const out = createWriteStream(path);
  out.write('ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency,RegionId\r\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${provider},sku-${i},1M tokens,${(i % 997) / 100 + 0.01},USD,region-${i % 13}\r\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** A fresh database on the TEST_DATABASE_URL server: its URL, and how to drop it. */
export async function freshPostgres(
  url: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `costcast_e2e_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Runs the CLI as a user would (`npm run costcast -- …` is `tsx server/cli/main.ts …`), with
 * `env` over this process's environment; never throws on a non-zero exit.
 */
export async function runCli(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const cli = [process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args]] as const;
    const { stdout, stderr } = await promisify(execFile)(...cli, {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
