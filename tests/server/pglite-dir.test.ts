import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openPglite } from '../../server/db/index.ts';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'costcast-pglite-'));
  dirs.push(dir);
  return join(dir, 'pglite');
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('PGlite in a directory', () => {
  it('creates the database in a new directory, and finds what was stored when opened again', async () => {
    const dir = await freshDir();
    const first = await openPglite({ dir });
    try {
      expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
      await migrate(first.db);
      await sql`CREATE TABLE kept (v text)`.execute(first.db);
      await sql`INSERT INTO kept VALUES ('Rabat')`.execute(first.db);
    } finally {
      await first.close();
    }
    const again = await openPglite({ dir });
    try {
      const { rows } = await sql<{ v: string }>`SELECT v FROM kept`.execute(again.db);
      expect(rows).toEqual([{ v: 'Rabat' }]);
    } finally {
      await again.close();
    }
  });

  it('says where and why when the database cannot be created, and leaves the directory unlocked', async () => {
    const dir = await freshDir();
    await mkdir(dir, { recursive: true });
    // a file where initdb needs a directory
    await writeFile(join(dir, 'global'), 'not a directory');
    await expect(openPglite({ dir })).rejects.toThrow(
      new RegExp(`creating the PGlite database in ${dir} failed`),
    );
    await rm(dir, { recursive: true });
    const store = await openPglite({ dir });
    await store.close();
  });

  it('says where when a directory is not a database it can open', async () => {
    const dir = await freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'PG_VERSION'), '17\n');
    await expect(openPglite({ dir })).rejects.toThrow(
      new RegExp(`opening the PGlite database in ${dir} failed: .+`),
    );
  });
});
