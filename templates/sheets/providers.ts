import { sum, ZERO } from '../../models/money.ts';
import { CALC_COL } from '../facts.ts';
import { type Cell, col, onSheet, type Row, type SheetLayout } from '../layout.ts';
import { sumWhere } from './calc.ts';
import { type Context, header, n, noteRow, section, titleRow } from './common.ts';

const WIDTH = 5;
const COLUMNS = [34, 16, 20, 14, 28];

/**
 * Providers: per scenario, spend and share by provider (the unserved share with the provider
 * that serves it), the fallback exposure, shares by jurisdiction and both HHIs — live
 * formulas over the calculation sheets.
 */
export function providersSheet({ p }: Context): SheetLayout {
  const { f, L } = p;
  const calcRow = p.rows.calc;
  const R = L.providers;
  const cur = p.currency;
  const P = p.providers.length;
  const jurisdictions = (s: number) => {
    const c = f.concentration[s]!;
    const all = [...c.byJurisdiction.keys()];
    for (const x of p.providers) if (!all.includes(x.jurisdiction)) all.push(x.jurisdiction);
    return all;
  };

  function* rows(): Iterable<Row> {
    let r = 0;
    const emit = (row: Row): Row => {
      r += 1;
      return row;
    };
    yield emit(titleRow(R.title));
    yield emit(noteRow(R.note));
    yield emit({ cells: [] });
    for (const [s, pr] of f.projections.entries()) {
      const c = f.concentration[s]!;
      const calc = (row: number) => onSheet(p.sheets.calc[s]!, `$${col(CALC_COL.total)}$${row}`);
      const order = [...p.providers].sort(
        (a, b) =>
          (c.spendByProvider.get(b.name) ?? ZERO).comparedTo(
            c.spendByProvider.get(a.name) ?? ZERO,
          ) || a.name.localeCompare(b.name),
      );
      yield emit(section(R.block(pr.scenario.name), WIDTH));
      yield emit(
        header(
          [
            L.common.provider,
            L.common.jurisdiction,
            R.spend(cur),
            L.common.share,
            R.fallbackSpend(cur),
          ],
          1,
          {
            widths: COLUMNS,
            numericFrom: 2,
          },
        ),
      );
      const a = r + 1;
      const b = a + P - 1;
      const total = b + 1;
      for (const x of order) {
        const at = r + 1;
        const spend = c.spendByProvider.get(x.name) ?? ZERO;
        yield emit({
          at,
          cells: [
            { v: x.name, s: 'label' },
            {
              f: onSheet(p.sheets.inputs, `$B$${p.rows.inputs(`provider:${x.name}`)}`),
              r: x.jurisdiction,
              s: 'link.text',
            },
            { f: calc(calcRow(`provider:${x.name}`)), r: n(spend), s: 'link.money' },
            {
              f: `IF($C$${total}=0,0,C${at}/$C$${total})`,
              r: n(c.byProvider.get(x.name) ?? ZERO),
              s: 'calc.pct',
            },
            {
              f: calc(calcRow(`providerFallback:${x.name}`)),
              r: n(c.fallbackByProvider.get(x.name) ?? ZERO),
              s: 'link.money',
            },
          ],
        });
      }
      const shares = [...c.byProvider.values()];
      yield emit({
        at: total,
        cells: [
          { v: L.common.total, s: 'labelBold' },
          null,
          { f: `SUM(C${a}:C${b})`, r: n(pr.total), s: 'tot.money' },
          { f: `SUM(D${a}:D${b})`, r: n(sum(shares)), s: 'tot.pct' },
          { f: `SUM(E${a}:E${b})`, r: n(sum([...c.fallbackByProvider.values()])), s: 'tot.money' },
        ],
      });
      yield emit({
        cells: [
          { v: R.hhi, s: 'labelBold' },
          null,
          null,
          {
            f: `SUMPRODUCT(D${a}:D${b},D${a}:D${b})*${p.names.hhiScale}`,
            r: n(c.hhi),
            s: 'calc.num',
          },
        ],
      });
      yield emit({ cells: [] });
      yield emit({ cells: [{ v: R.byJurisdiction, s: 'labelBold' }] });
      yield emit(
        header([L.common.jurisdiction, L.common.share], 1, { widths: COLUMNS, numericFrom: 1 }),
      );
      const js = jurisdictions(s);
      const j0 = r + 1;
      for (const j of js)
        yield emit({
          cells: [
            { v: j, s: 'label' },
            {
              f: sumWhere(`$B$${a}:$B$${b}`, `A${r + 1}`, `$D$${a}:$D$${b}`),
              r: n(c.byJurisdiction.get(j) ?? ZERO),
              s: 'calc.pct',
            } as Cell,
          ],
        });
      const j1 = r;
      yield emit({
        cells: [
          { v: R.jurisdictionHhi, s: 'labelBold' },
          {
            f: `SUMPRODUCT(B${j0}:B${j1},B${j0}:B${j1})*${p.names.hhiScale}`,
            r: n(c.jurisdictionHhi),
            s: 'calc.num',
          },
        ],
      });
      yield emit({ cells: [] });
    }
  }

  return {
    name: p.sheets.providers,
    columns: COLUMNS,
    freeze: { rows: 2, cols: 1 },
    rows,
    tabColor: 'FF2E75B6',
  };
}
