import { Decimal } from '../../models/money.ts';

/** Exponents beyond this are refused rather than written out as thousands of zeros. */
const MAX_EXPONENT = 100;

/** Digits as written, without the exponent: "007.50" → "7.50", "-0" → "0". */
function plain(negative: boolean, int: string, frac: string): string {
  const i = int.replace(/^0+(?=\d)/, '') || '0';
  const digits = frac === '' ? i : `${i}.${frac}`;
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

function scientific(negative: boolean, int: string, frac: string, exp: string): string | null {
  const e = Number(exp);
  if (!Number.isInteger(e) || Math.abs(e) > MAX_EXPONENT) return null;
  const [i = '0', f = ''] = new Decimal(`${int || '0'}.${frac || '0'}e${exp}`).toFixed().split('.');
  return plain(negative, i, f);
}

/** For each decimal separator: the scientific form, and the plain form with grouping. */
const PATTERNS = {
  '.': {
    scientific: /^(\d*)(?:\.(\d*))?[eE]([+-]?\d{1,4})$/,
    grouped: /^([1-9]\d{0,2}([, \u00A0\u202F])\d{3}(?:\2\d{3})*|\d*)(?:\.(\d+))?$/,
  },
  ',': {
    scientific: /^(\d*)(?:,(\d*))?[eE]([+-]?\d{1,4})$/,
    grouped: /^([1-9]\d{0,2}([. \u00A0\u202F])\d{3}(?:\2\d{3})*|\d*)(?:,(\d+))?$/,
  },
} as const;

/**
 * Reads a number as a spreadsheet in English or French writes it and returns it as plain
 * decimal text (digits as written, no exponent, no grouping), or `null` when it is not a
 * number. Thousands may be grouped with "," (when the decimal separator is "."), "." (when
 * it is ","), a space, U+00A0 or U+202F. Excel's scientific form ("2.5E-06") is accepted.
 * With "," as decimal separator, a value that has "." but no "," uses "." as its decimal
 * point (Excel with mixed regional settings), unless it is grouped like "1.250.000".
 * @example parseLocaleDecimal('1 250,50', ',') //=> "1250.50"
 * @example parseLocaleDecimal('1,250.50', '.') //=> "1250.50"
 * @example parseLocaleDecimal('2.5E-06', '.') //=> "0.0000025"
 * @example parseLocaleDecimal('1,2,3', '.') //=> null
 */
export function parseLocaleDecimal(text: string, decimalSeparator: ',' | '.'): string | null {
  let s = text.trim();
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  if (s === '') return null;

  let dec = decimalSeparator;
  if (dec === ',' && s.includes('.') && !s.includes(',') && !/^\d{1,3}(\.\d{3}){2,}$/.test(s))
    dec = '.';
  const patterns = PATTERNS[dec];

  const exp = patterns.scientific.exec(s);
  if (exp) {
    const [, int = '', frac = '', power = ''] = exp;
    return int === '' && frac === '' ? null : scientific(negative, int, frac, power);
  }

  const m = patterns.grouped.exec(s);
  if (!m) return null;
  const [, int = '', , frac = ''] = m;
  if (int === '' && frac === '') return null;
  return plain(negative, int.replace(/\D/g, ''), frac);
}

/**
 * A decimal written in plain JSON/XML style ("0.12", "-3", "2.5e-6") as plain decimal text,
 * or `null` when it is not one.
 * @example plainDecimal('1.25e-6') //=> "0.00000125"
 */
export function plainDecimal(text: string): string | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(text);
  if (!m) return null;
  const [, sign = '', int = '', frac = '', exp] = m;
  if (int === '' && frac === '') return null;
  if (exp !== undefined) return scientific(sign === '-', int, frac, exp);
  return plain(sign === '-', int, frac);
}

/**
 * A JSON or spreadsheet number as plain decimal text, through its shortest round-trip form
 * (`String(n)`), which decimal.js reads exactly; `null` for NaN and infinities.
 * @example numberText(0.0000025) //=> "0.0000025"
 * @example numberText(1e-7) //=> "0.0000001"
 */
export function numberText(n: number): string | null {
  return Number.isFinite(n) ? plainDecimal(String(n)) : null;
}
