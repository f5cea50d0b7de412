import type { Assumptions } from '../../models/assumptions.ts';
import { assumptionsSchema } from '../../models/assumptions.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';

/** The hand-checkable model of fixtures/tiny, built in code so tests can vary it. */
export function tinyAssumptions(overrides: Partial<Assumptions> = {}): Assumptions {
  return assumptionsSchema.parse({
    name: 'Tiny',
    startQuarter: '2027-Q1',
    horizonQuarters: 4,
    fiscalYearStartMonth: 1,
    reportingCurrency: 'EUR',
    fx: { USD: '0.9' },
    budget: { FY2027: '3000' },
    providers: [
      { name: 'Acme', jurisdiction: 'US' },
      { name: 'Backup', jurisdiction: 'FR' },
    ],
    workloads: [
      {
        id: 'chat',
        name: 'Chat',
        category: 'llm-inference',
        provider: 'Acme',
        skuId: 'acme-chat',
        unit: '1M tokens',
        baseQuantity: '100',
        growthPerQuarter: '0.10',
        efficiency: '0.20',
        fallback: { provider: 'Backup', skuId: 'backup-chat' },
      },
      {
        id: 'store',
        name: 'Store',
        category: 'storage',
        provider: 'Acme',
        skuId: 'acme-store',
        unit: 'GB-Month',
        baseQuantity: '1000',
        growthPerQuarter: '0',
        efficiency: '0',
      },
    ],
    ...overrides,
  });
}

const row = (ProviderName: string, SkuId: string, PricingUnit: string, ListUnitPrice: string) => ({
  ProviderName,
  SkuId,
  PricingUnit,
  ListUnitPrice,
  PricingCurrency: 'USD',
});

export const tinySheet: PriceSheet = {
  id: 'tiny',
  name: 'tiny.csv',
  rows: [
    row('Acme', 'acme-chat', '1M tokens', '10'),
    row('Backup', 'backup-chat', '1M tokens', '12'),
    row('Acme', 'acme-store', 'GB-Month', '0.02'),
  ],
  lines: [2, 3, 4],
};
