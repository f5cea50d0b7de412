import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import {
  forecastAsOfQuarter,
  freshness,
  inferSheetKind,
  readAsOfDate,
  staleAfterQuartersOf,
} from '../../models/freshness.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { assumptions, priceRow } from './build.ts';

describe('readAsOfDate', () => {
  it.each([
    ['2026-07-24', '2026-07-24'],
    ['24/07/2026', '2026-07-24'],
    ['24.07.2026', '2026-07-24'],
    ['24-07-2026', '2026-07-24'],
    [' 1/2/2026 ', '2026-02-01'], // day 1, month 2
    ['29/02/2024', '2024-02-29'], // leap year
    ['29/02/2000', '2000-02-29'], // divisible by 400: leap
  ])('reads %s as %s', (text, date) => {
    expect(readAsOfDate(text)).toEqual({ ok: true, date });
  });

  it.each([
    ['31/02/2026', /not a real date/],
    ['29/02/2100', /not a real date/], // divisible by 100, not 400: not leap
    ['2026-02-30', /not a real date/],
    ['07/24/2026', /month-first US dates are not accepted/],
    ['24/07/26', /is not a date/],
    ['2026', /is not a date/],
    ['2026-Q3', /is not a date/],
    ['24/07-2026', /is not a date/], // mixed separators
    ['July 24, 2026', /is not a date/],
  ])('refuses %s', (text, why) => {
    const r = readAsOfDate(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });
});

describe('the staleness rule', () => {
  it('counts whole quarters from the sheet to the forecast and flags more than the threshold', () => {
    // 2026-Q1 → 2026-Q3: Q2, Q3 = 2 quarters; 2 > 1
    expect(freshness('2026-Q1', '2026-Q3', 1)).toEqual({ ageQuarters: 2, stale: true });
    // 1 quarter is within a threshold of 1
    expect(freshness('2026-Q2', '2026-Q3', 1)).toEqual({ ageQuarters: 1, stale: false });
    // threshold 0: anything older than the forecast's own quarter is stale
    expect(freshness('2026-Q2', '2026-Q3', 0)).toEqual({ ageQuarters: 1, stale: true });
    expect(freshness('2026-Q3', '2026-Q3', 0)).toEqual({ ageQuarters: 0, stale: false });
    // 2024-Q1 → 2026-Q4: 2 years (8) + 3 = 11
    expect(freshness('2024-Q1', '2026-Q4', 4)).toEqual({ ageQuarters: 11, stale: true });
    // a sheet newer than the forecast is not stale
    expect(freshness('2026-Q4', '2026-Q3', 1)).toEqual({ ageQuarters: -1, stale: false });
    expect(freshness(null, '2026-Q3', 1)).toEqual({ ageQuarters: null, stale: null });
    expect(freshness('2026-Q3', null, 1)).toEqual({ ageQuarters: null, stale: null });
  });

  it('takes the forecast’s as-of quarter from asOf, else from the generation date (UTC)', () => {
    expect(forecastAsOfQuarter('2026-Q3', new Date('2026-11-22T10:00:00Z'))).toBe('2026-Q3');
    expect(forecastAsOfQuarter(undefined, new Date('2026-11-22T10:00:00Z'))).toBe('2026-Q4');
    // 23:30 in Casablanca on 31 March (UTC+1) is 22:30 UTC: still Q1
    expect(forecastAsOfQuarter(null, new Date('2026-03-31T23:30:00+01:00'))).toBe('2026-Q1');
    expect(forecastAsOfQuarter(null, new Date('2026-04-01T00:30:00+01:00'))).toBe('2026-Q1');
  });

  it('reads the threshold as a whole number of quarters from 0 to 40', () => {
    expect(staleAfterQuartersOf(undefined)).toEqual({ ok: true, value: 1 });
    expect(staleAfterQuartersOf('')).toEqual({ ok: true, value: 1 });
    expect(staleAfterQuartersOf('0')).toEqual({ ok: true, value: 0 });
    expect(staleAfterQuartersOf(' 4 ')).toEqual({ ok: true, value: 4 });
    for (const bad of ['-1', '1.5', 'two', '41'])
      expect(staleAfterQuartersOf(bad).ok, bad).toBe(false);
  });

  it('knows a catalogue by its format and a contract by a contracted price', () => {
    expect(inferSheetKind('litellm', [{ ContractedUnitPrice: '1' }])).toBe('catalogue');
    expect(inferSheetKind('csv', [{}, { ContractedUnitPrice: '2.25' }])).toBe('contract');
    expect(inferSheetKind('xlsx', [{}, {}])).toBe('provider');
  });
});

const sheetOf = (
  name: string,
  kind: PriceSheet['kind'],
  asOfQuarter: string | undefined,
  rows: { sku: string; price: string; asOf?: string }[],
): PriceSheet => ({
  id: `id-${name}`,
  name,
  ...(kind ? { kind } : {}),
  ...(asOfQuarter ? { asOfQuarter } : {}),
  rows: rows.map((r) =>
    priceRow({ SkuId: r.sku, ListUnitPrice: r.price, ...(r.asOf ? { x_AsOf: r.asOf } : {}) }),
  ),
  lines: rows.map((_, i) => i + 2),
});

/** One workload on `chat` and one on `store`: 100 units a quarter, no growth, category other. */
function run(sheets: PriceSheet[], options: { asOfQuarter?: string; staleAfterQuarters?: number }) {
  const a = assumptions([{ skuId: 'chat' }, { skuId: 'store' }]);
  const f = forecast(a, sheets, { draws: 0, sensitivity: false, ...options });
  if (!f.ok) throw new Error(JSON.stringify(f.issues));
  return f.value.json;
}

describe('the forecast JSON’s price sheets', () => {
  const q1 = sheetOf('acme-q1.csv', undefined, '2026-Q1', [
    { sku: 'chat', price: '3', asOf: '2026-02-10' },
    { sku: 'store', price: '1', asOf: '2026-03-05' },
  ]);
  const unused = sheetOf('other.csv', 'provider', '2026-Q3', [{ sku: 'video', price: '9' }]);

  it('lists the sheets that priced something, with kind, as-of, age and staleness', () => {
    const json = run([q1, unused], { asOfQuarter: '2026-Q3' });
    expect(json.asOfQuarter).toBe('2026-Q3');
    expect(json.staleAfterQuarters).toBe(1);
    expect(json.priceSheets).toEqual([
      {
        id: 'id-acme-q1.csv',
        name: 'acme-q1.csv',
        kind: 'provider',
        asOfQuarter: '2026-Q1',
        asOfDate: '2026-03-05', // the newest of its rows' dates
        ageQuarters: 2, // 2026-Q1 → 2026-Q3
        stale: true, // 2 > 1
        rowsUsed: 2,
      },
    ]);
    expect(
      run([q1, unused], { asOfQuarter: '2026-Q3', staleAfterQuarters: 2 }).priceSheets[0],
    ).toMatchObject({ ageQuarters: 2, stale: false });
  });

  it('takes the quarter of the newest x_AsOf when the sheet has no quarter (the CLI)', () => {
    const cli = sheetOf('acme.csv', undefined, undefined, [
      { sku: 'chat', price: '3', asOf: '2025-12-31' },
      { sku: 'store', price: '1', asOf: '2026-01-01' },
    ]);
    // 2026-01-01 is in 2026-Q1; 2026-Q1 → 2026-Q2 is 1 quarter
    expect(run([cli], { asOfQuarter: '2026-Q2' }).priceSheets[0]).toMatchObject({
      asOfQuarter: '2026-Q1',
      asOfDate: '2026-01-01',
      ageQuarters: 1,
      stale: false,
    });
    // no as-of quarter for the forecast: unknown age
    expect(run([cli], {}).priceSheets[0]).toMatchObject({ ageQuarters: null, stale: null });
  });
});

describe('precedence: contract > provider price list > catalogue, then newest', () => {
  const provider = sheetOf('acme.csv', 'provider', '2026-Q2', [{ sku: 'chat', price: '3' }]);
  const catalogue = sheetOf('litellm.json', 'catalogue', '2026-Q3', [
    { sku: 'chat', price: '5', asOf: '2026-07-24' },
    { sku: 'store', price: '1' },
  ]);
  const contract = sheetOf('acme-contract.csv', 'contract', '2025-Q4', [
    { sku: 'chat', price: '2' },
  ]);

  it('prices from the provider’s own sheet, not a newer catalogue, and says so', () => {
    const json = run([catalogue, provider], { asOfQuarter: '2026-Q3' });
    // chat at 3 EUR × 100 units × 4 quarters (no growth, no decline for "other") = 1200;
    // store from the catalogue at 1 × 100 × 4 = 400
    const onTime = json.scenarios.find((s) => s.id === 'on-time')!;
    expect(onTime.byWorkload.map((w) => w.total)).toEqual(['1200.00', '400.00']);
    expect(json.workloadPrices).toEqual([
      {
        workloadId: 'w0',
        primary: { sheetId: 'id-acme.csv', sheet: 'acme.csv', kind: 'provider', line: 2 },
        fallback: null,
      },
      {
        workloadId: 'w1',
        primary: { sheetId: 'id-litellm.json', sheet: 'litellm.json', kind: 'catalogue', line: 3 },
        fallback: null,
      },
    ]);
    expect(json.warnings).toEqual([
      'workload "w0": SKU "chat" of Acme is priced from the provider price list acme.csv; the catalogue litellm.json (as of 2026-07-24) also lists it and was not used (contract > provider price list > catalogue)',
      'workload "w1": SKU "store" of Acme is priced from the catalogue litellm.json, because the provider price list acme.csv has Acme prices but not this SKU',
    ]);
  });

  it('prices from a contract before the provider’s list, even an older contract', () => {
    const json = run([provider, catalogue, contract], { asOfQuarter: '2026-Q3' });
    // chat at the contract's 2 × 100 × 4 = 800
    expect(json.scenarios[0]!.byWorkload[0]!.total).toBe('800.00');
    expect(json.workloadPrices[0]!.primary.kind).toBe('contract');
    expect(json.warnings.filter((w) => w.startsWith('workload "w0"'))).toEqual([
      'workload "w0": SKU "chat" of Acme is priced from the contract acme-contract.csv; the provider price list acme.csv (as of 2026-Q2) also lists it and was not used (contract > provider price list > catalogue)',
      'workload "w0": SKU "chat" of Acme is priced from the contract acme-contract.csv; the catalogue litellm.json (as of 2026-07-24) also lists it and was not used (contract > provider price list > catalogue)',
    ]);
    // the contract (2025-Q4 → 2026-Q3: 3 quarters) is stale; the unused provider list is not listed
    expect(json.priceSheets.map((s) => [s.name, s.kind, s.ageQuarters, s.stale])).toEqual([
      ['litellm.json', 'catalogue', 0, false],
      ['acme-contract.csv', 'contract', 3, true],
    ]);
  });

  it('still refuses two different prices of one kind as ambiguous', () => {
    const other = sheetOf('acme-2.csv', 'provider', '2026-Q3', [{ sku: 'chat', price: '4' }]);
    const a = assumptions([{ skuId: 'chat' }]);
    const f = forecast(a, [provider, other], { draws: 0, sensitivity: false });
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.issues[0]!.message).toMatch(/has 2 different prices/);
  });
});
