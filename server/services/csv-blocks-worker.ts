// The parsing thread of `csvThreads` (a piscina task): parses one spooled CSV and hands its
// blocks over the task's port, one at a time, each once the one before has been stored.
import type { Result } from '../../models/result.ts';
import type { CsvStreamSummary } from '../ingest/csv.ts';
import { csvBlocks, type FromParser, type ParseTask } from './csv-blocks.ts';

export default async function parse(task: ParseTask): Promise<Result<CsvStreamSummary>> {
  const { port } = task;
  let stored: (() => void) | null = null;
  port.on('message', () => {
    stored?.();
    stored = null;
  });
  /**
   * Hands a message over (a block's bytes moved, not copied) and waits until the other
   * thread has stored what it carries.
   */
  const send = (message: FromParser) =>
    new Promise<void>((resolve) => {
      stored = resolve;
      port.postMessage(
        message,
        message.kind === 'block' ? [message.block.bytes.buffer as ArrayBuffer] : [],
      );
    });
  try {
    return await csvBlocks(task.path, task.ctx, {
      onBlock: (block) => send({ kind: 'block', block }),
      onRestart: () => send({ kind: 'restart' }),
    });
  } finally {
    port.close();
  }
}
