// A compute worker for tests that misbehaves on purpose: seed 13 throws as a bug in the
// engine would, seed 14 ends the worker thread; any other task runs the real worker.
import type { ForecastTask } from '../../../server/compute/task.ts';
import compute from '../../../server/compute/worker.ts';

export default function faulty(task: ForecastTask) {
  if (task.seed === 13) throw new TypeError('a bug inside the engine');
  if (task.seed === 14) process.exit(3);
  return compute(task);
}
