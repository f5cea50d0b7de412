import { createHash } from 'node:crypto';
import type { Assumptions } from '../models/assumptions.ts';
import type { PriceSheet } from '../models/price-sheet.ts';
import type { RangesInput } from '../models/ranges.ts';
import type { Scenario } from '../models/scenarios.ts';

/** JSON with object keys sorted, so equal inputs always serialise to equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface HashedInputs {
  readonly assumptions: Assumptions;
  readonly sheets: readonly PriceSheet[];
  readonly scenarios?: readonly Scenario[] | undefined;
  readonly ranges?: RangesInput | undefined;
  readonly draws: number;
  readonly seed: number;
}

/**
 * SHA-256 of everything a forecast depends on — the validated assumptions, the price rows
 * (not the file bytes: the same prices as CSV or XLSX hash alike), scenarios, sensitivity
 * ranges, draws and seed — as stated on the workbook's About sheet.
 */
export function inputHash(inputs: HashedInputs): string {
  const text = canonicalJson({
    assumptions: inputs.assumptions,
    prices: inputs.sheets.map((s) => ({ sheet: s.name, rows: s.rows })),
    scenarios: inputs.scenarios ?? null,
    ranges: inputs.ranges ?? null,
    draws: inputs.draws,
    seed: inputs.seed,
  });
  return createHash('sha256').update(text).digest('hex');
}
