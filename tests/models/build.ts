import { type Assumptions, assumptionsSchema, type Workload } from '../../models/assumptions.ts';
import { buildModel, buildScenario, type Model, type ModelScenario } from '../../models/model.ts';
import type { PriceRow, PriceSheet } from '../../models/price-sheet.ts';
import { type Scenario, type ScenarioInput, scenarioSchema } from '../../models/scenarios.ts';

/** A price row with defaults: USD, per "unit". */
export const priceRow = (over: Partial<PriceRow> & Pick<PriceRow, 'SkuId'>): PriceRow => ({
  ProviderName: 'Acme',
  PricingUnit: 'unit',
  ListUnitPrice: '1',
  PricingCurrency: 'EUR',
  ...over,
});

export const sheet = (rows: PriceRow[], name = 'prices.csv'): PriceSheet => ({
  id: name,
  name,
  rows,
  lines: rows.map((_, i) => i + 2),
});

/** One-workload assumptions reporting in EUR; `workload` overrides the defaults. */
export function assumptions(
  workloads: Partial<Workload>[],
  over: Partial<Record<keyof Assumptions, unknown>> = {},
): Assumptions {
  return assumptionsSchema.parse({
    name: 'Test',
    startQuarter: '2027-Q1',
    horizonQuarters: 4,
    reportingCurrency: 'EUR',
    providers: [
      { name: 'Acme', jurisdiction: 'US' },
      { name: 'Backup', jurisdiction: 'FR' },
    ],
    workloads: workloads.map((w, i) => ({
      id: `w${i}`,
      name: `Workload ${i}`,
      category: 'other',
      provider: 'Acme',
      skuId: 'sku',
      unit: 'unit',
      baseQuantity: '100',
      growthPerQuarter: '0',
      efficiency: '0',
      ...w,
    })),
    ...over,
  });
}

export function model(a: Assumptions, sheets: PriceSheet[]): Model {
  const built = buildModel(a, sheets);
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.value;
}

export function scenario(over: Partial<ScenarioInput> = {}, start = '2027-Q1'): ModelScenario {
  const s: Scenario = scenarioSchema.parse({ id: 's', name: 'S', delayQuarters: 0, ...over });
  return buildScenario(s, start);
}
