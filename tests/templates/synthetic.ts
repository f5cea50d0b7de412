import { assumptionsSchema } from '../../models/assumptions.ts';
import { CATEGORIES } from '../../models/fields.ts';
import { type Forecast, forecast } from '../../models/forecast.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';

const PROVIDERS = ['Acme', 'Bolt', 'Cirrus', 'Delta', 'Eon', 'Fjord', 'Gale', 'Helix'];

/**
 * A large model for scale tests and the benchmark: `workloads` workloads over `quarters`
 * quarters, eight providers in three jurisdictions, every other workload with a fallback,
 * prices in USD and EUR reported in MAD, the two default scenarios.
 */
export function syntheticForecast(workloads: number, quarters: number, draws = 0): Forecast {
  const rows: PriceSheet['rows'][number][] = [];
  for (const [i, provider] of PROVIDERS.entries())
    for (let k = 0; k < 25; k++)
      rows.push({
        ProviderName: provider,
        SkuId: `sku-${k}`,
        PricingUnit: 'unit',
        ListUnitPrice: `${(0.05 + ((i * 25 + k) % 37) * 0.731).toFixed(4)}`,
        PricingCurrency: i % 3 === 0 ? 'EUR' : 'USD',
        ...(k % 4 === 0 ? { ContractedUnitPrice: `${(0.04 + k * 0.5).toFixed(3)}` } : {}),
        x_AsOf: '2026-07-01',
      });
  const sheet: PriceSheet = {
    id: 'synthetic.csv',
    name: 'synthetic.csv',
    rows,
    lines: rows.map((_, i) => i + 2),
  };
  const assumptions = assumptionsSchema.parse({
    name: `Synthetic ${workloads} × ${quarters}`,
    startQuarter: '2027-Q1',
    horizonQuarters: quarters,
    fiscalYearStartMonth: 7,
    reportingCurrency: 'MAD',
    fx: { USD: '9.65', EUR: '10.75' },
    budget: { FY2028: '5000000000' },
    providers: PROVIDERS.map((name, i) => ({ name, jurisdiction: ['US', 'FR', 'MA'][i % 3]! })),
    workloads: Array.from({ length: workloads }, (_, i) => ({
      id: `w${i}`,
      name: `Workload ${i}`,
      category: CATEGORIES[i % CATEGORIES.length],
      provider: PROVIDERS[i % PROVIDERS.length],
      skuId: `sku-${i % 25}`,
      unit: 'unit',
      baseQuantity: `${100 + ((i * 7919) % 10_000)}`,
      growthPerQuarter: `${((i % 13) * 0.01).toFixed(2)}`,
      efficiency: `${((i % 5) * 0.05).toFixed(2)}`,
      ...(i % 2 === 0
        ? {
            fallback: {
              provider: PROVIDERS[(i + 3) % PROVIDERS.length],
              skuId: `sku-${(i + 1) % 25}`,
            },
          }
        : {}),
    })),
  });
  const result = forecast(assumptions, [sheet], { scenarios: DEFAULT_SCENARIOS, draws });
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
  return result.value;
}
