// Parsing in linear time (issue 13): a CSV whose one line is 1 to 20 MB, parsed in process.
// Sizes run interleaved (1, 2, 5, 10, 20 MB, three rounds; the median kept) so machine load
// hits them alike; the figure is the ratio of the 20 MB time to the 2 MB time: about 10 when
// linear, about 100 when quadratic. Two shapes: a header line that never ends (refused at
// 64 KiB; the time must not grow with the file) and a data line with one long cell (read whole,
// then refused as over-long; linear).
// Run: npx tsx bench/csv-long-line.ts
import { parsePriceSheet } from '../server/ingest/index.ts';
import { must } from './machine.ts';

const MB = 1024 * 1024;
const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';
const SIZES = [1, 2, 5, 10, 20];
const ROUNDS = 3;

const shapes = {
  'header line': (mb: number) => Buffer.alloc(mb * MB, 'a'),
  'data cell': (mb: number) =>
    Buffer.concat([
      Buffer.from(`${HEADER}\nA,`),
      Buffer.alloc(mb * MB, 'b'),
      Buffer.from(',GB,1,USD\n'),
    ]),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

for (const [shape, make] of Object.entries(shapes)) {
  const files = new Map(SIZES.map((mb) => [mb, make(mb)]));
  const times = new Map<number, number[]>(SIZES.map((mb) => [mb, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const mb of SIZES) {
      const started = performance.now();
      const r = await parsePriceSheet(must(files, mb), { fileName: 'long.csv' });
      must(times, mb).push(performance.now() - started);
      if (r.ok) throw new Error(`${shape} ${mb} MB was accepted`);
    }
  const ms = new Map(SIZES.map((mb) => [mb, median(must(times, mb))]));
  console.log(
    `${shape}: ${SIZES.map((mb) => `${mb} MB ${must(ms, mb).toFixed(0)} ms`).join(', ')}; 20 MB / 2 MB = ${(must(ms, 20) / must(ms, 2)).toFixed(1)}`,
  );
}
