import type { ForecastJson } from '../../models/forecast-json.ts';
import { Decimal } from '../../models/money.ts';
import { groupDigits, LABELS, type Locale } from '../../templates/labels.ts';

/** The CLI's words, in English and French. */
const WORDS = {
  en: {
    budget: 'budget',
    noBudget: 'no budget',
    within: 'within budget',
    over: (by: string) => `OVER BUDGET by ${by}`,
    partial: (n: number) => `(${n} of 4 quarters)`,
    stale: (name: string, asOf: string, age: number, forecast: string, after: number) =>
      `STALE PRICES: ${name} is as of ${asOf}, ${age} quarters before the forecast's ${forecast} (stale after ${after}); refresh it`,
  },
  fr: {
    budget: 'budget',
    noBudget: 'pas de budget',
    within: 'dans le budget',
    over: (by: string) => `BUDGET DÉPASSÉ de ${by}`,
    partial: (n: number) => `(${LABELS.fr.text.quarterCount(n)} sur 4)`,
    stale: (name: string, asOf: string, age: number, forecast: string, after: number) =>
      `PRIX PÉRIMÉS : ${name} date du ${asOf}, ${LABELS.fr.text.quarterCount(age)} avant le ${forecast} de la prévision (périmé après ${LABELS.fr.text.quarterCount(after)}) ; à actualiser`,
  },
} as const;

/**
 * An amount with its thousands grouped and its currency: `1,549,133.93 MAD` in English,
 * `1 549 133,93 MAD` in French (grouped by plain spaces, as a terminal shows them).
 * @example cliAmount('1549133.93', 'MAD', 'fr') //=> "1 549 133,93 MAD"
 */
export function cliAmount(amount: string, currency: string, locale: Locale): string {
  const text = locale === 'fr' ? groupDigits(amount, ' ', ',') : groupDigits(amount, ',', '.');
  return `${text} ${currency}`;
}

/**
 * The summary the CLI prints after writing its files: per scenario the horizon total, then
 * each fiscal year's total against its budget, an exceeded budget flagged with the excess.
 * Quarters, fiscal years and default scenario names are written as the workbook writes them
 * in `locale`.
 * @example summaryLines(json, 'en')[2] //=> "    FY2027      761,320.20 MAD   budget 850,000.00 MAD   within budget"
 */
export function summaryLines(json: ForecastJson, locale: Locale): string[] {
  const T = LABELS[locale].text;
  const W = WORDS[locale];
  const money = (a: string) => cliAmount(a, json.currency, locale);
  const names = json.scenarios.map((s) => T.scenarioName(s.id, s.name));
  const years = json.scenarios.flatMap((s) => Object.entries(s.byFiscalYear));
  const nameWidth = Math.max(...names.map((n) => n.length));
  const moneyWidth = Math.max(
    ...json.scenarios.map((s) => money(s.total).length),
    ...years.map(([, y]) => money(y.total).length),
  );
  const budgetWidth = Math.max(0, ...years.map(([, y]) => (y.budget ? money(y.budget).length : 0)));
  const fyWidth = Math.max(0, ...years.map(([fy]) => T.fiscalYear(fy).length));

  const lines = [
    `${json.name} — ${json.currency}, ${T.quarter(json.quarters[0] ?? '')}…${T.quarter(json.quarters.at(-1) ?? '')}`,
  ];
  json.scenarios.forEach((s) => {
    lines.push(
      `  ${T.scenarioName(s.id, s.name).padEnd(nameWidth)}  ${money(s.total).padStart(moneyWidth + 4)}`,
    );
    for (const [fy, y] of Object.entries(s.byFiscalYear)) {
      const partial = y.complete ? '' : ` ${W.partial(y.quarterCount)}`;
      const head = `    ${T.fiscalYear(fy).padEnd(fyWidth)}  ${money(y.total).padStart(moneyWidth)}`;
      if (y.budget === null) {
        lines.push(`${head}   ${W.noBudget}${partial}`);
        continue;
      }
      const excess = new Decimal(y.total).minus(y.budget);
      const verdict = excess.gt(0) ? W.over(money(excess.toFixed(2))) : W.within;
      lines.push(
        `${head}   ${W.budget} ${money(y.budget).padStart(budgetWidth)}   ${verdict}${partial}`,
      );
    }
  });
  return lines;
}

/**
 * One flag line per stale price sheet of the forecast, in `locale`.
 * @example staleLines(json, 'en')[0] //=> "STALE PRICES: oracle.csv is as of 2024-01-19, 11 quarters before the forecast's 2026-Q4 (stale after 1); refresh it"
 */
export function staleLines(json: ForecastJson, locale: Locale): string[] {
  const T = LABELS[locale].text;
  const W = WORDS[locale];
  return json.priceSheets
    .filter((s) => s.stale)
    .map((s) =>
      W.stale(
        s.name,
        s.asOfDate ?? T.quarter(s.asOfQuarter ?? ''),
        s.ageQuarters ?? 0,
        T.quarter(json.asOfQuarter ?? ''),
        json.staleAfterQuarters,
      ),
    );
}
