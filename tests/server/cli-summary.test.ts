import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import { cliAmount, summaryLines } from '../../server/cli/summary.ts';
import { tinyAssumptions, tinySheet } from '../models/tiny.ts';

describe('the CLI summary', () => {
  it('writes amounts with grouped thousands and the currency', () => {
    expect(cliAmount('1549133.93', 'MAD', 'en')).toBe('1,549,133.93 MAD');
    expect(cliAmount('1549133.93', 'MAD', 'fr')).toBe('1 549 133,93 MAD');
    expect(cliAmount('-157244.24', 'MAD', 'fr')).toBe('-157 244,24 MAD');
    expect(cliAmount('999.00', 'EUR', 'en')).toBe('999.00 EUR');
    expect(cliAmount('0.00', 'EUR', 'fr')).toBe('0,00 EUR');
  });

  it('says when a fiscal year has no budget and how much of it the horizon covers', () => {
    // Six quarters from 2027-Q1: FY2027 whole, FY2028 two quarters, no budget for it.
    const f = forecast(tinyAssumptions({ horizonQuarters: 6 }), [tinySheet], { draws: 0 });
    if (!f.ok) throw new Error(JSON.stringify(f.issues));
    const en = summaryLines(f.value.json, 'en');
    const fr = summaryLines(f.value.json, 'fr');
    expect(en[0]).toBe('Tiny — EUR, 2027-Q1…2028-Q2');
    expect(fr[0]).toBe('Tiny — EUR, T1 2027…T2 2028');
    expect(en.filter((l) => l.trim().startsWith('FY2028'))).toHaveLength(2);
    for (const l of en.filter((x) => x.trim().startsWith('FY2028')))
      expect(l).toMatch(/EUR {3}no budget \(2 of 4 quarters\)$/);
    for (const l of fr.filter((x) => x.trim().startsWith('EX2028')))
      expect(l).toMatch(/EUR {3}pas de budget \(2 trimestres sur 4\)$/);
  });
});
