import { UNKNOWN_JURISDICTION } from './model.ts';
import { type Decimal, sum, ZERO } from './money.ts';
import type { Projection } from './projection.ts';

export interface Concentration {
  readonly scenarioId: string;
  /** Horizon spend by provider, fallback shares with the fallback provider, largest first. */
  readonly spendByProvider: ReadonlyMap<string, Decimal>;
  readonly byProvider: ReadonlyMap<string, Decimal>;
  readonly byJurisdiction: ReadonlyMap<string, Decimal>;
  /** Σ share² × 10 000 over providers (0 – 10 000). */
  readonly hhi: Decimal;
  readonly jurisdictionHhi: Decimal;
  /** Horizon spend that spills to fallback providers, by provider. */
  readonly fallbackByProvider: ReadonlyMap<string, Decimal>;
}

const sorted = (m: ReadonlyMap<string, Decimal>) =>
  new Map([...m].sort((a, b) => b[1].comparedTo(a[1]) || a[0].localeCompare(b[0])));

// s × s is s.pow(2): both are the square rounded once to 34 digits, half up (pow's guard
// digits keep every digit the rounding looks at), and times costs a third as much.
const hhiOf = (shares: Iterable<Decimal>) => sum([...shares].map((s) => s.times(s))).times(10_000);

/**
 * Spend share by provider and by jurisdiction over the horizon, and the Herfindahl–Hirschman
 * index. One provider with everything gives an HHI of 10 000; four equal providers, 2 500.
 */
export function concentration(p: Projection): Concentration {
  const jurisdictionOf = new Map<string, string>();
  const fallbackByProvider = new Map<string, Decimal>();
  for (const w of p.workloads) {
    const { primary, fallback } = w.workload;
    jurisdictionOf.set(primary.provider, primary.jurisdiction);
    const fb = fallback ?? primary;
    jurisdictionOf.set(fb.provider, fb.jurisdiction);
    const spilled = w.fallbackTotal;
    if (!spilled.isZero())
      fallbackByProvider.set(
        fb.provider,
        (fallbackByProvider.get(fb.provider) ?? ZERO).plus(spilled),
      );
  }
  const spend = p.providerTotals;
  const total = p.total;
  const share = (v: Decimal) => (total.isZero() ? ZERO : v.dividedBy(total));
  const byProvider = new Map([...spend].map(([k, v]) => [k, share(v)] as const));
  const byJurisdiction = new Map<string, Decimal>();
  for (const [provider, s] of byProvider) {
    const j = jurisdictionOf.get(provider) ?? UNKNOWN_JURISDICTION;
    byJurisdiction.set(j, (byJurisdiction.get(j) ?? ZERO).plus(s));
  }
  return {
    scenarioId: p.scenario.id,
    spendByProvider: sorted(spend),
    byProvider: sorted(byProvider),
    byJurisdiction: sorted(byJurisdiction),
    hhi: hhiOf(byProvider.values()),
    jurisdictionHhi: hhiOf(byJurisdiction.values()),
    fallbackByProvider: sorted(fallbackByProvider),
  };
}
