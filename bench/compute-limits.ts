// Compute limits (issue 13): how well the cost estimate tracks the engine's time, and how
// long a light what-if takes while heavy work floods the service — with the light lane and
// the bounds (the defaults) and without them (one lane, no bounds: the service before).
import { forecastModel } from '../models/forecast.ts';
import { estimateCost } from '../server/compute/cost.ts';
import { BUILT_SERVER, buildBundle, startServer } from '../tests/server/process.ts';
import { syntheticModel } from './engine.ts';
import { load1, machine, median, record } from './machine.ts';

const ADMIN = 'bench-admin-key-0123456789abcdefghij';
/** Heavy requests each flooding key keeps under way, and the keys. */
const PER_KEY = 4;
const KEYS = 3;
const ROUNDS = 3;
/** The heavy what-ifs' Monte Carlo draws. */
const HEAVY_DRAWS = 50_000;
const SAMPLES = 3;
/** A light what-if waiting longer than this is given up (the client gone) and counted as this. */
const LIGHT_TIMEOUT_MS = 60_000;

/** µs per estimated unit for a few shapes, the engine run in this process. */
function calibration() {
  const shapes = [
    { workloads: 10, quarters: 8, draws: 0, sensitivity: false },
    { workloads: 200, quarters: 40, draws: 0, sensitivity: false },
    { workloads: 50, quarters: 12, draws: 0, sensitivity: true },
    { workloads: 200, quarters: 12, draws: 0, sensitivity: true },
    { workloads: 10, quarters: 12, draws: 50_000, sensitivity: false },
    { workloads: 50, quarters: 40, draws: 10_000, sensitivity: false },
    { workloads: 200, quarters: 12, draws: 10_000, sensitivity: true },
  ];
  return shapes.map((s) => {
    const { model } = syntheticModel(s.workloads, s.quarters);
    forecastModel(model, { draws: Math.min(s.draws, 200), sensitivity: s.sensitivity });
    const t0 = performance.now();
    forecastModel(model, { draws: s.draws, sensitivity: s.sensitivity });
    const ms = performance.now() - t0;
    const units = estimateCost({ ...s, scenarios: 2, workbook: false }).units;
    return { ...s, ms, units, usPerUnit: (ms * 1000) / units };
  });
}

