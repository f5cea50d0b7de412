import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../server/process.ts';

const ADMIN = 'e2e-shutdown-admin-key-0123456789abcdef';
const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

describe('a graceful shutdown with what-ifs computing in worker threads', () => {
  let dir: string;
  let server: ServerProcess;
  let body: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costcast-e2e-shutdown-'));
    server = await startServer({
      DATA_DIR: dir,
      COSTCAST_ADMIN_KEY: ADMIN,
      COSTCAST_LOAD_FIXTURES: 'true',
      COSTCAST_COMPUTE_THREADS: '2',
    });
    const list = (await (await fetch(`${server.url}/v1/forecasts`, { headers })).json()) as {
      items: { assumptionsId: string; priceSheets: { id: string }[] }[];
    };
    const sample = list.items[0]!;
    body = JSON.stringify({
      assumptionsId: sample.assumptionsId,
      priceSheetIds: sample.priceSheets.map((s) => s.id),
      draws: 20_000,
    });
  });
  afterAll(async () => {
    await server?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the what-ifs under way, then stops its workers and exits 0', async () => {
    const warm = await fetch(`${server.url}/v1/what-if`, { method: 'POST', headers, body });
    expect(warm.status).toBe(200);
    const expected = await warm.text();
    // Each request the server receives logs its URL once ("incoming request").
    const received = () =>
      server
        .output()
        .split('\n')
        .filter((l) => l.includes('"url":"/v1/what-if"') && l.includes('incoming request')).length;
    const before = received();
    const inFlight = [1, 2, 3].map(() =>
      fetch(`${server.url}/v1/what-if`, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      })),
    );
    // All three received, however slow the machine, before the signal.
    while (received() < before + 3) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );
    server.child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const a of answers) expect(a.text).toBe(expected);
    expect(await exited, server.output().slice(-3000)).toBe(0);
    expect(server.output()).toMatch(/shutting down/);
  });
});
