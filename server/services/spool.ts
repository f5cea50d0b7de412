import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { alive } from '../db/lock.ts';

/** Where uploads are spooled: inside the data directory, never the system's temp folder. */
export const spoolDir = (dataDir: string) => join(dataDir, 'spool');

const SPOOL_FILE = /^costcast-upload-(\d+)-[0-9a-f-]{36}$/;

/**
 * Creates the spool folder and removes what a killed process left in it: each spool file is
 * named after the process writing it, and a file whose process is gone is litter (another
 * instance sharing the folder keeps its uploads under way). Returns how many files it removed.
 */
export async function cleanStaleSpools(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  let removed = 0;
  for (const name of await readdir(dir)) {
    const m = SPOOL_FILE.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    await rm(join(dir, name), { force: true });
    removed += 1;
  }
  return removed;
}

/** An upload written to a temporary file: where, how big, and its sha256. */
export interface Spooled {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** Deletes the file; safe to call twice. */
  readonly remove: () => Promise<void>;
}

/** An upload of more bytes than the limit (the route answers 413). */
export class TooLarge extends Error {
  override name = 'TooLarge';
  readonly limit: number;
  constructor(limit: number) {
    super(`the upload is larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/**
 * Streams an upload to a temporary file in `dir` (the service passes {@link spoolDir}), hashing
 * it on the way, so memory stays bounded whatever its size. More than `limit` bytes throws
 * {@link TooLarge} and leaves no file behind; a file a crash leaves is removed at the next start
 * ({@link cleanStaleSpools}).
 */
export async function spool(source: Readable, limit: number, dir = tmpdir()): Promise<Spooled> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `costcast-upload-${process.pid}-${randomUUID()}`);
  const remove = () => rm(path, { force: true });
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      source,
      async function* count(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > limit) throw new TooLarge(limit);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(path),
    );
    // @fastify/multipart ends a file stream early, without an error, at its size limit.
    if ((source as Readable & { truncated?: boolean }).truncated) throw new TooLarge(limit);
  } catch (e) {
    await remove();
    throw e;
  }
  return { path, size, sha256: hash.digest('hex'), remove };
}
