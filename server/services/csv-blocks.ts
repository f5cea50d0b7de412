// A spooled CSV upload turned into the row blocks the price-sheets service stores: parsed in
// this thread, or, for large files, on a worker thread so that parsing the next block
// overlaps storing this one.
import { createReadStream } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Result } from '../../models/result.ts';
import { workerExecArgv } from '../compute/pool.ts';
import { BLOCK_ROWS, encodeBlockBytes } from '../db/row-blocks.ts';
import { type CsvStreamSummary, type ParseContext, parseCsvStream } from '../ingest/index.ts';

/** Bytes read from the spooled file at a time. */
const READ_CHUNK = 1024 * 1024;

/** Consecutive valid rows of the upload, encoded as stored. */
export interface RowBlock {
  /** The sheet's row number (0-based) of the block's first row. */
  readonly first: number;
  readonly count: number;
  /** The providers the block's rows name. */
  readonly providers: readonly string[];
  /** The rows as `encodeBlockBytes` writes them. */
  readonly bytes: Uint8Array;
}

export interface BlockHandlers {
  /** Stores the next block; the block after it waits for the promise. */
  readonly onBlock: (block: RowBlock) => Promise<void>;
  /** Drops every block handed over so far: the file is being read again from the start. */
  readonly onRestart: () => Promise<void>;
}

/**
 * Parses the CSV at `path` with the rules of `parseCsvStream`, handing its valid rows over
 * block by block. The answer is what counts: when it is not ok, every block handed over must
 * be dropped (the service rolls back its transaction).
 */
export function csvBlocks(
  path: string,
  ctx: ParseContext,
  handlers: BlockHandlers,
): Promise<Result<CsvStreamSummary>> {
  return parseCsvStream(() => createReadStream(path, { highWaterMark: READ_CHUNK }), ctx, {
    batchRows: BLOCK_ROWS,
    onBatch: (batch) =>
      handlers.onBlock({
        first: batch.first,
        count: batch.rows.length,
        providers: [...new Set(batch.rows.map((r) => r.ProviderName))],
        bytes: encodeBlockBytes(batch.rows, batch.lines),
      }),
    onRestart: handlers.onRestart,
  });
}

/** What the parsing thread tells the thread that stores, on the task's port. */
export type FromParser =
  | { readonly kind: 'block'; readonly block: RowBlock }
  | { readonly kind: 'restart' };

/** A file for the parsing thread, and the port it hands the blocks over on. */
export interface ParseTask {
  readonly path: string;
  readonly ctx: ParseContext;
  readonly port: MessagePort;
}

/** Where large CSV uploads are parsed: worker threads started when needed. */
export interface CsvThreads {
  /**
   * {@link csvBlocks} with the parsing on a worker thread: it parses a block ahead while
   * `handlers` store the one before, and waits for that one to be stored before handing over
   * the next, so memory stays bounded by two blocks. A handler that fails stops the thread.
   */
  parse(
    path: string,
    ctx: ParseContext,
    handlers: BlockHandlers,
  ): Promise<Result<CsvStreamSummary>>;
  /** Waits for running parses, then stops the threads. */
  close(): Promise<void>;
}

/** Threads that parse at most `threads` files at once, each gone after `idleMs` unused. */
export function csvThreads(opts: {
  readonly threads: number;
  readonly idleMs?: number;
}): CsvThreads {
  let pool: Piscina<ParseTask, Result<CsvStreamSummary>> | undefined;
  const running = new Set<Promise<unknown>>();
  async function parse(
    path: string,
    ctx: ParseContext,
    handlers: BlockHandlers,
  ): Promise<Result<CsvStreamSummary>> {
    pool ??= new Piscina({
      filename: new URL(
        import.meta.url.endsWith('.ts') ? './csv-blocks-worker.ts' : './csv-blocks-worker.js',
        import.meta.url,
      ).href,
      minThreads: 0,
      maxThreads: opts.threads,
      idleTimeout: opts.idleMs ?? 10_000,
      execArgv: workerExecArgv(),
    });
    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    let failure: { error: unknown } | undefined;
    port1.on('message', (m: FromParser) => {
      const stored = m.kind === 'block' ? handlers.onBlock(m.block) : handlers.onRestart();
      stored.then(
        () => port1.postMessage('stored'),
        (error: unknown) => {
          failure ??= { error };
          abort.abort();
        },
      );
    });
    try {
      return await pool.run(
        { path, ctx, port: port2 },
        { transferList: [port2], signal: abort.signal },
      );
    } catch (e) {
      throw failure ? failure.error : e;
    } finally {
      port1.close();
    }
  }
  return {
    parse(path, ctx, handlers) {
      const p = parse(path, ctx, handlers);
      const settled: Promise<unknown> = p.then(
        () => running.delete(settled),
        () => running.delete(settled),
      );
      running.add(settled);
      return p;
    },
    async close() {
      while (running.size > 0) await Promise.all(running);
      await pool?.close();
    },
  };
}
