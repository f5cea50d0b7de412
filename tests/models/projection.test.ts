import { describe, expect, it } from 'vitest';
import { Decimal } from '../../models/money.ts';
import { project, projectTotal } from '../../models/projection.ts';
import { assumptions, model, priceRow, scenario, sheet } from './build.ts';

const strings = (xs: readonly Decimal[]) => xs.map((x) => x.toString());

describe('each term of the formula, worked by hand', () => {
  it('grows the quantity by growthPerQuarter, compounded', () => {
    // 100 × 1.1^t = 100, 110, 121, 133.1; price 2 EUR, no decline → cost 200, 220, 242, 266.2
    const m = model(assumptions([{ growthPerQuarter: '0.10' }]), [
      sheet([priceRow({ SkuId: 'sku', ListUnitPrice: '2' })]),
    ]);
    const p = project(m, scenario());
    expect(strings(p.workloads[0]!.quantity)).toEqual(['100', '110', '121', '133.1']);
    expect(strings(p.byQuarter)).toEqual(['200', '220', '242', '266.2']);
    expect(p.total.toString()).toBe('928.2');
  });

  it('removes the efficiency share of the quantity in every quarter', () => {
    // 100 × (1 − 0.25) = 75 units × 4 EUR = 300 per quarter
    const m = model(assumptions([{ efficiency: '0.25' }]), [
      sheet([priceRow({ SkuId: 'sku', ListUnitPrice: '4' })]),
    ]);
    expect(strings(project(m, scenario()).byQuarter)).toEqual(['300', '300', '300', '300']);
  });

  it('declines the price index only after the delay, and charges the premium during it', () => {
    // delay 2, decline 10 %, premium 15 %, availability 1:
    // index = 1.15, 1.15, 1, 0.9, 0.81, 0.729 (t = 0…5); 100 units × 1 EUR
    const a = assumptions([{ category: 'llm-inference' }], { horizonQuarters: 6 });
    const m = model(a, [sheet([priceRow({ SkuId: 'sku' })])]);
    const s = scenario({
      delayQuarters: 2,
      priceDeclinePerQuarter: { 'llm-inference': '0.10' },
      shortagePremium: '0.15',
    });
    const p = project(m, s);
    expect(strings(p.index['llm-inference'])).toEqual([
      '1.15',
      '1.15',
      '1',
      '0.9',
      '0.81',
      '0.729',
    ]);
    expect(strings(p.byQuarter)).toEqual(['115', '115', '100', '90', '81', '72.9']);
    // other categories keep their own decline (0 here): index 1.15, 1.15, 1, 1, 1, 1
    expect(strings(p.index.storage)).toEqual(['1.15', '1.15', '1', '1', '1', '1']);
  });

  it('sends the unserved share to the fallback provider at its price and premium', () => {
    // delay 4 (whole horizon), availability 0.85, premium 0, fallback premium 20 %
    // primary: 100 × 0.85 × 10 = 850; fallback: 100 × 0.15 × 12 × 1.2 = 216; total 1066
    const a = assumptions([{ fallback: { provider: 'Backup', skuId: 'fb' } }]);
    const m = model(a, [
      sheet([
        priceRow({ SkuId: 'sku', ListUnitPrice: '10' }),
        priceRow({ ProviderName: 'Backup', SkuId: 'fb', ListUnitPrice: '12' }),
      ]),
    ]);
    const p = project(
      m,
      scenario({ delayQuarters: 4, availability: '0.85', fallbackPremium: '0.20' }),
    );
    const w = p.workloads[0]!;
    expect(strings(w.primary)).toEqual(['850', '850', '850', '850']);
    expect(strings(w.fallback)).toEqual(['216', '216', '216', '216']);
    expect(p.byProvider.get('Acme')!.map(String)).toEqual(['850', '850', '850', '850']);
    expect(p.byProvider.get('Backup')!.map(String)).toEqual(['216', '216', '216', '216']);
    expect(p.total.toString()).toBe('4264');
  });

  it('prices the unserved share at the primary SKU, with the fallback premium, when there is no fallback', () => {
    // 100 × 0.85 × 10 + 100 × 0.15 × 10 × 1.2 = 850 + 180 = 1030, all owed to Acme
    const m = model(assumptions([{}]), [sheet([priceRow({ SkuId: 'sku', ListUnitPrice: '10' })])]);
    const p = project(
      m,
      scenario({ delayQuarters: 1, availability: '0.85', fallbackPremium: '0.20' }),
    );
    expect(p.byQuarter[0]!.toString()).toBe('1030');
    expect(p.byQuarter[1]!.toString()).toBe('1000'); // after the delay everything is served
    expect([...p.byProvider.keys()]).toEqual(['Acme']);
  });

  it('converts prices with the FX rate into the reporting currency', () => {
    // 10 USD × 9.95 MAD/USD = 99.5 MAD per unit; 100 units → 9950 MAD
    const a = assumptions([{}], { reportingCurrency: 'MAD', fx: { USD: '9.95' } });
    const m = model(a, [
      sheet([priceRow({ SkuId: 'sku', ListUnitPrice: '10', PricingCurrency: 'USD' })]),
    ]);
    expect(project(m, scenario()).byQuarter[0]!.toString()).toBe('9950');
  });

  it('uses the contracted price over the list price', () => {
    // list 10, contracted 8 → 100 × 8 = 800
    const m = model(assumptions([{}]), [
      sheet([priceRow({ SkuId: 'sku', ListUnitPrice: '10', ContractedUnitPrice: '8' })]),
    ]);
    expect(project(m, scenario()).byQuarter[0]!.toString()).toBe('800');
  });

  it('caps the served share of a provider during a rupture window', () => {
    // OpenAI-like rupture: Acme serves nothing in 2027-Q2…2027-Q3; 100 units at the fallback
    // 12 × 1.0 (no fallback premium) = 1200 in those quarters, 100 × 10 = 1000 otherwise
    const a = assumptions([{ fallback: { provider: 'Backup', skuId: 'fb' } }]);
    const m = model(a, [
      sheet([
        priceRow({ SkuId: 'sku', ListUnitPrice: '10' }),
        priceRow({ ProviderName: 'Backup', SkuId: 'fb', ListUnitPrice: '12' }),
      ]),
    ]);
    const s = scenario({
      providerAvailability: [
        { provider: 'acme ', from: '2027-Q2', to: '2027-Q3', availability: '0' },
      ],
    });
    expect(strings(project(m, s).byQuarter)).toEqual(['1000', '1200', '1200', '1000']);
  });

  it('rolls quarters up into fiscal years starting in July', () => {
    // 2027-Q1…2028-Q4 with a July start: FY2027 = 2027-Q1, Q2; FY2028 = 2027-Q3…2028-Q2;
    // FY2029 = 2028-Q3, Q4. 100 units at 1 EUR, no growth → 100 a quarter: 200, 400, 200.
    const a = assumptions([{}], { horizonQuarters: 8, fiscalYearStartMonth: 7 });
    const m = model(a, [sheet([priceRow({ SkuId: 'sku' })])]);
    expect(m.fiscalQuarters).toEqual([
      'FY2027-Q3',
      'FY2027-Q4',
      'FY2028-Q1',
      'FY2028-Q2',
      'FY2028-Q3',
      'FY2028-Q4',
      'FY2029-Q1',
      'FY2029-Q2',
    ]);
    const p = project(m, scenario());
    expect(Object.fromEntries([...p.byFiscalYear].map(([k, v]) => [k, v.toString()]))).toEqual({
      FY2027: '200',
      FY2028: '400',
      FY2029: '200',
    });
  });

  it('finds the SKU of the workload region when the sheet has several regions', () => {
    // storage in eu-west-3 at 0.024, in us-east-1 at 0.023: 1000 GB → 24 EUR
    const rows = [
      priceRow({ SkuId: 's3', RegionId: 'us-east-1', ListUnitPrice: '0.023' }),
      priceRow({ SkuId: 's3', RegionId: 'eu-west-3', ListUnitPrice: '0.024' }),
    ];
    const m = model(assumptions([{ skuId: 's3', region: 'EU-WEST-3', baseQuantity: '1000' }]), [
      sheet(rows),
    ]);
    expect(project(m, scenario()).byQuarter[0]!.toString()).toBe('24');
  });
});

