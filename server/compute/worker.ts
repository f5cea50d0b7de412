// A compute worker (piscina): runs the engine on one task and hands the forecast JSON back as
// UTF-8 bytes, moved rather than copied. Price sheets and stored assumption sets are
// immutable under their keys, so each worker keeps the ones it was sent — and the models
// built from them — and the main thread need not send them again.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Assumptions } from '../../models/assumptions.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { modelCache } from './models.ts';
import { computeTask, type ForecastOutcome, type ForecastTask } from './task.ts';

/** Rows of price sheets a worker keeps, least recently used dropped first. */
export const WORKER_CACHE_ROWS = 200_000;
/** Stored assumption sets a worker keeps, least recently used dropped first. */
export const WORKER_CACHE_ASSUMPTIONS = 100;

const sheets = new Map<string, PriceSheet>();
let cachedRows = 0;
const assumptionSets = new Map<string, Assumptions>();
const models = modelCache();

function remember(key: string, sheet: PriceSheet) {
  if (sheets.has(key) || sheet.rows.length > WORKER_CACHE_ROWS) return;
  sheets.set(key, sheet);
  cachedRows += sheet.rows.length;
  for (const [oldest, s] of sheets) {
    if (cachedRows <= WORKER_CACHE_ROWS) break;
    sheets.delete(oldest);
    models.forgetSheet(oldest);
    cachedRows -= s.rows.length;
  }
}

/** The value under `key`, now the most recently used. */
function recall<T>(cache: Map<string, T>, key: string): T | undefined {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

function rememberAssumptions(key: string, assumptions: Assumptions) {
  if (assumptionSets.has(key)) return;
  assumptionSets.set(key, assumptions);
  for (const oldest of assumptionSets.keys()) {
    if (assumptionSets.size <= WORKER_CACHE_ASSUMPTIONS) break;
    assumptionSets.delete(oldest);
  }
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

/**
 * A task against this worker's sheets and assumption sets: the outcome, or the keys of
 * those it lacks.
 */
export async function handle(task: ForecastTask): Promise<ForecastOutcome> {
  const missing: string[] = [];
  const resolve = (
    side: Pick<ForecastTask, 'sheets' | 'assumptions' | 'assumptionsKey'>,
  ): { assumptions: Assumptions; sheets: { key: string; sheet: PriceSheet }[] } | null => {
    const given: { key: string; sheet: PriceSheet }[] = [];
    for (const { key, sheet } of side.sheets) {
      if (sheet) remember(key, sheet);
      const s = sheet ?? recall(sheets, key);
      if (s) given.push({ key, sheet: s });
      else missing.push(key);
    }
    const key = side.assumptionsKey;
    if (key !== undefined && side.assumptions) rememberAssumptions(key, side.assumptions);
    const assumptions =
      side.assumptions ?? (key === undefined ? undefined : recall(assumptionSets, key));
    if (!assumptions) missing.push(key ?? '(assumptions)');
    return assumptions ? { assumptions, sheets: given } : null;
  };
  const mine = resolve(task);
  // A variance task: its old side is resolved the same way.
  const old = task.against ? resolve(task.against) : null;
  if (missing.length > 0 || !mine || (task.against && !old))
    return { kind: 'missing', keys: missing };
  return computeTask(
    task,
    models.model(task.assumptionsKey, mine.assumptions, mine.sheets),
    old ? models.model(task.against?.assumptionsKey, old.assumptions, old.sheets) : undefined,
  );
}

export default async function compute(task: ForecastTask) {
  return moved(await handle(task));
}
