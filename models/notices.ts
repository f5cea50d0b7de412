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
    }
  | {
      /** A source of lower precedence (a catalogue under a provider's list) was not used. */
      readonly kind: 'precedence-skipped';
      readonly workload: string;
      readonly sku: string;
      readonly provider: string;
      readonly sheet: string;
      readonly sheetKind: string;
      readonly skippedSheet: string;
      readonly skippedKind: string;
      readonly skippedAsOf: string | null;
    }
  | {
      /** A price came from a source of lower precedence: the higher one does not list it. */
      readonly kind: 'precedence-fallback';
      readonly workload: string;
      readonly sku: string;
      readonly provider: string;
      readonly sheet: string;
      readonly sheetKind: string;
      readonly higherSheet: string;
      readonly higherKind: string;
    }
  | {
      /**
       * A what-if's `adjust` (models/adjust.ts): every workload's growth and efficiency were
       * multiplied before the projection; the assumptions the forecast shows are the result.
       */
      readonly kind: 'what-if-adjustment';
      readonly growth: string | null;
      readonly efficiency: string | null;
    };

const KIND_TEXT: Record<string, string> = {
  contract: 'contract',
  provider: 'provider price list',
  catalogue: 'catalogue',
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
    case 'precedence-skipped':
      return `workload "${n.workload}": SKU "${n.sku}" of ${n.provider} is priced from the ${KIND_TEXT[n.sheetKind]} ${n.sheet}; the ${KIND_TEXT[n.skippedKind]} ${n.skippedSheet}${n.skippedAsOf ? ` (as of ${n.skippedAsOf})` : ''} also lists it and was not used (contract > provider price list > catalogue)`;
    case 'precedence-fallback':
      return `workload "${n.workload}": SKU "${n.sku}" of ${n.provider} is priced from the ${KIND_TEXT[n.sheetKind]} ${n.sheet}, because the ${KIND_TEXT[n.higherKind]} ${n.higherSheet} has ${n.provider} prices but not this SKU`;
    case 'what-if-adjustment': {
      const applied = [
        ...(n.growth === null ? [] : [`growth × ${n.growth}`]),
        ...(n.efficiency === null ? [] : [`efficiency × ${n.efficiency}`]),
      ];
      const fields = [
        ...(n.growth === null ? [] : ['growthPerQuarter']),
        ...(n.efficiency === null ? [] : ['efficiency']),
      ];
      return `${applied.join(', ')} applied as what-if multipliers: each workload's ${fields.join(' and ')} multiplied before the projection (the assumptions shown are the adjusted ones)`;
    }
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
