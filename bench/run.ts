// `npm run bench [-- name …]`: runs the named benchmarks (default: all that exist) and
// records each one's results in bench/RESULTS.md.
import { existsSync } from 'node:fs';

const all = [
  'engine',
  'workbook',
  'server-ingest',
  'server-whatif',
  'parse-long-values',
  'compute-limits',
];
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
for (const name of names) {
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) {
    if (process.argv.length > 2) throw new Error(`no benchmark bench/${name}.ts`);
    continue;
  }
  process.stderr.write(`bench: ${name}…\n`);
  const mod = (await import(file.href)) as { run: () => Promise<string> | string };
  process.stdout.write(`${await mod.run()}\n\n`);
}
