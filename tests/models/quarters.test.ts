import { describe, expect, it } from 'vitest';
import { fiscalQuarter, parseQuarter, quarterIndex, quarterRange } from '../../models/quarters.ts';

// CI runs this file under several time zones (npm run test:tz): labels must never shift.
describe(`quarters (TZ=${process.env.TZ ?? 'system'})`, () => {
  it('reads only YYYY-Qn labels', () => {
    expect(parseQuarter('2027-Q4')).toEqual({ year: 2027, quarter: 4 });
    for (const bad of ['2027-Q5', '2027-Q0', '2027Q1', ' 2027-Q1', '27-Q1', '2027-q1', ''])
      expect(parseQuarter(bad)).toBeNull();
  });

  it('lays out the horizon across year ends', () => {
    expect(quarterRange('2027-Q3', 4)).toEqual(['2027-Q3', '2027-Q4', '2028-Q1', '2028-Q2']);
    expect(quarterRange('2027-Q1', 40).at(-1)).toBe('2036-Q4');
    expect(quarterIndex('2027-Q3', '2029-Q1')).toBe(6);
  });

  it('names fiscal years after the calendar year they end in', () => {
    // a January start: fiscal = calendar
    expect(fiscalQuarter('2027-Q1', 1)).toBe('FY2027-Q1');
    // an April start (UK, India, Japan): Apr–Jun 2027 opens FY2028
    expect(fiscalQuarter('2027-Q2', 4)).toBe('FY2028-Q1');
    expect(fiscalQuarter('2027-Q1', 4)).toBe('FY2027-Q4');
    // a July start (Australia, Egypt): Jul–Sep 2027 opens FY2028
    expect(fiscalQuarter('2027-Q3', 7)).toBe('FY2028-Q1');
    expect(fiscalQuarter('2027-Q2', 7)).toBe('FY2027-Q4');
    // an October start (US federal): Oct–Dec 2027 opens FY2028
    expect(fiscalQuarter('2027-Q4', 10)).toBe('FY2028-Q1');
    // a February start is not on a quarter boundary: a quarter goes by its first month;
    // January 2027 is the last month of the year Feb 2026 – Jan 2027 = FY2027
    expect(fiscalQuarter('2027-Q1', 2)).toBe('FY2027-Q4');
    expect(fiscalQuarter('2027-Q2', 2)).toBe('FY2028-Q1');
    // December start: December 2026 – November 2027 = FY2027; Jan 2027 is its 2nd month
    expect(fiscalQuarter('2027-Q1', 12)).toBe('FY2027-Q1');
    expect(fiscalQuarter('2027-Q4', 12)).toBe('FY2027-Q4');
  });
});
