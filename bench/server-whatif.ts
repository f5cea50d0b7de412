// Service benchmark (issue 4): POST /v1/what-if on the sample model (fixtures/bank-ma) with
// autocannon over loopback, against a Fastify hello-world on the same machine.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { forecast } from '../models/forecast.ts';
import { loadInputs } from '../server/load-inputs.ts';
import { freePort, startServer } from '../tests/server/process.ts';
import { machine, ms, record, time } from './machine.ts';

const ADMIN = 'bench-admin-key-0123456789abcdefghij';
const DURATION = 15;
const CONNECTIONS = 10;

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function load(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** `--hello PORT`: a bare Fastify hello-world, the yardstick (run as its own process). */
async function hello(port: number) {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write('ready\n');
}

/** The engine alone computing the same what-if (draws 0), in this process: the floor per request. */
async function engineTime() {
  const dir = new URL('../fixtures/bank-ma/', import.meta.url).pathname;
  const { readdirSync } = await import('node:fs');
  const inputs = await loadInputs({
    assumptions: `${dir}assumptions.json`,
    scenarios: `${dir}scenarios.json`,
    prices: readdirSync(`${dir}prices`).map((f) => `${dir}prices/${f}`),
  });
  if (!inputs.ok) throw new Error('fixtures do not load');
  const { assumptions, sheets, scenarios } = inputs.value;
  return time(
    () =>
      forecast(assumptions, sheets, {
        draws: 0,
        sensitivity: false,
        ...(scenarios ? { scenarios } : {}),
      }),
    40,
    5,
  );
}

export async function run(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'costcast-bench-whatif-'));
  const server = await startServer({
    DATA_DIR: dir,
    COSTCAST_ADMIN_KEY: ADMIN,
    COSTCAST_LOAD_FIXTURES: 'true',
    // Rate limiting stays on, with a limit the benchmark does not reach.
    COSTCAST_RATE_LIMIT: '10000000',
    LOG_LEVEL: 'warn',
  });
  let whatIf: Load;
  let body: string;
  try {
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const list = (await (await fetch(`${server.url}/v1/forecasts`, { headers })).json()) as {
      items: { id: string; assumptionsId: string; priceSheets: { id: string }[] }[];
    };
    const sample = list.items[0]!;
    const detail = (await (
      await fetch(`${server.url}/v1/forecasts/${sample.id}`, { headers })
    ).json()) as {
      inputs: { scenarios: unknown };
    };
    body = JSON.stringify({
      assumptionsId: sample.assumptionsId,
      priceSheetIds: sample.priceSheets.map((s) => s.id),
      scenarios: detail.inputs.scenarios,
    });
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${server.url}/v1/what-if`, { method: 'POST', headers, body });
      if (r.status !== 200) throw new Error(`what-if answered ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
    }
    whatIf = await load({ url: `${server.url}/v1/what-if`, method: 'POST', headers, body });
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }

  const port = await freePort();
  const yardstick = spawn(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, '--hello', String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let helloLoad: Load;
  try {
    await once(yardstick.stdout!, 'data');
    helloLoad = await load({ url: `http://127.0.0.1:${port}/` });
  } finally {
    yardstick.kill('SIGTERM');
    await once(yardstick, 'exit');
  }
  const engine = await engineTime();

  const row = (what: string, l: Load, target: string) =>
    `| ${what} | ${Math.round(l.rps).toLocaleString('en-US')} | ${l.p50} ms | ${l.p99} ms | ${l.requests.toLocaleString('en-US')} | ${l.non2xx} | ${l.errors} | ${target} |`;
  const md = [
    '## Service — POST /v1/what-if (`bench/server-whatif.ts`)',
    '',
    `Machine: ${machine()}. Run: ${new Date().toISOString().slice(0, 10)}, \`npm run bench -- server-whatif\`.`,
    '',
    `autocannon (in the benchmark process), ${CONNECTIONS} connections, ${DURATION} s, loopback; the server is one \`node --import tsx server/server.ts\` process on PGlite with the sample loaded (LOG_LEVEL=warn, rate limiting on with a limit not reached). Body: the sample's stored assumption set, its 7 price-sheet versions and its 3 scenarios; Monte Carlo, tornado and grid off (the what-if defaults). Request body ${body.length} bytes.`,
    '',
    '| what | req/s | p50 | p99 | requests | non-2xx | errors | target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row('POST /v1/what-if, sample model', whatIf, '≥ 500 req/s, p99 ≤ 100 ms'),
    row('Fastify hello-world (GET /)', helloLoad, ''),
    '',
    `what-if / hello-world throughput: **${(whatIf.rps / helloLoad.rps).toFixed(4)}** (${(helloLoad.rps / Math.max(whatIf.rps, 0.001)).toFixed(0)}× slower). The engine alone computing the same forecast in one process: median ${ms(engine.median)}, p90 ${ms(engine.p90)} (${engine.runs} runs) — at most ${Math.floor(1000 / engine.median)} what-ifs per second per core before any HTTP, JSON or database work.`,
  ].join('\n');
  record('server-whatif', md);
  return md;
}

const argv = process.argv.slice(2);
if (argv[0] === '--hello') await hello(Number(argv[1]));
else if (
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))
)
  process.stdout.write(`${await run()}\n`);
