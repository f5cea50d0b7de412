import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assumptionsSchema } from '../../models/assumptions.ts';
import { type Forecast, forecast } from '../../models/forecast.ts';
import { scenarioSchema } from '../../models/scenarios.ts';
import { loadInputs } from '../../server/cli/load-inputs.ts';
import type { WorkbookOptions } from '../../templates/index.ts';
import { tinyAssumptions, tinySheet } from '../models/tiny.ts';

export const FIXTURES = join(import.meta.dirname, '../../fixtures');

/** The fixture's input files, as the CLI would be given them. */
export function fixtureFiles(name: 'tiny' | 'bank-ma') {
  const dir = join(FIXTURES, name);
  const prices =
    name === 'tiny'
      ? [join(dir, 'prices.csv')]
      : readdirSync(join(dir, 'prices'))
          .sort()
          .map((f) => join(dir, 'prices', f));
  return {
    assumptions: join(dir, 'assumptions.json'),
    prices,
    scenarios: join(dir, 'scenarios.json'),
  };
}

/** A fixture's validated inputs, through the same loading path as the CLI. */
export async function fixtureInputs(name: 'tiny' | 'bank-ma') {
  const loaded = await loadInputs(fixtureFiles(name));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.value;
}

type Inputs = Awaited<ReturnType<typeof fixtureInputs>>;

/** The forecast of a fixture's inputs (optionally changed), as the CLI computes it. */
export function forecastOf(inputs: Inputs, draws = 500): Forecast {
  const { assumptions, sheets, scenarios, ranges } = inputs;
  const result = forecast(assumptions, sheets, {
    draws,
    ...(scenarios ? { scenarios } : {}),
    ...(ranges ? { ranges } : {}),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

/** The forecast of a fixture, through the same loading path as the CLI. */
export async function fixtureForecast(name: 'tiny' | 'bank-ma', draws = 500): Promise<Forecast> {
  return forecastOf(await fixtureInputs(name), draws);
}

export const OPTIONS: WorkbookOptions = {
  locale: 'en',
  generatedAt: new Date('2026-11-22T09:30:00Z'),
  engineVersion: 'costcast 0.1.0',
  inputHash: 'sha256:0123456789abcdef',
};

/**
 * The tiny model at its edges: one quarter, one scenario whose name needs quoting in
 * formulas and cleaning as a sheet name, a rupture window, a budget outside the horizon,
 * no Monte Carlo.
 */
export function edgeForecast(): Forecast {
  const a = tinyAssumptions({ horizonQuarters: 1 });
  const result = forecast({ ...a, budget: { FY2027: '3000', FY2031: '10' } }, [tinySheet], {
    draws: 0,
    scenarios: [
      scenarioSchema.parse({
        id: 'wait.v2',
        name: "L'attente: [pire]/délai",
        delayQuarters: 1,
        priceDeclinePerQuarter: { 'llm-inference': '0.2' },
        shortagePremium: '0.1',
        availability: '0.9',
        fallbackPremium: '0.5',
        providerAvailability: [
          { provider: 'acme', from: '2026-Q4', to: '2027-Q1', availability: '0.5' },
        ],
      }),
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

/** Provider and jurisdiction names a spreadsheet could misread: wildcards, comparisons, formulas. */
export const AWKWARD = {
  star: '*',
  formula: '=HYPERLINK("http://example.com","click")',
  question: 'a?c',
  less: '<5',
} as const;

/**
 * The tiny model with names a spreadsheet could take for something else: providers named
 * `*`, `=HYPERLINK(…)`, `a?c` and `<5`, jurisdictions `*`, `=1+1` and `>EU`, a model, a
 * workload and a scenario whose names start with `=`, and a rupture window on the `*`
 * provider. Every name must reach the workbook as text and match only itself.
 */
export function awkwardForecast(): Forecast {
  const base = tinyAssumptions();
  const wl = base.workloads[0]!;
  const a = {
    ...base,
    name: '=1+1',
    budget: { FY2027: '3000', FY2028: '1' },
    horizonQuarters: 6,
    providers: [
      { name: AWKWARD.star, jurisdiction: '*' },
      { name: AWKWARD.formula, jurisdiction: '=1+1' },
      { name: AWKWARD.question, jurisdiction: '*' },
      { name: AWKWARD.less, jurisdiction: '>EU' },
      { name: 'Acme', jurisdiction: 'US' },
    ],
    workloads: [
      {
        ...wl,
        id: 'star',
        name: '=SUM(1,2)',
        provider: AWKWARD.star,
        skuId: 'chat-1',
        fallback: { provider: AWKWARD.formula, skuId: 'chat-2' },
      },
      {
        ...wl,
        id: 'formula',
        name: 'Formula',
        provider: AWKWARD.formula,
        skuId: 'chat-2',
        baseQuantity: '50',
        fallback: { provider: AWKWARD.less, skuId: 'chat-4' },
      },
      {
        ...wl,
        id: 'question',
        name: 'Question',
        provider: AWKWARD.question,
        skuId: 'chat-3',
        baseQuantity: '70',
        fallback: { provider: AWKWARD.star, skuId: 'chat-1' },
      },
      {
        ...wl,
        id: 'less',
        name: 'Less',
        provider: AWKWARD.less,
        skuId: 'chat-4',
        baseQuantity: '30',
        fallback: { provider: 'Acme', skuId: 'acme-chat' },
      },
      {
        ...wl,
        id: 'acme',
        name: 'Acme chat',
        provider: 'Acme',
        skuId: 'acme-chat',
        baseQuantity: '20',
        fallback: { provider: AWKWARD.question, skuId: 'chat-3' },
      },
    ],
  };
  const price = (ProviderName: string, SkuId: string, ListUnitPrice: string) => ({
    ProviderName,
    SkuId,
    PricingUnit: '1M tokens',
    ListUnitPrice,
    PricingCurrency: 'USD',
  });
  const sheet = {
    id: 'awkward',
    name: 'awkward.csv',
    rows: [
      price(AWKWARD.star, 'chat-1', '10'),
      price(AWKWARD.formula, 'chat-2', '12'),
      price(AWKWARD.question, 'chat-3', '8'),
      price(AWKWARD.less, 'chat-4', '15'),
      price('Acme', 'acme-chat', '9'),
    ],
    lines: [2, 3, 4, 5, 6],
  };
  const result = forecast(assumptionsSchema.parse(a), [sheet], {
    draws: 0,
    scenarios: [
      scenarioSchema.parse({
        id: 'on-time',
        name: '=on time',
        delayQuarters: 0,
        priceDeclinePerQuarter: { 'llm-inference': '0.1' },
        shortagePremium: '0',
        availability: '1',
        fallbackPremium: '0.2',
        providerAvailability: [
          { provider: AWKWARD.star, from: '2027-Q2', to: '2027-Q3', availability: '0.5' },
        ],
      }),
      scenarioSchema.parse({
        id: 'delayed',
        name: '*delayed*',
        delayQuarters: 2,
        priceDeclinePerQuarter: { 'llm-inference': '0.1' },
        shortagePremium: '0.15',
        availability: '0.85',
        fallbackPremium: '0.2',
        providerAvailability: [
          { provider: AWKWARD.formula, from: '2027-Q1', to: '2027-Q4', availability: '0.25' },
          { provider: AWKWARD.formula, from: '2027-Q3', to: '2028-Q2', availability: '0.6' },
        ],
      }),
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}
