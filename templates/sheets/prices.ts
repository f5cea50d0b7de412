import { Decimal } from '../../models/money.ts';
import { unitPriceOf } from '../../models/price-book.ts';
import type { Facts } from '../facts.ts';
import type { SheetLayout } from '../layout.ts';
import { BLANK, build, fixed, keyed, type Line } from '../rows.ts';
import { type Context, header, n, noteRow, titleRow } from './common.ts';

/** Prices columns: the effective native price, the FX rate and the converted unit price. */
export const PRICE_COL = { list: 5, contracted: 6, effective: 8, fx: 9, unitPrice: 10 };

const COLUMNS = [16, 30, 14, 12, 13, 13, 10, 14, 13, 16, 26, 7, 12, 36, 24];

/** A price sheet's name as people know it: the file name without its folders. */
export const baseName = (name: string): string => name.split(/[\\/]/).pop() ?? name;

/**
 * A price sheet and its version: the file name, and the stored version id when it differs.
 * @example sheetLabel({ id: 'v7', name: 'prices/openai.csv' }) //=> "openai.csv (v7)"
 */
export const sheetLabel = (sheet: { readonly id: string; readonly name: string }): string =>
  sheet.id === baseName(sheet.name) ? sheet.id : `${baseName(sheet.name)} (${sheet.id})`;

/** The workload ids using each price row. */
function usersOf({ f }: Facts): Map<object, string[]> {
  const usedBy = new Map<object, string[]>();
  for (const w of f.model.workloads)
    for (const point of [w.primary, w.fallback]) {
      if (!point) continue;
      const list = usedBy.get(point.ref.row) ?? [];
      if (!list.includes(w.id)) list.push(w.id);
      usedBy.set(point.ref.row, list);
    }
  return usedBy;
}

/** Prices, top to bottom. Keys: `header`, `price:<i>` (the i-th of `Facts.prices`). */
export function pricesLines(p: Facts): Line[] {
  const { f, L } = p;
  const P = L.prices;
  const fxName = new Map(p.fx.map((x) => [x.currency, x.name]));
  const usedBy = usersOf(p);
  const heading = header(
    [
      L.common.provider,
      L.inputs.sku,
      L.inputs.region,
      L.common.unit,
      P.list,
      P.contracted,
      P.currency,
      P.effective,
      P.fx(p.currency),
      P.converted(p.currency),
      P.sheet,
      P.line,
      P.asOf,
      P.source,
      L.common.workload,
    ],
    1,
    { widths: COLUMNS },
  );
  return [
    fixed(titleRow(P.title)),
    fixed(noteRow(P.note)),
    BLANK,
    fixed(heading, 'header'),
    ...p.prices.map((ref, i) =>
      keyed(`price:${i}`, (at) => {
        const r = at(`price:${i}`);
        const { row, sheet } = ref;
        const fx = f.model.fx.get(row.PricingCurrency) ?? new Decimal(1);
        const native = unitPriceOf(row);
        const ids = usedBy.get(row) ?? [];
        return {
          cells: [
            { v: row.ProviderName, s: 'label' },
            { v: row.SkuId, s: 'label' },
            { v: row.RegionId ?? '', s: 'label' },
            { v: row.PricingUnit, s: 'label' },
            { v: Number(row.ListUnitPrice), s: 'in.native' },
            row.ContractedUnitPrice === undefined
              ? { s: 'in.native' }
              : { v: Number(row.ContractedUnitPrice), s: 'in.native' },
            { v: row.PricingCurrency, s: 'label' },
            { f: `IF(ISBLANK(F${r}),E${r},F${r})`, r: n(native), s: 'calc.native' },
            // biome-ignore lint/style/noNonNullAssertion: p.fx lists model.fx's currencies, which include every price row's (buildModel refuses a price without a rate)
            { f: fxName.get(row.PricingCurrency)!, r: n(fx), s: 'link.rate' },
            { f: `H${r}*I${r}`, r: n(native.times(fx)), s: 'calc.price' },
            { v: sheetLabel(sheet), s: 'label' },
            ref.line === undefined ? null : { v: ref.line, s: 'val.int' },
            { v: row.x_AsOf ?? sheet.asOfQuarter ?? '', s: 'label' },
            { v: (row.x_Source ?? '').slice(0, 500), s: 'label' },
            { v: ids.join(', ').slice(0, 500), s: 'label' },
          ],
        };
      }),
    ),
  ];
}

/**
 * Prices: every price row a workload uses, with its native price (an input), its FX rate (a
 * link to Inputs) and its unit price in the reporting currency (a formula).
 */
export function pricesSheet({ p }: Context): SheetLayout {
  const { L } = p;
  const ref = p.ref('prices');
  const nonNegative = L.inputs.invalid.nonNegative;
  const top = p.prices.length === 0 ? 0 : ref('price:0');
  const last = p.prices.length === 0 ? 0 : ref(`price:${p.prices.length - 1}`);
  const heading = ref('header');
  return {
    name: p.sheets.prices,
    columns: COLUMNS,
    freeze: { rows: heading, cols: 2 },
    rows: () => build(pricesLines(p), ref),
    validations:
      p.prices.length === 0
        ? []
        : [
            {
              kind: 'decimal',
              range: `E${top}:E${last}`,
              operator: 'greaterThanOrEqual',
              values: [0],
              message: nonNegative,
            },
            {
              kind: 'decimal',
              range: `F${top}:F${last}`,
              operator: 'greaterThanOrEqual',
              values: [0],
              message: nonNegative,
              allowBlank: true,
            },
          ],
    printTitleRows: `${heading}:${heading}`,
    tabColor: 'FFFFC000',
  };
}
