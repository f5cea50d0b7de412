import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { renderWorkbook } from '../../templates/index.ts';
import { fixtureInputs, OPTIONS } from './helpers.ts';
import { readXlsx, type XSheet } from './xlsx-reader.ts';

/** The Summary's price-sheet block: the one staleness rule, used sheets only. */
const rowsFrom = (s: XSheet, first: number, count: number, cols: string[]) =>
  Array.from({ length: count }, (_, i) =>
    cols.map((c) => s.cells.get(`${c}${first + i}`)?.value ?? null),
  );

describe('the Summary’s price sheets', () => {
  it('lists the sheets used with kind, as-of, age in quarters before the forecast’s as-of quarter, and STALE past the threshold', async () => {
    const inputs = await fixtureInputs('bank-ma');
    const unused: PriceSheet = {
      id: 'unused.csv',
      name: 'unused.csv',
      rows: [
        {
          ProviderName: 'Nobody',
          SkuId: 'nothing',
          PricingUnit: 'GB',
          ListUnitPrice: '1',
          PricingCurrency: 'USD',
          x_AsOf: '2020-01-01',
        },
      ],
    };
    const f = forecast(inputs.assumptions, [...inputs.sheets, unused], {
      draws: 0,
      ...(inputs.scenarios ? { scenarios: inputs.scenarios } : {}),
      asOfQuarter: '2026-Q3',
      staleAfterQuarters: 1,
    });
    if (!f.ok) throw new Error(JSON.stringify(f.issues));
    // Generated in 2026-Q4, but as of 2026-Q3: ages count to 2026-Q3.
    const book = await readXlsx(await renderWorkbook(f.value, OPTIONS));
    const s = book.sheet('Summary');
    const texts = [...s.cells.values()].filter((c) => typeof c.value === 'string');
    const at = (text: string) => texts.find((c) => c.value === text)!;
    expect(texts.map((c) => c.value)).toContain(
      'Forecast as of 2026-Q3 · generated 2026-11-22 09:30 UTC by costcast 0.1.0',
    );
    expect(texts.map((c) => c.value)).toContain(
      "A sheet is stale when its prices are more than 1 quarter older than the forecast's as-of quarter (2026-Q3). Precedence: contract > provider price list > catalogue, then newest.",
    );
    const header = at('Age (quarters before 2026-Q3)');
    expect(header.ref).toMatch(/^E\d+$/);
    const first = header.row + 1;
    expect(rowsFrom(s, first, 8, ['B', 'C', 'D', 'E', 'F', 'G'])).toEqual([
      // 2026-Q3 → 2026-Q3: 0
      ['anthropic-2026Q3.csv', 'provider price list', '2026-07-24', 0, 2, null],
      // 2024-Q3 → 2026-Q3: 8 quarters > 1
      ['aws-2024Q3.csv', 'provider price list', '2024-09-16', 8, 1, 'STALE: refresh'],
      // 2024-Q4 → 2026-Q3: 7
      ['google-cloud-2024Q4.json', 'provider price list', '2024-11-07', 7, 2, 'STALE: refresh'],
      ['google-cloud-vertex-2026Q3.json', 'provider price list', '2026-07-24', 0, 2, null],
      ['mistral-2026Q3.csv', 'provider price list', '2026-07-24', 0, 4, null],
      // a ContractedUnitPrice makes the sheet a contract
      ['openai-2026Q3.csv', 'contract', '2026-07-24', 0, 4, null],
      // 2024-Q1 → 2026-Q3: 10
      ['oracle-2024Q1.csv', 'contract', '2024-01-19', 10, 1, 'STALE: refresh'],
      // unused.csv priced nothing: not listed
      [null, null, null, null, null, null],
    ]);
    expect(f.value.json.priceSheets.map((p) => p.name)).not.toContain('unused.csv');
  });
});
