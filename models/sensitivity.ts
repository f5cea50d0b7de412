import { z } from 'zod';
import { decimalString } from './fields.ts';
import type { Model, ModelScenario } from './model.ts';
import { Decimal } from './money.ts';
import { type Adjust, prepare, preparedOnce, projectTotal } from './projection.ts';

export const DRIVER_IDS = [
  'growth',
  'efficiency',
  'priceDecline',
  'delay',
  'premium',
  'availability',
  'fx',
  'basePrice',
] as const;
export type DriverId = (typeof DRIVER_IDS)[number];

/** `scale` multiplies every instance of the input; `set` replaces it. */
export interface DriverRange {
  readonly id: DriverId;
  readonly mode: 'scale' | 'set';
  readonly low: string;
  readonly high: string;
  /**
   * A `set` range of a per-workload input (efficiency) replaces every workload's own value
   * by one global rate: a tornado question, drawn by the Monte Carlo only when this is true.
   */
  readonly monteCarlo?: boolean;
}

/**
 * docs/model.md's default ranges. The delay's high value is relative to the scenario's own
 * delay (`+4` = base + 4 quarters). Efficiency is a rate in [0, 1) that each workload sets
 * for itself, so by default it is scaled around each workload's own value (0.25 → 0.125 …
 * 0.375), never replaced by a global one; a scaled efficiency is capped at 1 (the whole
 * quantity removed).
 */
export const DEFAULT_RANGES: Readonly<Record<DriverId, DriverRange>> = Object.freeze({
  growth: { id: 'growth', mode: 'scale', low: '0.5', high: '1.5' },
  efficiency: { id: 'efficiency', mode: 'scale', low: '0.5', high: '1.5' },
  priceDecline: { id: 'priceDecline', mode: 'scale', low: '0.5', high: '1.5' },
  delay: { id: 'delay', mode: 'set', low: '0', high: '+4' },
  premium: { id: 'premium', mode: 'set', low: '0', high: '0.30' },
  availability: { id: 'availability', mode: 'set', low: '1', high: '0.70' },
  fx: { id: 'fx', mode: 'scale', low: '0.9', high: '1.1' },
  basePrice: { id: 'basePrice', mode: 'scale', low: '0.8', high: '1.2' },
});

/**
 * The reported token-discipline span (practitioners report 20–40 % removed), for a user who
 * asks for one efficiency for every workload: `{ "efficiency": { "mode": "set", "low":
 * "0.40", "high": "0.20" } }`.
 */
export const SET_EFFICIENCY: DriverRange = Object.freeze({
  id: 'efficiency',
  mode: 'set',
  low: '0.40',
  high: '0.20',
});

const delayValue = z
  .string()
  .regex(/^\+?\d{1,2}$/, 'a delay is a whole number of quarters, or "+N" for the base delay + N');

/** Range overrides as users send them: `{ "growth": { "low": "0.7", "high": "1.3" } }`. */
export const rangesSchema = z
  .strictObject({
    growth: z.strictObject({ low: decimalString({ min: '0' }), high: decimalString({ min: '0' }) }),
    efficiency: z
      .strictObject({
        // Without a mode, an efficiency range is the rate itself, as it always was (and as
        // the forecasts stored before the mode existed meant it).
        mode: z
          .enum(['scale', 'set'], {
            error:
              'must be "scale" (× each workload\'s own efficiency) or "set" (one rate for every workload)',
          })
          .optional(),
        low: decimalString({ min: '0' }),
        high: decimalString({ min: '0' }),
        monteCarlo: z.boolean({ error: 'must be true or false' }).optional(),
      })
      .superRefine((r, ctx) => {
        if (r.mode !== 'scale')
          for (const end of ['low', 'high'] as const)
            if (new Decimal(r[end]).gte(1))
              ctx.addIssue({
                code: 'custom',
                path: [end],
                message: `an efficiency must be < 1 (got ${r[end]}); to scale each workload's own, add "mode": "scale"`,
              });
        if (r.mode === 'scale' && r.monteCarlo !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['monteCarlo'],
            message: 'applies to a "set" range only: a scale range always drives the Monte Carlo',
          });
      }),
    priceDecline: z.strictObject({
      low: decimalString({ min: '0' }),
      high: decimalString({ min: '0' }),
    }),
    delay: z.strictObject({ low: delayValue, high: delayValue }),
    premium: z.strictObject({
      low: decimalString({ gt: '-1' }),
      high: decimalString({ gt: '-1' }),
    }),
    availability: z.strictObject({
      low: decimalString({ min: '0', max: '1' }),
      high: decimalString({ min: '0', max: '1' }),
    }),
    fx: z.strictObject({ low: decimalString({ gt: '0' }), high: decimalString({ gt: '0' }) }),
    basePrice: z.strictObject({
      low: decimalString({ min: '0' }),
      high: decimalString({ min: '0' }),
    }),
  })
  .partial();
export type RangesInput = z.infer<typeof rangesSchema>;

/**
 * The default ranges with the given overrides (the tornado's ranges).
 * @example resolveRanges({ efficiency: { mode: 'set', low: '0.40', high: '0.20' } }).efficiency
 * //=> { id: 'efficiency', mode: 'set', low: '0.40', high: '0.20' }
 */
