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
