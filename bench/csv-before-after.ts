// CSV ingest, this checkout against another (the code before a change), measured in turn —
// A B A B … — in the same run, so the machine's load hits both alike. Each sample runs in a
// fresh process. What is measured:
// - parse: parseCsvStream on a 1 000 000-row CSV (the server-ingest file), rows handed to a
//   handler that keeps nothing; and the same rows with every field quoted (the quote path);
// - long: the 20 MB shapes of bench/csv-long-line.ts (a header line that never ends, a data
//   line with one long cell);
// - server: the 1 000 000-row CSV uploaded to a real server (each checkout's dist/server.js,
//   built first) on PGlite, as bench/server-ingest.ts does; ports from BENCH_PORT (4300).
// Run: BENCH_BEFORE=/path/to/other/checkout npx tsx bench/csv-before-after.ts [pairs]
// (BENCH_AB=parse,long,server chooses; the other checkout needs its node_modules.)
import { execFile, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { writeLargeCsv } from '../tests/server/process.ts';

const exec = promisify(execFile);
const HERE = resolve(import.meta.dirname, '..');
const ADMIN = 'bench-admin-key-0123456789abcdefghij';
const MB = 1024 * 1024;
const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';

interface ProbeResult {
  readonly ms: number;
  /** CPU time of the process over the parse (user + system), less sensitive to the load. */
  readonly cpuMs: number;
  readonly answer: string;
}

/** In a child process: parse `file` with the checkout at `tree`, print the time and answer. */
async function probe(tree: string, file: string): Promise<void> {
  const ingest = (await import(join(tree, 'server/ingest/index.ts'))) as {
    parseCsvStream: (
      open: () => AsyncIterable<Uint8Array>,
      ctx: { file: string; maxRows: number },
      h: {
        onBatch: (b: { rows: readonly unknown[] }) => Promise<void>;
        onRestart: () => Promise<void>;
      },
    ) => Promise<unknown>;
  };
  let rows = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await ingest.parseCsvStream(
    () => createReadStream(file, { highWaterMark: 64 * 1024 }),
    { file: 'bench.csv', maxRows: 1_000_000 },
    {
      async onBatch(b) {
        rows += b.rows.length;
      },
      async onRestart() {
        rows = 0;
      },
    },
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const answer = JSON.stringify(r).slice(0, 300);
  process.stdout.write(JSON.stringify({ ms, cpuMs, answer: `${rows} rows; ${answer}` }));
}

async function runProbe(tree: string, file: string): Promise<ProbeResult> {
  const { stdout } = await exec(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'bench/csv-before-after.ts'), 'probe', tree, file],
    { cwd: HERE, maxBuffer: 16 * MB },
  );
  return JSON.parse(stdout) as ProbeResult;
}

/**
 * Starts a server of `tree` on `dataDir` and uploads `file` (none: only starts and stops it,
 * creating the database); the seconds from the first byte sent to the 201.
 */