export function resolveRanges(overrides: RangesInput = {}): Record<DriverId, DriverRange> {
  const out = { ...DEFAULT_RANGES };
  for (const id of DRIVER_IDS) {
    const o = overrides[id];
    if (!o) continue;
    // an efficiency range without a mode sets the rate (see rangesSchema)
    const mode =
      ('mode' in o ? o.mode : undefined) ?? (id === 'efficiency' ? 'set' : DEFAULT_RANGES[id].mode);
    const inMonteCarlo = 'monteCarlo' in o ? o.monteCarlo : undefined;
    out[id] = {
      id,
      mode,
      low: o.low,
      high: o.high,
      ...(inMonteCarlo === undefined ? {} : { monteCarlo: inMonteCarlo }),
    };
  }
  return out;
}

/**
 * The ranges the Monte Carlo draws: the tornado's, except that a `set` range of a
 * per-workload input becomes the default range around each workload's own value unless the
 * user asked for it in the Monte Carlo too (`monteCarlo: true`).
 * @example monteCarloRanges(resolveRanges({ efficiency: { mode: 'set', low: '0.4', high: '0.2' } })).efficiency.mode
 * //=> "scale"
 */
export function monteCarloRanges(
  ranges: Readonly<Record<DriverId, DriverRange>>,
): Record<DriverId, DriverRange> {
  const out = { ...ranges };
  const e = ranges.efficiency;
  if (e.mode === 'set' && e.monteCarlo !== true) out.efficiency = DEFAULT_RANGES.efficiency;
  return out;
}

/** A delay value ("3", "+4") for a scenario whose own delay is `base`. */
export const delayOf = (value: string, base: number): number =>
  value.startsWith('+') ? base + Number(value.slice(1)) : Number(value);

/**
 * The adjustment that puts one driver at `value` (`mode` matters for efficiency only).
 * @example adjustFor('growth', '1.5', s) //=> { growthScale: 1.5 }
 */
export function adjustFor(
  id: DriverId,
  value: string,
  s: ModelScenario,
  mode: 'scale' | 'set' = DEFAULT_RANGES[id].mode,
): Adjust {
  switch (id) {
    case 'growth':
      return { growthScale: new Decimal(value) };
    case 'efficiency':
      return mode === 'set'
        ? { efficiency: new Decimal(value) }
        : { efficiencyScale: new Decimal(value) };
    case 'priceDecline':
      return { declineScale: new Decimal(value) };
    case 'delay':
      return { delay: delayOf(value, s.delay) };
    case 'premium':
      return { premium: new Decimal(value) };
    case 'availability':
      return { availability: new Decimal(value) };
    case 'fx':
      return { fxScale: new Decimal(value) };
    case 'basePrice':
      return { priceScale: new Decimal(value) };
  }
}

export interface TornadoBar {
  readonly scenarioId: string;
  readonly driver: DriverId;
  readonly mode: 'scale' | 'set';
  /** The driver's values, as applied (a relative delay is resolved). */
  readonly low: string;
  readonly high: string;
  readonly totalAtLow: Decimal;
  readonly totalAtHigh: Decimal;
  /** |totalAtHigh − totalAtLow| */
  readonly swing: Decimal;
}

/**
 * Each driver moved to its low and its high value with everything else at base; bars
 * sorted by swing, largest first (ties keep docs/model.md's driver order).
 */
export function tornado(
  model: Model,
  s: ModelScenario,
  ranges: Record<DriverId, DriverRange> = DEFAULT_RANGES,
): TornadoBar[] {
  const base = preparedOnce(model);
  const total = (id: DriverId, value: string) => {
    const adjust = adjustFor(id, value, s, ranges[id].mode);
    return projectTotal(
      model,
      s,
      adjust,
      MOVES_QUANTITY_OR_PRICE.has(id) ? prepare(model, adjust) : base,
    );
  };
  const bars = DRIVER_IDS.map((id) => {
    const r = ranges[id];
    const show = (v: string) => (id === 'delay' ? String(delayOf(v, s.delay)) : v);
    const totalAtLow = total(id, r.low);
    const totalAtHigh = total(id, r.high);
    return {
      scenarioId: s.id,
      driver: id,
      mode: r.mode,
      low: show(r.low),
      high: show(r.high),
      totalAtLow,
      totalAtHigh,
      swing: totalAtHigh.minus(totalAtLow).abs(),
    };
  });
  return bars.sort((a, b) => b.swing.comparedTo(a.swing));
}

/** Drivers that change quantities or unit prices; the others only change the scenario. */
export const MOVES_QUANTITY_OR_PRICE: ReadonlySet<DriverId> = new Set([
  'growth',
  'efficiency',
  'fx',
  'basePrice',
]);

export const GRID_DELAYS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
export const GRID_MULTIPLIERS: readonly string[] = ['0.5', '0.75', '1', '1.25', '1.5'];

export interface Grid {
  readonly scenarioId: string;
  readonly delays: readonly number[];
  readonly multipliers: readonly string[];
  /** totals[i][j]: the horizon total at delays[i] and multipliers[j] × every decline. */
  readonly totals: readonly (readonly Decimal[])[];
}

/** The two-way grid: delay quarters × price-decline multiplier, the horizon total in each cell. */
export function grid(
  model: Model,
  s: ModelScenario,
  delays: readonly number[] = GRID_DELAYS,
  multipliers: readonly string[] = GRID_MULTIPLIERS,
): Grid {
  const scales = multipliers.map((m) => new Decimal(m));
  const prepared = preparedOnce(model);
  return {
    scenarioId: s.id,
    delays,
    multipliers,
    totals: delays.map((delay) =>
      scales.map((declineScale) => projectTotal(model, s, { delay, declineScale }, prepared)),
    ),
  };
}
