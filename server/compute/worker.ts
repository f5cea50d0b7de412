// A compute worker (piscina): runs the engine on one task and hands the forecast JSON back as
// UTF-8 bytes, moved rather than copied. Price sheets are immutable under their keys, so each
// worker keeps the ones it was sent and the main thread need not send them again.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { computeTask, type ForecastOutcome, type ForecastTask } from './task.ts';

/** Rows of price sheets a worker keeps, least recently used dropped first. */
export const WORKER_CACHE_ROWS = 200_000;

const sheets = new Map<string, PriceSheet>();
let cachedRows = 0;

function remember(key: string, sheet: PriceSheet) {
  if (sheets.has(key) || sheet.rows.length > WORKER_CACHE_ROWS) return;
  sheets.set(key, sheet);
  cachedRows += sheet.rows.length;
  for (const [oldest, s] of sheets) {
    if (cachedRows <= WORKER_CACHE_ROWS) break;
    sheets.delete(oldest);
    cachedRows -= s.rows.length;
  }
}

function recall(key: string): PriceSheet | undefined {
  const hit = sheets.get(key);
  if (hit) {
    sheets.delete(key);
    sheets.set(key, hit);
  }
  return hit;
}

/** The outcome, with the JSON bytes' buffer transferred to the main thread. */
const moved = (outcome: ForecastOutcome) =>
  outcome.kind === 'ok'
    ? move({
        get [transferableSymbol]() {
          return outcome.json.buffer;
        },
        get [valueSymbol]() {
          return outcome;
        },
      })
    : outcome;

/** A task against this worker's sheets: the outcome, or the keys of the sheets it lacks. */
export async function handle(task: ForecastTask): Promise<ForecastOutcome> {
  const missing: string[] = [];
  const given: PriceSheet[] = [];
  for (const { key, sheet } of task.sheets) {
    if (sheet) remember(key, sheet);
    const s = sheet ?? recall(key);
    if (s) given.push(s);
    else missing.push(key);
  }
  if (missing.length > 0) return { kind: 'missing', keys: missing };
  return computeTask(task, given);
}

export default async function compute(task: ForecastTask) {
  return moved(await handle(task));
}
