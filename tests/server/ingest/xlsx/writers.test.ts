import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePriceSheet } from '../../../../server/ingest/index.ts';
import { readSheet } from '../../../../server/ingest/workbook/sheet.ts';
import { convert, hasLibreOffice, python, recalcProfile } from '../../../templates/libreoffice.ts';

/**
 * The sheet a price workbook is read from — the one named "Prices", else the first tab — for
 * workbooks written by openpyxl (generated here by /usr/bin/python3) and re-saved by
 * LibreOffice. openpyxl writes its worksheets before workbook.xml in the zip and points at
 * them with absolute targets (`/xl/worksheets/sheet2.xml`); exceljs alone then names no sheet
 * right, and the reader found "no worksheet". The workbooks below hold a decoy: a first tab
 * that is itself a valid price sheet with other prices, so that reading the wrong tab shows.
 * (Workbooks as exceljs and Excel write them: tests/server/ingest/xlsx/parse.test.ts.)
 *
 * exceljs's own one-pass unzipping lost the entries after the worksheets at random (about one
 * read in five of these workbooks on Node 20): hence the repeated reads below, which every
 * read must get right (server/ingest/xlsx/book-reader.ts).
 */
const dir = mkdtempSync(join(tmpdir(), 'costcast-xlsx-writers-'));

/** tabs: [name, rows][] in tab order, written by openpyxl to `file` in the temp folder. */
function openpyxl(
  file: string,
  tabs: readonly (readonly [string, readonly unknown[][]])[],
): string {
  const path = join(dir, file);
  const script = `
import json, sys, openpyxl
path, tabs = sys.argv[1], json.loads(sys.argv[2])
wb = openpyxl.Workbook()
wb.remove(wb.active)
for name, rows in tabs:
    ws = wb.create_sheet(name)
    for r in rows:
        ws.append(r)
wb.save(path)
`;
  execFileSync(python!, ['-c', script, path, JSON.stringify(tabs)]);
  return path;
}

const HEADER = ['ProviderName', 'SkuId', 'PricingUnit', 'ListUnitPrice', 'PricingCurrency'];
/** The decoy: a valid price sheet, but not the one meant. */
const DECOY = [HEADER, ['Decoy', 'old-sku', '1 hour', 9.99, 'USD']];
const MEANT = [
  [],
  [],
  HEADER,
  ['Scaleway', 'h100-pcie', '1 hour', 2.73, 'EUR'],
  ['Mistral', 'mistral-large', '1M tokens', 2, 'EUR'],
];
/** MEANT's rows as the reader must give them: the header on row 3 (below two blank rows), the numbers as written. */
const MEANT_ROWS = [
  {
    ProviderName: 'Scaleway',
    SkuId: 'h100-pcie',
    PricingUnit: '1 hour',
    ListUnitPrice: '2.73',
    PricingCurrency: 'EUR',
  },
  {
    ProviderName: 'Mistral',
    SkuId: 'mistral-large',
    PricingUnit: '1M tokens',
    ListUnitPrice: '2',
    PricingCurrency: 'EUR',
  },
];

const parse = (path: string) =>
  parsePriceSheet(new Uint8Array(readFileSync(path)), { fileName: 'prices.xlsx' });

describe.skipIf(python === undefined)('XLSX price sheets written by openpyxl', () => {
  it('reads the sheet named Prices when it is the second of three tabs', async () => {
    const path = openpyxl('second.xlsx', [
      ['Old prices', DECOY],
      ['Prices', MEANT],
      ['Notes', [['checked by Youssef']]],
    ]);
    const r = await parse(path);
    expect(r).toMatchObject({ ok: true, value: { format: 'xlsx', rows: MEANT_ROWS } });
    if (r.ok) {
      expect(r.value.notes).toEqual(['read the sheet "Prices"']);
      expect(r.value.lines).toEqual([4, 5]);
    }
  });

  it('finds "prices" in any case, and the first tab when none is named so', async () => {
    const lower = openpyxl('lower.xlsx', [
      ['Read me', DECOY],
      ['prices', MEANT],
    ]);
    expect(await parse(lower)).toMatchObject({
      ok: true,
      value: { rows: MEANT_ROWS, notes: ['read the sheet "prices"'] },
    });
    const none = openpyxl('none.xlsx', [
      ['Tarifs', MEANT],
      ['Old prices', DECOY],
    ]);
    expect(await parse(none)).toMatchObject({
      ok: true,
      value: { rows: MEANT_ROWS, notes: ['read the sheet "Tarifs"'] },
    });
  });

  it('reads the same tab on each of 200 reads of one workbook, as a price sheet and as Inputs', async () => {
    const path = openpyxl('again.xlsx', [
      ['Old prices', DECOY],
      ['Prices', MEANT],
      ['Inputs', [['Name', 'Plan 2027']]],
    ]);
    const bytes = new Uint8Array(readFileSync(path));
    const wrong: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await parse(path);
      if (!r.ok || r.value.rows[0]?.SkuId !== 'h100-pcie') wrong.push(`price sheet, read ${i}`);
      const grid = await readSheet(bytes, ['Inputs']);
      if (!grid.ok || grid.value.sheet !== 'Inputs' || grid.value.cells.get(1)?.[2] !== 'Plan 2027')
        wrong.push(`Inputs, read ${i}`);
    }
    expect(wrong).toEqual([]);
  });

  it.skipIf(!hasLibreOffice)(
    'reads the same tab after LibreOffice saves the workbook again',
    async () => {
      const path = openpyxl('resaved.xlsx', [
        ['Old prices', DECOY],
        ['Prices', MEANT],
      ]);
      const [out] = convert([path], 'xlsx', join(dir, 'libreoffice'), recalcProfile());
      const r = await parse(out!);
      expect(r).toMatchObject({
        ok: true,
        value: { rows: MEANT_ROWS, notes: ['read the sheet "Prices"'] },
      });
    },
  );
});