/** Light what-if latencies on one server, idle and under a flood, interleaved. */
async function flood(env: Record<string, string>) {
  const server = await startServer(
    { COSTCAST_ADMIN_KEY: ADMIN, COSTCAST_LOAD_FIXTURES: 'true', LOG_LEVEL: 'warn', ...env },
    { args: BUILT_SERVER },
  );
  const headers = (key: string) => ({
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
  });
  try {
    const list = (await (
      await fetch(`${server.url}/v1/forecasts`, { headers: headers(ADMIN) })
    ).json()) as { items: { assumptionsId: string; priceSheets: { id: string }[] }[] };
    const [sample] = list.items;
    if (!sample)
      throw new Error('the server lists no forecast (COSTCAST_LOAD_FIXTURES stores some)');
    const inputs = {
      assumptionsId: sample.assumptionsId,
      priceSheetIds: sample.priceSheets.map((s) => s.id),
    };
    const keys: string[] = [];
    for (let i = 0; i < KEYS + 1; i++) {
      const r = await fetch(`${server.url}/v1/keys`, {
        method: 'POST',
        headers: headers(ADMIN),
        body: JSON.stringify({ name: `bench ${i}`, role: 'analyst' }),
      });
      keys.push(((await r.json()) as { key: string }).key);
    }
    const lightKey = keys.pop();
    if (lightKey === undefined) throw new Error('no key was created');
    let timedOut = 0;
    /** A light what-if's time; one not answered within LIGHT_TIMEOUT_MS counts as that long. */
    const light = async () => {
      const t0 = performance.now();
      try {
        const r = await fetch(`${server.url}/v1/what-if`, {
          method: 'POST',
          headers: headers(lightKey),
          body: JSON.stringify(inputs),
          signal: AbortSignal.timeout(LIGHT_TIMEOUT_MS),
        });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`light what-if: ${r.status}`);
      } catch (err) {
        if ((err as Error).name !== 'TimeoutError') throw err;
        timedOut++;
        return LIGHT_TIMEOUT_MS;
      }
      return performance.now() - t0;
    };
    const heavyBody = JSON.stringify({ ...inputs, draws: HEAVY_DRAWS, sensitivity: true });
    let refused = 0;
    /** Keeps PER_KEY heavy what-ifs under way per key until `stop` aborts them. */
    const startFlood = (stop: AbortSignal) => {
      for (const key of keys)
        for (let i = 0; i < PER_KEY; i++)
          (async () => {
            while (!stop.aborted) {
              try {
                const r = await fetch(`${server.url}/v1/what-if`, {
                  method: 'POST',
                  headers: headers(key),
                  body: heavyBody,
                  signal: stop,
                });
                await r.arrayBuffer();
                if (r.status === 429) {
                  refused++;
                  await new Promise((res) => setTimeout(res, 1000));
                }
              } catch {}
            }
          })();
    };
    for (let i = 0; i < 3; i++) await light(); // warm-up
    const idle: number[] = [];
    const flooded: number[] = [];
    const load: number[] = [load1()];
    const t0 = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < SAMPLES; i++) idle.push(await light());
      const stop = new AbortController();
      startFlood(stop.signal);
      await new Promise((res) => setTimeout(res, 2000)); // the flood fills the threads
      for (let i = 0; i < SAMPLES; i++) flooded.push(await light());
      stop.abort();
      // the abandoned heavy work is stopped: wait until nothing is admitted
      for (;;) {
        const h = (await (await fetch(`${server.url}/health`)).json()) as {
          compute?: { admitted: number };
        };
        if (!h.compute || h.compute.admitted === 0) break;
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    load.push(load1());
    return {
      idle: median(idle),
      flooded: median(flooded),
      worst: Math.max(...flooded),
      refused,
      timedOut,
      load,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<string> {
  await buildBundle();
  const cal = calibration();
  const after = await flood({});
  const before = await flood({
    COSTCAST_COMPUTE_LIGHT_THREADS: '0',
    COSTCAST_COMPUTE_QUEUE: '100000',
    COSTCAST_COMPUTE_QUEUE_PER_KEY: '100000',
    COSTCAST_COMPUTE_BUDGET: '1000000000000000',
    COSTCAST_COMPUTE_DEADLINE_SECONDS: '86400',
  });
  const f = (x: number) => `${Math.round(x)} ms`;
  const row = (what: string, r: Awaited<ReturnType<typeof flood>>) =>
    `| ${what} | ${f(r.idle)} | ${f(r.flooded)} | ${r.timedOut > 0 ? `≥ ${f(r.worst)} (${r.timedOut} of ${ROUNDS * SAMPLES} given up after ${LIGHT_TIMEOUT_MS / 1000} s)` : f(r.worst)} | **${(r.flooded / r.idle).toFixed(1)}** | ${r.refused} | ${r.load.map((x) => x.toFixed(2)).join(' → ')} |`;
  const us = cal.map((c) => c.usPerUnit);
  const md = [
    '## Compute limits (`bench/compute-limits.ts`)',
    '',
    `Machine: ${machine()}. Run: ${new Date().toISOString().slice(0, 10)}, \`npm run bench -- compute-limits\`.`,
    '',
    '### The estimate against the engine',
    '',
    'Synthetic models (bench/engine.ts), 2 scenarios, the engine in this process; µs per estimated unit should stay within a small factor across shapes for the budget to mean the same time whatever the shape.',
    '',
    '| workloads × quarters | draws | sensitivity | units | time | µs per unit |',
    '| --- | --- | --- | --- | --- | --- |',
    ...cal.map(
      (c) =>
        `| ${c.workloads} × ${c.quarters} | ${c.draws} | ${c.sensitivity ? 'yes' : 'no'} | ${c.units.toLocaleString('en-US')} | ${f(c.ms)} | ${c.usPerUnit.toFixed(4)} |`,
    ),
    '',
    `Spread: ${Math.min(...us).toFixed(4)}–${Math.max(...us).toFixed(4)} µs per unit (× ${(Math.max(...us) / Math.min(...us)).toFixed(1)}); the smallest shapes cost most per unit (a forecast's fixed work, a few ms, is not estimated), the ones a budget is about stay close. At the median (${median(us).toFixed(4)} µs), the default budget (2 000 000 000 units) is about ${((2e9 * median(us)) / 1e6).toFixed(0)} s of one core here, at this run's load.`,
    '',
    '### A light what-if under a flood of heavy work',
    '',
    `The server as \`npm start\` runs it (the bundle), PGlite, the sample loaded. ${KEYS} analyst keys each keep ${PER_KEY} heavy what-ifs under way (the sample with ${HEAVY_DRAWS.toLocaleString('en-US')} draws and sensitivity: ${estimateCost({ workloads: 9, quarters: 8, scenarios: 3, draws: HEAVY_DRAWS, sensitivity: true, workbook: false }).units.toLocaleString('en-US')} units); a fourth key sends the light one (the sample, no draws: 86 400 units), one at a time. ${ROUNDS} rounds of ${SAMPLES} idle samples then ${SAMPLES} samples 2 s into a flood, interleaved; the flood's clients then go away and its work is stopped before the next round. "before" is the same build with no light lane and no bounds (COSTCAST_COMPUTE_LIGHT_THREADS=0, the queue, per-key bound, budget and deadline set out of reach), as the service was.`,
    '',
    '| configuration | light what-if idle (median) | under the flood (median) | worst under the flood | ratio | heavy refused (429) | load avg (1 min) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('after: the defaults (light lane, 4 per key, 32 in all)', after),
    row('before: one lane, no bounds', before),
  ].join('\n');
  record('compute-limits', md);
  return md;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/')))
  process.stdout.write(`${await run()}\n`);
