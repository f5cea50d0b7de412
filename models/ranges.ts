import { z } from 'zod';
import { decimalString } from './fields.ts';
import { Decimal } from './money.ts';

/*
 * The eight sensitivity drivers and the ranges the tornado and the Monte Carlo move them
 * over: the defaults, the overrides users send (a scenarios file's `sensitivity`, a request's
 * `sensitivity` ranges) and how the two combine. Data and schema only; sensitivity.ts and
 * monte-carlo.ts apply them.
 */
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
