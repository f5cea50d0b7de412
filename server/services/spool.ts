import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError } from '../errors.ts';

/** An upload written to a temporary file: where, how big, and its sha256. */
export interface Spooled {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** Deletes the file; safe to call twice. */
  readonly remove: () => Promise<void>;
}

export const tooLarge = (limit: number) =>
  new HttpError(
    413,
    'payload_too_large',
    `the file is larger than the upload limit of ${Math.floor(limit / 1024 / 1024)} MB`,
  );

/**
 * Streams an upload to a temporary file, hashing it on the way, so memory stays bounded
 * whatever its size. More than `limit` bytes is a 413 and leaves no file behind.
 */
export async function spool(source: Readable, limit: number, dir = tmpdir()): Promise<Spooled> {
  const path = join(dir, `costcast-upload-${randomUUID()}`);
  const remove = () => rm(path, { force: true });
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      source,
      async function* count(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > limit) throw tooLarge(limit);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(path),
    );
    // @fastify/multipart ends a file stream early, without an error, at its size limit.
    if ((source as Readable & { truncated?: boolean }).truncated) throw tooLarge(limit);
  } catch (e) {
    await remove();
    throw e;
  }
  return { path, size, sha256: hash.digest('hex'), remove };
}
