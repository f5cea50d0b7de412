import { type Assumptions, workloadSchema } from './assumptions.ts';
import { currencyCode, decimalString } from './fields.ts';
import { buildModel } from './model.ts';
import type { PriceSheet } from './price-sheet.ts';
import type { InputIssue } from './result.ts';

const rateSchema = decimalString({ gt: '0' });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The join problems (a SKU no sheet has, a unit that differs from the price's, a currency
 * without an FX rate) of the part of `raw` assumptions that passes the schema: each workload
 * that is valid on its own, joined with the sheets, with the valid reporting currency and FX
 * rates. A caller that found schema problems reports these beside them, so that every
 * problem is told in one pass. FX problems are left out while the currency or a rate is
 * itself invalid (they would be a consequence). Paths are those of `raw`.
 * @example joinProblems({ workloads: [{ …, efficiency: '1.5' }, { …, unit: '1K tokens' }] }, sheets)
 * //=> [{ field: 'workloads.1.unit', value: '1K tokens', message: 'unit "1K tokens" differs from …' }]
 */
export function joinProblems(raw: unknown, sheets: readonly PriceSheet[]): InputIssue[] {
  if (!isObject(raw) || !Array.isArray(raw.workloads)) return [];
  const indexes: number[] = [];
  const workloads: Assumptions['workloads'] = [];
  raw.workloads.forEach((w, i) => {
    const parsed = workloadSchema.safeParse(w);
    if (parsed.success) {
      indexes.push(i);
      workloads.push(parsed.data);
    }
  });
  if (workloads.length === 0) return [];

  const currency = currencyCode.safeParse(raw.reportingCurrency);
  const fx: Record<string, string> = {};
  let fxValid = currency.success;
  if (isObject(raw.fx))
    for (const [c, r] of Object.entries(raw.fx)) {
      const code = currencyCode.safeParse(c);
      const value = rateSchema.safeParse(r);
      if (code.success && value.success) fx[code.data] = value.data;
      else fxValid = false;
    }
  else if (raw.fx !== undefined) fxValid = false;

  const assumptions: Assumptions = {
    name: 'check',
    startQuarter: '2000-Q1',
    horizonQuarters: 1,
    fiscalYearStartMonth: 1,
    reportingCurrency: currency.success ? currency.data : 'XXX',
    fx,
    providers: [],
    workloads,
  };
  const built = buildModel(assumptions, sheets);
  if (built.ok) return [];
  return built.issues.flatMap((issue) => {
    if (issue.field === 'fx') return fxValid ? [issue] : [];
    const field = issue.field?.replace(
      /^workloads\.(\d+)/,
      (_, k: string) => `workloads.${indexes[Number(k)]}`,
    );
    return [{ ...issue, ...(field === undefined ? {} : { field }) }];
  });
}
