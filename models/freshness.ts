import { parseQuarter, quarterIndex } from './quarters.ts';

/**
 * How fresh prices are, and which source of a price wins. One rule everywhere (forecast JSON,
 * API listings, CLI, workbook): a price sheet is stale when its as-of quarter is more than
 * `staleAfterQuarters` quarters before the forecast's as-of quarter.
 */

/** Quarters a sheet may lag the forecast's as-of quarter before it is stale. */
export const DEFAULT_STALE_AFTER_QUARTERS = 1;
export const MAX_STALE_AFTER_QUARTERS = 40;

/**
 * Where a price sheet's prices come from, by precedence: a negotiated contract beats the
 * provider's own price list, which beats a bulk catalogue (LiteLLM). Among sheets of one kind,
 * the newest wins.
 */
export const SHEET_KINDS = ['contract', 'provider', 'catalogue'] as const;
export type SheetKind = (typeof SHEET_KINDS)[number];

/** Higher wins. */
export const KIND_RANK: Readonly<Record<SheetKind, number>> = {
  contract: 3,
  provider: 2,
  catalogue: 1,
};

/**
 * The kind of a sheet not told explicitly: a catalogue by its format, a contract when any
 * row carries a ContractedUnitPrice, else a provider price list.
 * @example inferSheetKind('csv', [{ ContractedUnitPrice: '2.25' }]) //=> "contract"
 */
export function inferSheetKind(
  format: string,
  rows: Iterable<{ readonly ContractedUnitPrice?: string | undefined }>,
): SheetKind {
  if (format === 'litellm') return 'catalogue';
  for (const r of rows) if (r.ContractedUnitPrice !== undefined) return 'contract';
  return 'provider';
}

/**
 * The quarter a date falls in, in UTC.
 * @example quarterOfDate(new Date('2026-11-22T10:00:00Z')) //=> "2026-Q4"
 */
export const quarterOfDate = (d: Date): string =>
  `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;

/**
 * The forecast's as-of quarter — the one source of truth for the workbook's "as of", its
 * file name, the stored forecast's `quarter` and the staleness of its prices: the `asOf`
 * quarter the forecast was asked for, else the quarter (UTC) in which it was generated.
 * @example forecastAsOfQuarter(undefined, new Date('2026-11-22T10:00:00Z')) //=> "2026-Q4"
 * @example forecastAsOfQuarter('2026-Q3', new Date('2026-11-22T10:00:00Z')) //=> "2026-Q3"
 */
export function forecastAsOfQuarter(asOf: string | null | undefined, generatedAt: Date): string {
  return asOf ?? quarterOfDate(generatedAt);
}

/**
 * The quarter an as-of date (`2026-07-24`) or quarter (`2026-Q3`) falls in; null otherwise.
 * @example asOfQuarterOf('2026-07-24') //=> "2026-Q3"
 */
export function asOfQuarterOf(text: string | null | undefined): string | null {
  if (!text) return null;
  if (parseQuarter(text)) return text;
  const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(text);
  return m ? `${m[1]}-Q${Math.floor((Number(m[2]) - 1) / 3) + 1}` : null;
}

export interface Freshness {
  /** Whole quarters from the sheet's as-of quarter to the forecast's; null when unknown. */
  readonly ageQuarters: number | null;
  /** `ageQuarters > staleAfterQuarters`; null when the age is unknown. */
  readonly stale: boolean | null;
}

/**
 * The rule: a sheet as of `sheetQuarter` is stale for a forecast as of `forecastQuarter` when
 * it is more than `staleAfterQuarters` quarters older.
 * @example freshness('2026-Q1', '2026-Q3', 1) //=> { ageQuarters: 2, stale: true }
 * @example freshness('2026-Q2', '2026-Q3', 1) //=> { ageQuarters: 1, stale: false }
 */
export function freshness(
  sheetQuarter: string | null | undefined,
  forecastQuarter: string | null | undefined,
  staleAfterQuarters: number = DEFAULT_STALE_AFTER_QUARTERS,
): Freshness {
  if (!sheetQuarter || !forecastQuarter) return { ageQuarters: null, stale: null };
  if (!parseQuarter(sheetQuarter) || !parseQuarter(forecastQuarter))
    return { ageQuarters: null, stale: null };
  const age = quarterIndex(sheetQuarter, forecastQuarter);
  return { ageQuarters: age, stale: age > staleAfterQuarters };
}

/**
 * Reads a staleness threshold (an option or `COSTCAST_STALE_AFTER_QUARTERS`): a whole number
 * of quarters from 0 to {@link MAX_STALE_AFTER_QUARTERS}; an error message otherwise.
 * @example staleAfterQuartersOf('2') //=> { ok: true, value: 2 }
 */
export function staleAfterQuartersOf(
  text: string | undefined,
): { ok: true; value: number } | { ok: false; message: string } {
  if (text === undefined || text.trim() === '')
    return { ok: true, value: DEFAULT_STALE_AFTER_QUARTERS };
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > MAX_STALE_AFTER_QUARTERS)
    return {
      ok: false,
      message: `must be a whole number of quarters from 0 to ${MAX_STALE_AFTER_QUARTERS} (got "${text}")`,
    };
  return { ok: true, value: Number(t) };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function isoDay(y: number, m: number, d: number): string | null {
  // a month outside 1–12 has no entry
  const monthDays = DAYS_IN_MONTH[m - 1];
  if (y < 1900 || y > 2200 || monthDays === undefined || d < 1) return null;
  if (d > monthDays || (m === 2 && d === 29 && !isLeap(y))) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Day first, as French (and most non-US) Excel writes it: 24/07/2026, 24.07.2026, 24-07-2026. */
const DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

/**
 * An `x_AsOf` value as an ISO date, or why it is not one. Accepted: ISO dates (`2026-07-24`)
 * and day-first dates as French Excel writes them (`24/07/2026`, `24.07.2026`, `24-07-2026`).
 * Refused: impossible dates (`31/02/2026`), month-first US dates (`07/24/2026`), two-digit
 * years, bare years and anything else.
 * @example readAsOfDate('24/07/2026') //=> { ok: true, date: "2026-07-24" }
 */
export function readAsOfDate(
  text: string,
): { ok: true; date: string } | { ok: false; message: string } {
  const t = text.trim();
  const expected = 'write the date the price was true as 2026-07-24 or 24/07/2026 (day first)';
  const iso = ISO.exec(t);
  if (iso) {
    const date = isoDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date
      ? { ok: true, date }
      : { ok: false, message: `"${t}" is not a real date (year-month-day); ${expected}` };
  }
  const dm = DAY_FIRST.exec(t);
  if (dm) {
    const [d, m, y] = [Number(dm[1]), Number(dm[3]), Number(dm[4])];
    const date = isoDay(y, m, d);
    if (date) return { ok: true, date };
    const usMonthFirst = isoDay(y, d, m) !== null;
    return {
      ok: false,
      message: usMonthFirst
        ? `"${t}" is not a date read day first (day ${d}, month ${m}); month-first US dates are not accepted: ${expected}`
        : `"${t}" is not a real date (day ${d}, month ${m}); ${expected}`,
    };
  }
  return { ok: false, message: `"${t}" is not a date; ${expected}` };
}
