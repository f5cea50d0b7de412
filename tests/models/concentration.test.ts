import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concentration } from '../../models/concentration.ts';
import { Decimal } from '../../models/money.ts';
import { project } from '../../models/projection.ts';
import { assumptions, model, priceRow, scenario, sheet } from './build.ts';

describe('concentration', () => {
  it('gives shares by provider and jurisdiction and the HHI', () => {
    // Acme (US) 300, Backup (FR) 100 a quarter → shares 0.75 / 0.25, HHI (0.5625 + 0.0625) × 10 000 = 6250
    const a = assumptions([
      { id: 'a', baseQuantity: '300' },
      { id: 'b', provider: 'Backup', skuId: 'b', baseQuantity: '100' },
    ]);
    const m = model(a, [
      sheet([priceRow({ SkuId: 'sku' }), priceRow({ ProviderName: 'Backup', SkuId: 'b' })]),
    ]);
    const c = concentration(project(m, scenario()));
    expect(Object.fromEntries([...c.byProvider].map(([k, v]) => [k, v.toString()]))).toEqual({
      Acme: '0.75',
      Backup: '0.25',
    });
    expect(Object.fromEntries([...c.byJurisdiction].map(([k, v]) => [k, v.toString()]))).toEqual({
      US: '0.75',
      FR: '0.25',
    });
    expect(c.hhi.toString()).toBe('6250');
  });

  it('counts the fallback share with the fallback provider', () => {
    // availability 0.5 for the whole horizon, equal prices, no premium: 50 / 50 → HHI 5000
    const a = assumptions([{ fallback: { provider: 'Backup', skuId: 'b' } }]);
    const m = model(a, [
      sheet([priceRow({ SkuId: 'sku' }), priceRow({ ProviderName: 'Backup', SkuId: 'b' })]),
    ]);
    const c = concentration(project(m, scenario({ delayQuarters: 4, availability: '0.5' })));
    expect(c.hhi.toString()).toBe('5000');
    expect(c.fallbackByProvider.get('Backup')!.toString()).toBe('200'); // 50 × 4 quarters
  });

  it('puts a provider missing from the providers table in the "unknown" jurisdiction', () => {
    const a = assumptions([{ provider: 'Elsewhere' }]);
    const m = model(a, [sheet([priceRow({ ProviderName: 'Elsewhere', SkuId: 'sku' })])]);
    expect([...concentration(project(m, scenario())).byJurisdiction.keys()]).toEqual(['unknown']);
  });

  it("squares a share as decimal.js's pow(2) would: the HHI relies on s × s being that decimal", () => {
    // shares are 34-digit quotients; pow(2) keeps guard digits, s × s rounds the exact square
    const digits = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 34 })
      .map((ds) => ds.join(''));
    fc.assert(
      fc.property(digits, digits, fc.integer({ min: -20, max: 3 }), (a, b, e) => {
        const share = new Decimal(`${a}e${e}`).dividedBy(new Decimal(b).plus(1));
        expect(share.times(share).toString()).toBe(share.pow(2).toString());
      }),
      { numRuns: 5_000 },
    );
  });
});
