// A compute worker for tests: a task with seed 7777 blocks its thread for good (only ending
// the thread stops it, as aborting a running task does); any other task runs the real worker.
import type { ForecastTask } from '../../../server/compute/task.ts';
import compute from '../../../server/compute/worker.ts';

export const BLOCKING_SEED = 7777;

export default function blocking(task: ForecastTask) {
  if (task.seed === BLOCKING_SEED) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  return compute(task);
}
