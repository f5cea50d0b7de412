import { open, readFile, rm } from 'node:fs/promises';

/** Whether a process with this id is alive on this machine (EPERM: it is, another user's). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LockedError extends Error {
  override name = 'LockedError';
}

/**
 * Takes a pid-file lock: PGlite's data directory must never be opened by two processes. A
 * lock left by a dead process (kill -9) is taken over. Returns the release function.
 */
export async function lockFile(path: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new LockedError(
          `${what} is in use by process ${pid} (lock file ${path}); stop it first, or use the HTTP API (POST /v1/keys) while it runs`,
        );
      await rm(path, { force: true });
    }
  }
  throw new LockedError(`could not lock ${what} (${path})`);
}
