import { Decimal as DecimalBase } from 'decimal.js';

/**
 * The decimal type every price and cost is held in. A private clone of decimal.js with 34
 * significant digits and Excel's rounding (half away from zero), so no other code's global
 * configuration can change our arithmetic.
 */
export const Decimal = DecimalBase.clone({
  precision: 34,
  rounding: DecimalBase.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO: Decimal = new Decimal(0);
export const ONE: Decimal = new Decimal(1);

/** Cell costs are held to 12 decimal places so that every breakdown adds up exactly. */
export const CELL_PLACES = 12;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Larger or smaller magnitudes than 10^±100 are typing mistakes, not prices or rates. */
const MAX_EXPONENT = 100;

/**
 * Reads a decimal written in plain text ("12", "-0.5", "2.5e-6"); anything else
 * (empty, "NaN", "Infinity", "1,5", " 12", "1e999") is `null`.
 * @example decimalFromText('0.12')?.toString() //=> "0.12"
 */
export function decimalFromText(text: string): Decimal | null {
  if (text.length > 200 || !DECIMAL_TEXT.test(text)) return null;
  const d = new Decimal(text);
  return d.isZero() || Math.abs(d.e) <= MAX_EXPONENT ? d : null;
}

/**
 * An amount as it leaves the API: 2 places, half away from zero, like Excel's ROUND.
 * @example money(new Decimal('2.675')) //=> "2.68"
 * @example money(new Decimal('-2.675')) //=> "-2.68"
 */
export function money(amount: Decimal): string {
  return amount.toFixed(2, Decimal.ROUND_HALF_UP);
}

/**
 * A rate or share as it leaves the API, to `places` decimals (default 6), trailing zeros kept.
 * @example rate(new Decimal('0.123456789')) //=> "0.123457"
 */
export function rate(value: Decimal, places = 6): string {
  return value.toFixed(places, Decimal.ROUND_HALF_UP);
}

/** Σ of decimals; 0 for none. */
export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
