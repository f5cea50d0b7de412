import { buildTestApp, bearer, fixture, uploadBankSheets } from './tests/server/helper.ts';
const t = await buildTestApp();
await uploadBankSheets(t.app, t.keys.finance);
const a = JSON.parse(fixture('fixtures/bank-ma/assumptions.json').toString('utf8'));
const setId = (await t.app.inject({ method: 'POST', url: '/v1/assumptions', headers: bearer(t.keys.analyst), payload: a })).json().id;
const run = async (extra: object) => {
  const ts: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    const r = await t.app.inject({ method: 'POST', url: '/v1/what-if', headers: bearer(t.keys.analyst), payload: { assumptionsId: setId, asOf: '2026-Q3', draws: 500, ...extra, adjust: { growth: i % 2 ? '1.05' : '1.1' } } });
    if (r.statusCode !== 200) throw new Error(r.body);
    ts.push(performance.now() - t0);
  }
  ts.sort((x, y) => x - y);
  return { p50: ts[12]!.toFixed(1), p95: ts[23]!.toFixed(1) };
};
console.log('warm', await run({}));
console.log('plain', await run({}));
console.log('sensitivity', await run({ sensitivity: true }));
console.log('sensitivity only draws0', await run({ sensitivity: true, draws: 0 }));
console.log('draws0', await run({ draws: 0 }));
await t.close();
