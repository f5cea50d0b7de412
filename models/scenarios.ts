import { z } from 'zod';
import {
  BOUNDS,
  type Category,
  categorySchema,
  decimalString,
  providerName,
  quarterLabel,
  slug,
  text,
} from './fields.ts';
import { rangesSchema } from './ranges.ts';

const rate01 = () => decimalString({ min: '0', max: '1' });

export const providerAvailabilitySchema = z.strictObject({
  provider: providerName(),
  from: quarterLabel,
  to: quarterLabel,
  availability: rate01(),
});

export const scenarioSchema = z.strictObject({
  id: slug,
  name: text(),
  delayQuarters: z
    .int({ error: 'must be a whole number of quarters' })
    .min(0, 'must be ≥ 0')
    .max(40, 'must be at most 40 quarters'),
  priceDeclinePerQuarter: z
    .partialRecord(categorySchema, decimalString({ gt: '-1', max: '1' }))
    .default({}),
  shortagePremium: decimalString({ gt: '-1', max: BOUNDS.maxPremium }).default('0'),
  availability: rate01().default('1'),
  fallbackPremium: decimalString({ gt: '-1', max: BOUNDS.maxPremium }).default('0'),
  providerAvailability: z
    .array(providerAvailabilitySchema)
    .max(100)
    .default([])
    .superRefine((list, ctx) => {
      list.forEach((p, i) => {
        if (p.to < p.from)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'to'],
            message: `ends (${p.to}) before it starts (${p.from})`,
          });
      });
    }),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export const scenariosFileSchema = z
  .strictObject({
    scenarios: z.array(scenarioSchema).min(1).max(20),
    /** Overrides of the sensitivity ranges, e.g. `{ "growth": { "low": "0.7", "high": "1.3" } }`. */
    sensitivity: rangesSchema.optional(),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.scenarios.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['scenarios', i, 'id'],
          message: `duplicate scenario id "${s.id}"`,
        });
      seen.add(s.id);
    });
  });
export type ScenariosFile = z.infer<typeof scenariosFileSchema>;

/** The decline of every category in docs/model.md's default table. */
const DEFAULT_DECLINE: Record<Category, string> = {
  'llm-inference': '0.10',
  'gpu-compute': '0.05',
  storage: '0.01',
  network: '0',
  other: '0',
};

/**
 * The two headline scenarios (docs/model.md): the Stargate build-out on time — prices soften —
 * or delayed four quarters — a 15 % premium, 85 % of demand served, the rest spilling to
 * fallback providers at a 20 % premium.
 */
export const DEFAULT_SCENARIOS: readonly Scenario[] = Object.freeze([
  {
    id: 'on-time',
    name: 'Stargate on time',
    delayQuarters: 0,
    priceDeclinePerQuarter: { ...DEFAULT_DECLINE },
    shortagePremium: '0',
    availability: '1',
    fallbackPremium: '0',
    providerAvailability: [],
  },
  {
    id: 'delayed',
    name: 'Stargate delayed',
    delayQuarters: 4,
    priceDeclinePerQuarter: { ...DEFAULT_DECLINE },
    shortagePremium: '0.15',
    availability: '0.85',
    fallbackPremium: '0.20',
    providerAvailability: [],
  },
]);
