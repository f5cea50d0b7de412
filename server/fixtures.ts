import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { assumptionsSchema } from '../models/assumptions.ts';
import { formatIssue } from '../models/result.ts';
import { scenariosFileSchema } from '../models/scenarios.ts';
import { parseJsonDocument } from './ingest/json/located.ts';
import { SERVICE_KEY_ID } from './services/forecasts/index.ts';
import { spool, spoolDir } from './services/spool.ts';

/**
 * The sample the service starts with: fixtures/bank-ma (see fixtures/README.md). Relative to
 * this module, which is in server/ or bundled into dist/, both one level under the root.
 */
export const FIXTURES_DIR = new URL('../fixtures/bank-ma', import.meta.url).pathname;
const STATE_KEY = 'fixtures';
const BY = 'fixtures';

/** The as-of quarter in a fixture's file name: `openai-2026Q3.csv` → `2026-Q3`. */
export function quarterOfFile(name: string): string | null {
  const m = /(\d{4})Q([1-4])/.exec(name);
  return m ? `${m[1]}-Q${m[2]}` : null;
}

/**
 * On the first start of an empty database, stores the bank-ma price sheets, its assumptions,
 * and a forecast of them, so that a new user can download a workbook at once. Runs once per
 * database, whichever instance gets there first; returns the forecast's id when it ran.
 */
export async function loadFixturesOnFirstStart(
  app: FastifyInstance,
  dir: string = FIXTURES_DIR,
): Promise<string | null> {
  const db = app.store.db;
  const claimed = await db
    .insertInto('app_state')
    .values({ key: STATE_KEY, value: JSON.stringify({ status: 'loading' }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!claimed) return null;
  try {
    const sheetIds: string[] = [];
    const files = (await readdir(join(dir, 'prices'))).sort();
    for (const name of files) {
      const quarter = quarterOfFile(name);
      if (!quarter) continue;
      const file = await spool(
        createReadStream(join(dir, 'prices', name)),
        app.config.limits.uploadBytes,
        spoolDir(app.config.dataDir),
      );
      try {
        const stored = await app.priceSheets.upload(
          {
            file,
            fileName: name,
            mediaType: undefined,
            quarter,
            provider: undefined,
            uploadedBy: BY,
          },
          { maxRows: app.config.limits.maxRows },
        );
        if (!stored.ok) throw new Error(`the fixture ${name} was refused: ${stored.reason}`);
        sheetIds.push(stored.value.sheet.id);
      } finally {
        await file.remove();
      }
    }
    const read = async <S extends Parameters<typeof parseJsonDocument>[2]>(
      file: string,
      schema: S,
    ) => {
      const parsed = parseJsonDocument(await readFile(join(dir, file), 'utf8'), file, schema);
      if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
      return parsed.value.value;
    };
    const assumptions = await read('assumptions.json', assumptionsSchema);
    const scenarios = await read('scenarios.json', scenariosFileSchema);
    const set = await app.assumptionSets.create(assumptions, BY);
    const created = await app.forecasts.create(
      { assumptionsId: set.id, priceSheetIds: sheetIds, scenarios },
      { keyId: SERVICE_KEY_ID, name: BY },
    );
    if (!created.ok) throw new Error(`the fixture forecast was refused: ${created.reason}`);
    const f = created.value;
    await db
      .updateTable('app_state')
      .set({ value: JSON.stringify({ status: 'done', forecastId: f.id }), updated_at: new Date() })
      .where('key', '=', STATE_KEY)
      .execute();
    return f.id;
  } catch (e) {
    // Let the next start try again.
    await db.deleteFrom('app_state').where('key', '=', STATE_KEY).execute();
    throw e;
  }
}
