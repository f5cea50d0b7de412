import { DateTime } from 'luxon';

/** A calendar quarter label, e.g. `2027-Q1`. */
export type QuarterLabel = `${number}-Q${1 | 2 | 3 | 4}`;

const QUARTER = /^(\d{4})-Q([1-4])$/;
export const MAX_HORIZON = 40;

export interface Quarter {
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
}

/**
 * Reads `YYYY-Qn`; `null` for anything else.
 * @example parseQuarter('2027-Q3') //=> { year: 2027, quarter: 3 }
 */
export function parseQuarter(label: string): Quarter | null {
  const m = QUARTER.exec(label);
  if (!m) return null;
  return { year: Number(m[1]), quarter: Number(m[2]) as Quarter['quarter'] };
}

function firstDay(q: Quarter): DateTime {
  return DateTime.utc(q.year, (q.quarter - 1) * 3 + 1, 1);
}

function label(d: DateTime): QuarterLabel {
  return `${d.year}-Q${d.quarter as 1 | 2 | 3 | 4}`;
}

/**
 * The horizon's calendar quarters, `count` of them from `start`.
 * @example quarterRange('2027-Q3', 3) //=> ['2027-Q3', '2027-Q4', '2028-Q1']
 */
export function quarterRange(start: string, count: number): QuarterLabel[] {
  const key = `${start}|${count}`;
  const known = ranges.get(key);
  if (known) return [...known];
  const q = parseQuarter(start);
  if (!q) throw new RangeError(`not a quarter: ${start}`);
  const d0 = firstDay(q);
  const range = Array.from({ length: count }, (_, t) => label(d0.plus({ months: 3 * t })));
  remember(ranges, key, range);
  return [...range];
}

// Quarter labels are a small, fixed vocabulary: the pure functions below remember what they
// computed (luxon date arithmetic is most of a small forecast's calendar work).
const ranges = new Map<string, readonly QuarterLabel[]>();
const fiscal = new Map<string, string>();
const remember = <V>(cache: Map<string, V>, key: string, value: V) => {
  if (cache.size > 10_000) cache.clear();
  cache.set(key, value);
};

/**
 * Index of `quarter` on a horizon starting at `start` (negative before it).
 * @example quarterIndex('2027-Q1', '2028-Q2') //=> 5
 */
export function quarterIndex(start: string, quarter: string): number {
  const a = parseQuarter(start);
  const b = parseQuarter(quarter);
  if (!a || !b) throw new RangeError(`not a quarter: ${a ? quarter : start}`);
  return (b.year - a.year) * 4 + (b.quarter - a.quarter);
}

/**
 * The fiscal quarter a calendar quarter belongs to. Fiscal years start on the first day of
 * `fiscalYearStartMonth` and are named after the calendar year in which they end. A calendar
 * quarter is placed by its first month, so with a start month that is not a quarter
 * boundary (Feb, Mar, May…) fiscal quarters are the calendar quarters shifted.
 * @example fiscalQuarter('2027-Q3', 7) //=> 'FY2028-Q1'
 * @example fiscalQuarter('2027-Q2', 7) //=> 'FY2027-Q4'
 * @example fiscalQuarter('2027-Q1', 1) //=> 'FY2027-Q1'
 */
export function fiscalQuarter(quarter: string, fiscalYearStartMonth: number): string {
  const key = `${quarter}|${fiscalYearStartMonth}`;
  const known = fiscal.get(key);
  if (known) return known;
  const q = parseQuarter(quarter);
  if (!q) throw new RangeError(`not a quarter: ${quarter}`);
  const month = firstDay(q);
  // Months elapsed since the start of the fiscal year that contains `month`.
  const offset = (((month.month - fiscalYearStartMonth) % 12) + 12) % 12;
  const fyStart = month.minus({ months: offset });
  const fyEnd = fyStart.plus({ months: 11 });
  const result = `FY${fyEnd.year}-Q${Math.floor(offset / 3) + 1}`;
  remember(fiscal, key, result);
  return result;
}

/**
 * The fiscal year label of a fiscal quarter label.
 * @example fiscalYearOf('FY2028-Q1') //=> 'FY2028'
 */
export function fiscalYearOf(fiscalQuarterLabel: string): string {
  return fiscalQuarterLabel.slice(0, fiscalQuarterLabel.indexOf('-'));
}
