import { describe, expect, it } from 'vitest';
import { priceText, quarterCode } from '../../web/src/pages/EditorText.ts';

// Worked by hand on the digits: four decimals kept (four significant ones below 1), the fifth
// rounding half up, trailing zeros dropped, "≈" when a digit was dropped.
describe('the price beside a picked SKU', () => {
  it('keeps four decimals of a long price, rounded half up, in the reader’s style', () => {
    // 14.0675|598… → the fifth decimal 5 rounds 14.0675 up to 14.0676.
    expect(priceText('en', '14.0675598969041')).toBe('≈ 14.0676');
    expect(priceText('fr', '14.0675598969041')).toBe('≈ 14,0676');
    // 1.23454|9 → 4 < 5: 1.2345 stays.
    expect(priceText('en', '-1.234549')).toBe('≈ -1.2345');
  });

  it('carries a round-up through the whole number, and drops the zeros it leaves', () => {
    // 9.9999|5 → 10.0000 → "10"; 0.9999|9 → 1.0000 → "1".
    expect(priceText('en', '9.99995')).toBe('≈ 10');
    expect(priceText('en', '0.99999')).toBe('≈ 1');
  });

  it('keeps four significant decimals of a price below one', () => {
    // 0.000002512|345: five zeros then 2512, the next digit 3 drops.
    expect(priceText('en', '0.000002512345')).toBe('≈ 0.000002512');
    // 0.15, 2.25, 0.0000025 and 12 have nothing to drop: shown as stored.
    expect(priceText('fr', '0.15')).toBe('0,15');
    expect(priceText('en', '2.25')).toBe('2.25');
    expect(priceText('en', '0.0000025')).toBe('0.0000025');
    expect(priceText('en', '12')).toBe('12');
  });
});

describe('a quarter typed in the form', () => {
  it('is read either way round, with Q or the French T, in any case', () => {
    for (const typed of [
      '2027-Q1',
      '2027Q1',
      '2027 q1',
      ' 2027-T1 ',
      'Q1 2027',
      'T1 2027',
      't1-2027',
    ])
      expect(quarterCode(typed)).toBe('2027-Q1');
    expect(quarterCode('T4 2026')).toBe('2026-Q4');
  });

  it('is sent as typed when it is no quarter, for the service to say so at its field', () => {
    expect(quarterCode('2027-T5')).toBe('2027-T5');
    expect(quarterCode('Q1')).toBe('Q1');
    expect(quarterCode('')).toBe('');
  });
});
