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
  return fixed(amount, 2);
}

/**
 * A rate or share as it leaves the API, to `places` decimals (default 6), trailing zeros kept.
 * @example rate(new Decimal('0.123456789')) //=> "0.123457"
 */
export function rate(value: Decimal, places = 6): string {
  return fixed(value, places);
}

const WORD_ZEROS = '0000000';

/**
 * `x.toFixed(places, ROUND_HALF_UP)`, written from the decimal's digits without the copy and
 * rounding of a new Decimal: a forecast formats hundreds of amounts, and this is a third of
 * the cost. A decimal.js value is `s × 0.d₀d₁… × 10^(e+1)`, with `d` in words of 7 digits
 * (the first without leading zeros) and `e` the exponent of its first digit; the tests check
 * it against `toFixed` on arbitrary values.
 */
function fixed(x: Decimal, places: number): string {
  const words = x.d;
  if (!words) return x.toFixed(places, Decimal.ROUND_HALF_UP);
  // The digits kept: those down to 10^-places, then one more to round on.
  const kept = x.e + 1 + places;
  let digits = `${words[0]}`;
  for (let i = 1; i < words.length && digits.length <= kept; i++) {
    const w = `${words[i]}`;
    digits += w.length === 7 ? w : WORD_ZEROS.slice(w.length) + w;
  }
  // |x| × 10^places, rounded half up, as a digit string.
  let scaled: string;
  if (kept <= 0) scaled = kept === 0 && digits.charCodeAt(0) >= 53 ? '1' : '0';
  else if (digits.length <= kept) scaled = digits + '0'.repeat(kept - digits.length);
  else if (digits.charCodeAt(kept) < 53) scaled = digits.substring(0, kept);
  else {
    // '5' or more: add one, carrying through trailing nines.
    scaled = digits.substring(0, kept);
    let i = kept - 1;
    while (i >= 0 && scaled.charCodeAt(i) === 57) i--;
    scaled =
      i < 0
        ? `1${'0'.repeat(kept)}`
        : scaled.substring(0, i) +
          String.fromCharCode(scaled.charCodeAt(i) + 1) +
          '0'.repeat(kept - 1 - i);
  }
  if (scaled.length <= places) scaled = '0'.repeat(places + 1 - scaled.length) + scaled;
  const split = scaled.length - places;
  // (concatenation rather than a template literal: measurably cheaper here)
  const text = places === 0 ? scaled : scaled.substring(0, split) + '.' + scaled.substring(split);
  // As toFixed: the sign of the value before rounding, none for zero.
  return x.s < 0 && words[0] !== 0 ? `-${text}` : text;
}

/** Σ of decimals; 0 for none. */
export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