async function serverRun(tree: string, dataDir: string, file: string | null, port: number) {
  const child = spawn(process.execPath, [join(tree, 'dist/server.js')], {
    cwd: tree,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      COSTCAST_LOAD_FIXTURES: 'false',
      COSTCAST_RATE_LIMIT: '0',
      COSTCAST_ADMIN_KEY: ADMIN,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) break;
      } catch {}
      if (i > 1200) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    if (file === null) return { seconds: 0, peakMb: 0 };
    const t0 = performance.now();
    const status = await new Promise<number>((ok, fail) => {
      const req = request(
        `http://127.0.0.1:${port}/v1/price-sheets?quarter=2026-Q3&fileName=bench.csv`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv' },
        },
      );
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode ?? 0));
      });
      req.on('error', fail);
      createReadStream(file).pipe(req);
    });
    const seconds = (performance.now() - t0) / 1000;
    const peak = Number(
      /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0,
    );
    if (status !== 201) throw new Error(`upload answered ${status}`);
    return { seconds, peakMb: peak / 1024 };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const before = process.env['BENCH_BEFORE'];
  if (!before) throw new Error('set BENCH_BEFORE to the checkout to compare with');
  const pairs = Number(process.argv[2] ?? 5);
  const only = new Set((process.env['BENCH_AB'] ?? 'parse,long,server').split(','));
  const trees = { before: resolve(before), after: HERE };
  const dir = await mkdtemp(join(tmpdir(), 'costcast-bench-ab-'));
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  try {
    const plain = join(dir, 'plain.csv');
    await writeLargeCsv(plain, 1_000_000);
    const quoted = join(dir, 'quoted.csv');
    const text = (await readFile(plain, 'utf8'))
      .split('\r\n')
      .map((l) =>
        l === ''
          ? l
          : l
              .split(',')
              .map((f) => `"${f}"`)
              .join(','),
      )
      .join('\r\n');
    await writeFile(quoted, text);
    const header = join(dir, 'header.csv');
    await writeFile(header, Buffer.alloc(20 * MB, 'a'));
    const cell = join(dir, 'cell.csv');
    await writeFile(
      cell,
      Buffer.concat([
        Buffer.from(`${HEADER}\nA,`),
        Buffer.alloc(20 * MB, 'b'),
        Buffer.from(',GB,1,USD\n'),
      ]),
    );
    const cases: { name: string; file: string; kind: 'probe' | 'server' }[] = [];
    if (only.has('parse'))
      cases.push(
        { name: 'parse 1M rows', file: plain, kind: 'probe' },
        { name: 'parse 1M rows, every field quoted', file: quoted, kind: 'probe' },
      );
    if (only.has('long'))
      cases.push(
        { name: '20 MB header line (refused)', file: header, kind: 'probe' },
        { name: '20 MB data cell (refused)', file: cell, kind: 'probe' },
      );
    let dataDir = '';
    if (only.has('server')) {
      for (const tree of Object.values(trees))
        await exec('npm', ['run', '--silent', 'build'], { cwd: tree });
      // A database created once (by this checkout), copied for every run.
      dataDir = join(dir, 'data');
      await serverRun(HERE, dataDir, null, Number(process.env['BENCH_PORT'] ?? 4300));
      cases.push({ name: 'server, 1M rows → PGlite', file: plain, kind: 'server' });
    }
    const port = Number(process.env['BENCH_PORT'] ?? 4300);
    say(
      `Machine: ${cpus().length} cores, Node ${process.version}. Load average (1 min) at the start ${loadavg()[0]?.toFixed(2)}.`,
    );
    say(
      '| what | before, wall ms (in turn) | after, wall ms | before median | after median | after / before | before CPU median | after CPU median | CPU after / before | load avg (1 min) | answers |',
    );
    say('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const c of cases) {
      const times = { before: [] as number[], after: [] as number[] };
      const cpu = { before: [] as number[], after: [] as number[] };
      const answers = new Set<string>();
      const loads: number[] = [];
      let n = 0;
      for (let p = 0; p < pairs; p++)
        for (const side of ['before', 'after'] as const) {
          loads.push(loadavg()[0] ?? 0);
          if (c.kind === 'probe') {
            const r = await runProbe(trees[side], c.file);
            times[side].push(r.ms);
            cpu[side].push(r.cpuMs);
            answers.add(r.answer);
          } else {
            const copy = join(dir, `data-${n++}`);
            await cp(dataDir, copy, { recursive: true });
            const r = await serverRun(trees[side], copy, c.file, port + 1);
            times[side].push(r.seconds * 1000);
            await rm(copy, { recursive: true, force: true });
          }
        }
      const f = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
      const ratio = (t: typeof times) => (median(t.after) / median(t.before)).toFixed(3);
      const cpuCells =
        c.kind === 'probe'
          ? `${median(cpu.before).toFixed(0)} ms | ${median(cpu.after).toFixed(0)} ms | **${ratio(cpu)}**`
          : '– | – | –';
      say(
        `| ${c.name} | ${f(times.before)} | ${f(times.after)} | ${median(times.before).toFixed(0)} ms | ${median(times.after).toFixed(0)} ms | **${ratio(times)}** | ${cpuCells} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |${c.kind === 'probe' ? ` ${answers.size === 1 ? 'same' : `DIFFER: ${[...answers].join(' / ')}`} |` : ' – |'}`,
      );
    }
    say(`Load average (1 min) at the end ${loadavg()[0]?.toFixed(2)}.`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'probe') await probe(process.argv[3] ?? '', process.argv[4] ?? '');
else await main();
