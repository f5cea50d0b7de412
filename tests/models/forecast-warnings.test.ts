import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { assumptions, priceRow } from './build.ts';

const versioned = (name: string, asOfQuarter: string | undefined, skus: string[]): PriceSheet => ({
  id: name,
  name,
  ...(asOfQuarter ? { asOfQuarter } : {}),
  rows: skus.map((SkuId) => priceRow({ SkuId, ListUnitPrice: '2' })),
});

const warningsOf = (sheets: PriceSheet[], over: Parameters<typeof assumptions>[1] = {}) => {
  const a = assumptions([{ skuId: 'chat' }, { id: 'w1', skuId: 'store' }], over);
  const f = forecast(a, sheets, { draws: 0, sensitivity: false });
  if (!f.ok) throw new Error(JSON.stringify(f.issues));
  return f.value.json.warnings;
};

describe('forecast warnings', () => {
  it('names a price taken from a sheet older than another of the provider that leaves the SKU out', () => {
    const warnings = warningsOf([
      versioned('acme-q2.csv', '2026-Q2', ['chat']),
      versioned('acme-q1.csv', '2026-Q1', ['store']),
    ]);
    expect(warnings).toEqual([
      'workload "w1": SKU "store" of Acme is priced from acme-q1.csv (as of 2026-Q1); the newer acme-q2.csv (as of 2026-Q2) has Acme prices but not this SKU',
    ]);
  });

  it('says nothing when the newer sheet lists the SKU too, or the sheets have no quarter', () => {
    expect(
      warningsOf([
        versioned('acme-q2.csv', '2026-Q2', ['chat', 'store']),
        versioned('acme-q1.csv', '2026-Q1', ['store']),
      ]).filter((w) => w.includes('priced from')),
    ).toEqual([]);
    expect(
      warningsOf([
        versioned('a.csv', undefined, ['chat']),
        versioned('b.csv', undefined, ['store']),
      ]),
    ).toEqual([]);
  });

  it('warns of an unknown jurisdiction and of a budget outside the horizon', () => {
    const warnings = warningsOf([versioned('p.csv', undefined, ['chat', 'store'])], {
      providers: [],
      budget: { FY2040: '1000' },
    });
    expect(warnings).toContain(
      'provider "Acme" is not in the providers table: its jurisdiction is unknown',
    );
    expect(warnings).toContainEqual(expect.stringMatching(/^budget FY2040 is outside the horizon/));
  });
});
