/**
 * What a reviewer should know about a forecast that is not an error: the forecast JSON's
 * `warnings` are these in English, and the workbook shows them in its own language.
 */
export type Notice =
  | { readonly kind: 'unknown-jurisdiction'; readonly provider: string }
  | {
      readonly kind: 'budget-outside-horizon';
      readonly fiscalYear: string;
      readonly fiscalYears: readonly string[];
    }
  | { readonly kind: 'partial-budget-year'; readonly fiscalYear: string; readonly quarters: number }
  | {
      readonly kind: 'stale-price';
      readonly workload: string;
      readonly sku: string;
      readonly provider: string;
      readonly sheet: string;
      readonly asOf: string;
      readonly newerSheet: string;
      readonly newerAsOf: string;
    };

/**
 * A notice in English, as the forecast JSON's `warnings` state it.
 * @example noticeText({ kind: 'unknown-jurisdiction', provider: 'Acme' })
 * //=> 'provider "Acme" is not in the providers table: its jurisdiction is unknown'
 */
export function noticeText(n: Notice): string {
  switch (n.kind) {
    case 'unknown-jurisdiction':
      return `provider "${n.provider}" is not in the providers table: its jurisdiction is unknown`;
    case 'budget-outside-horizon':
      return `budget ${n.fiscalYear} is outside the horizon (${n.fiscalYears.join(', ')})`;
    case 'partial-budget-year':
      return `${n.fiscalYear} has only ${n.quarters} of its 4 quarters in the horizon: its budget comparison is partial`;
    case 'stale-price':
      return `workload "${n.workload}": SKU "${n.sku}" of ${n.provider} is priced from ${n.sheet} (as of ${n.asOf}); the newer ${n.newerSheet} (as of ${n.newerAsOf}) has ${n.provider} prices but not this SKU`;
  }
}

/** Notices with the same text once, in order. */
export function uniqueNotices(notices: readonly Notice[]): Notice[] {
  const seen = new Set<string>();
  return notices.filter((n) => {
    const text = noticeText(n);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}