describe('the tiny fixture, worked by hand (fixtures/tiny)', () => {
  // chat: q = 80, 88, 96.8, 106.48 (100 × 1.1^t × 0.8); price 10 USD × 0.9 = 9 EUR
  // store: q = 1000; price 0.02 × 0.9 = 0.018 EUR
  it('on time: index 1, 0.9, 0.81, 0.729 for chat and 1, 0.99, 0.9801, 0.970299 for storage', async () => {
    const { tinyAssumptions, tinySheet } = await import('./tiny.ts');
    const m = model(tinyAssumptions(), [tinySheet]);
    const p = project(
      m,
      scenario({ priceDeclinePerQuarter: { 'llm-inference': '0.10', storage: '0.01' } }),
    );
    // 80×9 + 18 = 738; 88×9×0.9 + 17.82 = 730.62; 96.8×9×0.81 + 17.6418 = 723.3138;
    // 106.48×9×0.729 + 17.465382 = 698.61528 + 17.465382 = 716.080662
    expect(strings(p.byQuarter)).toEqual(['738', '730.62', '723.3138', '716.080662']);
    expect(p.total.toString()).toBe('2908.014462');
  });

  it('delayed: premium 1.15 throughout, 85 % served, fallback at 12 USD × 0.9 × 1.2', async () => {
    const { tinyAssumptions, tinySheet } = await import('./tiny.ts');
    const m = model(tinyAssumptions(), [tinySheet]);
    const s = scenario({
      delayQuarters: 4,
      priceDeclinePerQuarter: { 'llm-inference': '0.10', storage: '0.01' },
      shortagePremium: '0.15',
      availability: '0.85',
      fallbackPremium: '0.20',
    });
    // chat per unit: 1.15 × (0.85 × 9 + 0.15 × 10.8 × 1.2) = 1.15 × 9.594 = 11.0331
    // Σq = 371.28 → 4096.369368; store: 1000 × 1.15 × (0.85 × 0.018 + 0.15 × 0.018 × 1.2)
    // = 21.321 per quarter → 85.284; total 4181.653368
    expect(project(m, s).total.toString()).toBe('4181.653368');
    expect(projectTotal(m, s).toString()).toBe('4181.653368');
  });
});

describe('rounding', () => {
  it('leaves amounts unrounded in the engine and holds each cell to 12 places', () => {
    // 1/3 EUR per unit × 1 unit: the cell is 0.333333333333 (12 places)
    const m = model(assumptions([{ baseQuantity: '1' }]), [
      sheet([priceRow({ SkuId: 'sku', ListUnitPrice: '0.3333333333333333333' })]),
    ]);
    expect(project(m, scenario()).byQuarter[0]!.toString()).toBe('0.333333333333');
    expect(new Decimal('0.333333333333').times(4).toString()).toBe(
      project(m, scenario()).total.toString(),
    );
  });
});
