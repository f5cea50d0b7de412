import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanStaleSpools, spool } from '../../server/services/spool.ts';

const UUID = '0b7d2a1e-3c4f-4a5b-8c6d-7e8f9a0b1c2d';

describe('upload spool files (issue 13: crashes leave no litter)', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("names a spool file after its process, and removes only a dead process's files", async () => {
    dir = await mkdtemp(join(tmpdir(), 'costcast-spool-test-'));
    const spooled = await spool(Readable.from([Buffer.from('a,b\n')]), 1024, join(dir, 'spool'));
    expect(spooled.path).toMatch(new RegExp(`costcast-upload-${process.pid}-`));
    // A process that has exited: its pid is free (reuse within this test is not expected).
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
    const deadPid = Number(String(dead.stdout).trim());
    await writeFile(join(dir, 'spool', `costcast-upload-${deadPid}-${UUID}`), 'left by a crash');
    await writeFile(join(dir, 'spool', 'notes.txt'), 'not ours');
    expect(await cleanStaleSpools(join(dir, 'spool'))).toBe(1);
    expect((await readdir(join(dir, 'spool'))).sort()).toEqual(
      [spooled.path.split('/').pop(), 'notes.txt'].sort(),
    );
    await spooled.remove();
  });
});
