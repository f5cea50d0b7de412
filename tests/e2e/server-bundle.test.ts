import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILT_SERVER,
  buildBundle,
  type ServerProcess,
  SOURCE_SERVER,
  startServer,
} from '../server/process.ts';

const ADMIN = 'e2e-bundle-admin-key-0123456789abcdef';
const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

interface Answers {
  readonly health: number;
  readonly docs: number;
  readonly docsAsset: string;
  readonly docsAssetStatus: number;
  readonly whatIf: { readonly status: number; readonly text: string };
  readonly workbook: { readonly status: number; readonly bytes: Buffer };
  readonly output: string;
}

/** The requests a new user makes, against one server. */
async function ask(server: ServerProcess): Promise<Answers> {
  const get = (path: string) => fetch(`${server.url}${path}`, { headers });
  const list = (await (await get('/v1/forecasts')).json()) as {
    items: { id: string; assumptionsId: string; priceSheets: { id: string }[] }[];
  };
  const sample = list.items[0]!;
  const detail = (await (await get(`/v1/forecasts/${sample.id}`)).json()) as {
    inputs: { scenarios: unknown };
  };
  const whatIf = await fetch(`${server.url}/v1/what-if`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      assumptionsId: sample.assumptionsId,
      priceSheetIds: sample.priceSheets.map((s) => s.id),
      scenarios: detail.inputs.scenarios,
      draws: 200,
      sensitivity: true,
    }),
  });
  const workbook = await get(`/v1/forecasts/${sample.id}/workbook`);
  const docs = await get('/docs');
  // swagger-ui's own files, which @fastify/swagger-ui serves from its package folder
  const docsAsset = /"(\/docs\/static\/[^"]+)"/.exec(await docs.text())?.[1] ?? '/docs/static/';
  const asset = await get(docsAsset);
  return {
    health: (await get('/health')).status,
    docs: docs.status,
    docsAsset,
    docsAssetStatus: asset.status,
    whatIf: { status: whatIf.status, text: await whatIf.text() },
    workbook: { status: workbook.status, bytes: Buffer.from(await workbook.arrayBuffer()) },
    output: server.output(),
  };
}

describe('the bundle of `npm run build` run by `node dist/server.js`', () => {
  let dir: string;
  let built: Answers;
  let source: Answers;

  beforeAll(async () => {
    await buildBundle();
    dir = await mkdtemp(join(tmpdir(), 'costcast-e2e-bundle-'));
    // The bundle starts first and loads the sample; then the source runs on the same data, so
    // the two answer for the same stored ids. PGlite has one writer: one server at a time.
    // Compute threads are the default (one per core, at least one): what-ifs and workbooks
    // are computed by the compute workers, dist/worker.js for the bundle.
    const env = { DATA_DIR: dir, COSTCAST_ADMIN_KEY: ADMIN, COSTCAST_LOAD_FIXTURES: 'true' };
    for (const [args, keep] of [
      [BUILT_SERVER, (a: Answers) => (built = a)],
      [SOURCE_SERVER, (a: Answers) => (source = a)],
    ] as const) {
      const server = await startServer(env, { args });
      try {
        keep(await ask(server));
      } finally {
        await server.stop();
      }
    }
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers GET /health and serves the API documentation with its static files', () => {
    expect(built.health, built.output).toBe(200);
    expect(built.docs).toBe(200);
    expect(built.docsAssetStatus, built.docsAsset).toBe(200);
  });

  it('computes a what-if in a compute worker, the same JSON as the source computes', () => {
    expect(built.whatIf.status, built.whatIf.text).toBe(200);
    expect(source.whatIf.status, source.whatIf.text).toBe(200);
    const json = JSON.parse(built.whatIf.text) as { scenarios: { total: string }[] };
    expect(json.scenarios.length).toBeGreaterThan(0);
    expect(built.whatIf.text).toBe(source.whatIf.text);
    expect(built.output).not.toMatch(/compute worker failed/);
  });

  it("downloads the stored sample forecast's workbook, byte for byte as the source renders it", () => {
    expect(built.workbook.status).toBe(200);
    expect(built.workbook.bytes.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(built.workbook.bytes.equals(source.workbook.bytes)).toBe(true);
  });
});
