import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';

/** The machine a benchmark ran on, as one markdown line. */
export function machine(): string {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {}
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
  return `${availableParallelism()} cores (${cpu.trim()}), ${gib(totalmem())} GiB (${gib(freemem())} GiB free at the start), Node ${process.version}, ${process.platform}`;
}

export interface Timing {
  readonly median: number;
  readonly p90: number;
  readonly runs: number;
}

/** Runs `fn` `warmup` times, then `runs` times, and reports milliseconds. */
export function time(fn: () => unknown, runs = 50, warmup = 5): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: at(ms, runs / 2), p90: at(ms, runs * 0.9), runs };
}

/** `sorted[Math.floor(i)]`: a measurement the benchmark took (none there is a bug). */
export function at(sorted: readonly number[], i: number): number {
  const x = sorted[Math.floor(i)];
  if (x === undefined)
    throw new Error(`measurement ${Math.floor(i)} of ${sorted.length} asked for`);
  return x;
}

/** The middle value (the upper of the two middle ones for an even count). */
export const median = (xs: readonly number[]): number =>
  at(
    [...xs].sort((a, b) => a - b),
    xs.length / 2,
  );

/** The load average over the last minute. */
export function load1(): number {
  const [one] = loadavg();
  if (one === undefined) throw new Error('os.loadavg() gave no values');
  return one;
}

/** `map`'s value for `key`, which the benchmark put there (none there is a bug). */
export function must<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const v = map.get(key);
  if (v === undefined) throw new Error(`no value for ${String(key)}`);
  return v;
}

export const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;

/**
 * Replaces the section `name` of bench/RESULTS.md (between `<!-- name -->` markers) with
 * `markdown`, so each benchmark keeps its own recorded results.
 */
export function record(
  name: string,
  markdown: string,
  file = new URL('./RESULTS.md', import.meta.url),
) {
  let text =
    '# Benchmark results\n\nRecorded by `npm run bench`; each section names the machine it ran on.\n';
  try {
    text = readFileSync(file, 'utf8');
  } catch {}
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text =
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}
