import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Forecast, forecast } from '../../models/forecast.ts';
import { scenarioSchema } from '../../models/scenarios.ts';
import { loadInputs } from '../../server/load-inputs.ts';
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
