import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, totalmem } from 'node:os';

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
  return { median: ms[Math.floor(runs / 2)]!, p90: ms[Math.floor(runs * 0.9)]!, runs };
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
