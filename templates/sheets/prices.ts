import { Decimal } from '../../models/money.ts';
import { unitPriceOf } from '../../models/price-book.ts';
import type { Row, SheetLayout } from '../layout.ts';
import { PRICES_FIRST_ROW } from '../plan.ts';
import { type Context, header, n, noteRow, titleRow } from './common.ts';

/** Prices columns: the effective native price, the FX rate and the converted unit price. */
export const PRICE_COL = { list: 5, contracted: 6, effective: 8, fx: 9, unitPrice: 10 };

/** A price sheet's name as people know it: the file name without its folders. */
const COLUMNS = [16, 30, 14, 12, 13, 13, 10, 14, 13, 16, 26, 7, 12, 36, 24];

export const baseName = (name: string): string => name.split(/[\\/]/).pop() ?? name;

/**
 * A price sheet and its version: the file name, and the stored version id when it differs.
 * @example sheetLabel({ id: 'v7', name: 'prices/openai.csv' }) //=> "openai.csv (v7)"
 */
export const sheetLabel = (sheet: { readonly id: string; readonly name: string }): string =>
  sheet.id === baseName(sheet.name) ? sheet.id : `${baseName(sheet.name)} (${sheet.id})`;

/**
 * Prices: every price row a workload uses, with its native price (an input), its FX rate (a
 * link to Inputs) and its unit price in the reporting currency (a formula).
 */
export function pricesSheet({ p }: Context): SheetLayout {
  const { f, L, inputs: g } = p;
  const P = L.prices;
  const fxName = new Map(g.fx.map((x) => [x.currency, x.name]));
  const usedBy = new Map<object, string[]>();
  for (const w of f.model.workloads)
    for (const point of [w.primary, w.fallback]) {
      if (!point) continue;
      const list = usedBy.get(point.ref.row) ?? [];
      if (!list.includes(w.id)) list.push(w.id);
      usedBy.set(point.ref.row, list);
    }
  const last = PRICES_FIRST_ROW + p.prices.length - 1;

  function* rows(): Iterable<Row> {
    yield titleRow(P.title);
    yield noteRow(P.note);
    yield { cells: [] };
    yield header(
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
    for (const [i, ref] of p.prices.entries()) {
      const r = PRICES_FIRST_ROW + i;
      const { row, sheet } = ref;
      const fx = f.model.fx.get(row.PricingCurrency) ?? new Decimal(1);
      const native = unitPriceOf(row);
      const ids = usedBy.get(row) ?? [];
      yield {
        at: r,
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
          { f: fxName.get(row.PricingCurrency)!, r: n(fx), s: 'link.rate' },
          { f: `H${r}*I${r}`, r: n(native.times(fx)), s: 'calc.price' },
          { v: sheetLabel(sheet), s: 'label' },
          ref.line === undefined ? null : { v: ref.line, s: 'val.int' },
          { v: row.x_AsOf ?? sheet.asOfQuarter ?? '', s: 'label' },
          { v: (row.x_Source ?? '').slice(0, 500), s: 'label' },
          { v: ids.join(', ').slice(0, 500), s: 'label' },
        ],
      };
    }
  }

  return {
    name: p.sheets.prices,
    columns: COLUMNS,
    freeze: { rows: 4, cols: 2 },
    rows,
    validations:
      p.prices.length === 0
        ? []
        : [
            {
              kind: 'decimal',
              range: `E${PRICES_FIRST_ROW}:E${last}`,
              operator: 'greaterThanOrEqual',
              values: [0],
              message: L.inputs.invalid.nonNegative,
            },
            {
              kind: 'decimal',
              range: `F${PRICES_FIRST_ROW}:F${last}`,
              operator: 'greaterThanOrEqual',
              values: [0],
              message: L.inputs.invalid.nonNegative,
              allowBlank: true,
            },
          ],
    printTitleRows: '4:4',
    tabColor: 'FFFFC000',
  };
}
