// Large CSV uploads parsed on worker threads (piscina), so that parsing the next block
// overlaps storing this one.
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Result } from '../../models/result.ts';
import type { CsvStreamSummary, ParseContext } from '../ingest/index.ts';
import { workerExecArgv } from '../worker-argv.ts';
import type { BlockHandlers, FromParser, ParseTask } from './csv-blocks.ts';

/**
 * The parsing thread's module next to this one: `.ts` from source, `.js` once bundled into
 * dist/ (`npm run build` writes dist/csv-blocks-worker.js next to dist/server.js).
 */
const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './csv-blocks-worker.ts' : './csv-blocks-worker.js',
  import.meta.url,
);

/** Where large CSV uploads are parsed: worker threads started when needed. */
export interface CsvThreads {
  /**
   * `csvBlocks` with the parsing on a worker thread: it parses a block ahead while
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
      filename: WORKER.href,
      minThreads: 0,
      maxThreads: opts.threads,
      idleTimeout: opts.idleMs ?? 10_000,
      execArgv: workerExecArgv(WORKER),
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
