import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, decimalFromText, money, rate } from '../../models/money.ts';

describe('money: 2 places, half away from zero (Excel ROUND)', () => {
  it.each([
    ['2.675', '2.68'],
    ['-2.675', '-2.68'],
    ['2.665', '2.67'],
    ['0.005', '0.01'],
    ['-0.005', '-0.01'],
    ['0.0049999999999', '0.00'],
    ['1234567.1', '1234567.10'],
    ['0', '0.00'],
  ])('%s → %s', (x, expected) => {
    expect(money(new Decimal(x))).toBe(expected);
  });

  it('writes rates to a fixed number of places', () => {
    expect(rate(new Decimal('0.123456789'))).toBe('0.123457');
    expect(rate(new Decimal('0.5'), 4)).toBe('0.5000');
  });

  it.each([
    ['0.995', '1.00'],
    ['-0.995', '-1.00'],
    ['999999.995', '1000000.00'],
    ['-0.001', '-0.00'],
    ['0.00000000001', '0.00'],
    ['1e30', '1000000000000000000000000000000.00'],
    ['1234567.12345678901234', '1234567.12'],
  ])('carries and signs as toFixed does: %s → %s', (x, expected) => {
    expect(money(new Decimal(x))).toBe(expected);
  });

  it('writes exactly what decimal.js toFixed(places, ROUND_HALF_UP) writes (fast-check)', () => {
    // Digits and exponents that reach every word boundary of decimal.js's base-10^7 digits,
    // with runs of 9s and 4s/5s at the rounding position.
    const digitText = fc
      .array(fc.constantFrom('0', '1', '4', '5', '9', '9', '9'), { minLength: 1, maxLength: 40 })
      .map((ds) => ds.join(''));
    const decimal = fc
      .record({
        sign: fc.constantFrom('', '-'),
        digits: digitText,
        exponent: fc.integer({ min: -45, max: 40 }),
      })
      .map(({ sign, digits, exponent }) => new Decimal(`${sign}${digits}e${exponent}`));
    const computed = fc
      .tuple(decimal, decimal)
      .map(([a, b]) => (b.isZero() ? a.times(b) : a.dividedBy(b)));
    fc.assert(
      fc.property(fc.oneof(decimal, computed), fc.integer({ min: 0, max: 12 }), (x, places) => {
        expect(rate(x, places)).toBe(x.toFixed(places, Decimal.ROUND_HALF_UP));
        expect(money(x)).toBe(x.toFixed(2, Decimal.ROUND_HALF_UP));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('decimalFromText', () => {
  it('reads plain decimals and exponents', () => {
    expect(decimalFromText('0.12')?.toString()).toBe('0.12');
    expect(decimalFromText('-5')?.toString()).toBe('-5');
    expect(decimalFromText('2.5e-6')?.toString()).toBe('0.0000025');
  });

  it.each([
    '',
    ' 12',
    '12 ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1,5',
    '0x10',
    '1e999',
    '1e-999',
    '.',
  ])('refuses %j', (text) => {
    expect(decimalFromText(text)).toBeNull();
  });
});
