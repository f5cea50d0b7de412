import { describe, expect, it } from 'vitest';
import { numberText, parseLocaleDecimal, plainDecimal } from '../../../server/ingest/index.ts';

describe('parseLocaleDecimal', () => {
  it.each([
    ['2,50', ',', '2.50'],
    ['1 250,50', ',', '1250.50'],
    ['1\u00A0250,50', ',', '1250.50'],
    ['1\u202F250,50', ',', '1250.50'],
    ['1.250,50', ',', '1250.50'],
    ['12 345 678,9', ',', '12345678.9'],
    ['1.250.000', ',', '1250000'],
    // a "." and no ",": Excel with mixed regional settings wrote a decimal point
    ['2.5', ',', '2.5'],
    ['1.250', ',', '1.250'],
    ['2,5E-06', ',', '0.0000025'],
    ['1,250.50', '.', '1250.50'],
    ['1250.5', '.', '1250.5'],
    ['0.0000025', '.', '0.0000025'],
    ['2.5E-06', '.', '0.0000025'],
    ['1.5e3', '.', '1500'],
    ['  42  ', '.', '42'],
    ['.5', '.', '0.5'],
    ['007.50', '.', '7.50'],
    ['+3', '.', '3'],
    ['-3,5', ',', '-3.5'],
    ['-0', '.', '0'],
  ] as const)('reads %j with decimal %j as %j', (text, sep, expected) => {
    expect(parseLocaleDecimal(text, sep)).toBe(expected);
  });

  it.each([
    ['', '.'],
    ['   ', ','],
    ['abc', '.'],
    ['1,2,3', '.'],
    ['1.2.3', '.'],
    ['NaN', '.'],
    ['Infinity', '.'],
    ['-Infinity', ','],
    ['12 %', '.'],
    ['$2.50', '.'],
    ['2,50 €', ','],
    ['1,250.50', ','],
    ['1 25,5', ','],
    ['1.250,50', '.'],
    ['1e999', '.'],
    ['-', '.'],
    ['e5', '.'],
    // a first thousands group never starts with 0: "0,125" is a French decimal, not 125
    ['0,125', '.'],
    ['0.125.000', ','],
  ] as const)('refuses %j with decimal %j', (text, sep) => {
    expect(parseLocaleDecimal(text, sep)).toBeNull();
  });
});

describe('plainDecimal and numberText', () => {
  it('write decimals without exponent, keeping the digits as written', () => {
    expect(plainDecimal('1.25e-6')).toBe('0.00000125');
    expect(plainDecimal('2.50')).toBe('2.50');
    expect(plainDecimal('1E+3')).toBe('1000');
    expect(plainDecimal('1,5')).toBeNull();
    expect(plainDecimal('Infinity')).toBeNull();
  });

  it('read a JSON number through its shortest form, exactly', () => {
    expect(numberText(0.0000025)).toBe('0.0000025');
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(numberText(1e21)).toBe('1000000000000000000000');
    expect(numberText(Number.NaN)).toBeNull();
    expect(numberText(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
