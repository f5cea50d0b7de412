import { CATEGORIES } from '../../models/fields.ts';
import { type Decimal, sum, ZERO } from '../../models/money.ts';
import { type Cell, col, onSheet, type Row, type SheetLayout } from '../layout.ts';
import { CALC_COL, tcol } from '../plan.ts';
import { timelineRows } from './calc.ts';
import { type Context, n, noteRow, section, titleRow } from './common.ts';

/**
 * Scenarios side by side on the shared timeline: totals, differences with the base
 * scenario, and the breakdowns by category, provider and fiscal year — all links to the
 * calculation sheets.
 */
export function scenariosSheet({ p }: Context): SheetLayout {
  const { f, L, calc: g } = p;
  const S = L.scenarios;
  const H = p.horizon;
  const cur = p.currency;
  const cols = Array.from({ length: H }, (_, t) => col(tcol(t)));
  const width = tcol(H - 1);
  /** Rows whose timeline holds one formula copied across. */
  const across = H > 1 ? { shared: [tcol(0), tcol(H - 1)] as const } : {};
  const zeros = () => Array.from({ length: H }, () => ZERO);
  const lead = (
    label: string,
    key: string | null,
    total: Cell,
    style: 'labelIndent' | 'labelBold' = 'labelIndent',
  ) =>
    [
      { v: label, s: style },
      key === null ? null : { v: key, s: 'label' },
      null,
      null,
      { v: cur, s: 'note' },
      total,
      null,
    ] as (Cell | null)[];
  const sumCell = (
    r: number,
    cached: Decimal,
    s: 'calc.money' | 'tot.money' | 'calc.delta' = 'calc.money',
  ): Cell => ({
    f: `SUM(${cols[0]}${r}:${cols[H - 1]}${r})`,
    r: n(cached),
    s,
  });
  const base = p.base;
  const baseName = f.scenarios[base]!.name;

  function* rows(): Iterable<Row> {
    let r = 0;
    const emit = (row: Row): Row => {
      r += 1;
      return row;
    };
    yield emit(titleRow(S.title));
    yield emit(noteRow(S.note));
    yield emit({ cells: [] });
    for (const row of timelineRows(p)) yield emit(row);
    yield emit({ cells: [] });

    /** One linked row per scenario for a calc-sheet row with the given engine series. */
    const linked = (
      label: (s: number) => string,
      calcRow: number,
      series: (s: number) => readonly Decimal[],
    ) =>
      f.scenarios.map((_, s) => {
        const at = r + 1;
        const values = series(s);
        return emit({
          at,
          ...across,
          cells: [
            ...lead(label(s), f.scenarios[s]!.id, sumCell(at, sum(values))),
            ...cols.map(
              (c, t): Cell => ({
                f: `${onSheet(p.sheets.calc[s]!, `${c}${calcRow}`)}`,
                r: n(values[t]!),
                s: 'link.money',
              }),
            ),
          ],
        });
      });

    yield emit(section(S.total(cur), width));
    const totalRows: number[] = [];
    for (const [s, pr] of f.projections.entries()) {
      const at = r + 1;
      totalRows.push(at);
      yield emit({
        at,
        ...across,
        cells: [
          ...lead(
            pr.scenario.name,
            pr.scenario.id,
            sumCell(at, pr.total, 'tot.money'),
            'labelBold',
          ),
          ...cols.map(
            (c, t): Cell => ({
              f: onSheet(p.sheets.calc[s]!, `${c}${g.total}`),
              r: n(pr.byQuarter[t]!),
              s: 'link.money',
            }),
          ),
        ],
      });
    }
    if (f.scenarios.length > 1) {
      yield emit({ cells: [] });
      yield emit(section(S.delta(baseName, cur), width));
      const b = f.projections[base]!;
      for (const [s, pr] of f.projections.entries()) {
        if (s === base) continue;
        const at = r + 1;
        yield emit({
          at,
          ...across,
          cells: [
            ...lead(
              L.summary.minus(pr.scenario.name, baseName),
              pr.scenario.id,
              sumCell(at, pr.total.minus(b.total), 'calc.delta'),
            ),
            ...cols.map(
              (c, t): Cell => ({
                f: `${c}${totalRows[s]}-${c}${totalRows[base]}`,
                r: n(pr.byQuarter[t]!.minus(b.byQuarter[t]!)),
                s: 'calc.delta',
              }),
            ),
          ],
        });
      }
    }

    yield emit({ cells: [] });
    yield emit(section(S.byCategory(cur), width));
    for (const c of CATEGORIES) {
      yield emit({ cells: [{ v: L.category[c], s: 'labelBold' }] });
      yield* linked(
        (s) => f.scenarios[s]!.name,
        g.category[c],
        (s) => f.projections[s]!.byCategory.get(c)!,
      );
    }

    yield emit({ cells: [] });
    yield emit(section(S.byProvider(cur), width));
    for (const x of p.providers) {
      yield emit({ cells: [{ v: x.name, s: 'labelBold' }] });
      yield* linked(
        (s) => f.scenarios[s]!.name,
        g.provider.get(x.name)!,
        (s) => f.projections[s]!.byProvider.get(x.name) ?? zeros(),
      );
    }

    yield emit({ cells: [] });
    yield emit(section(S.byFiscalYear(cur), width));
    for (const { fy } of p.fiscalYears) {
      yield emit({ cells: [{ v: p.L.text.fiscalYear(fy), s: 'labelBold' }] });
      for (const [s, pr] of f.projections.entries())
        yield emit({
          cells: lead(pr.scenario.name, pr.scenario.id, {
            f: onSheet(p.sheets.calc[s]!, `$${col(CALC_COL.total)}$${g.fiscalYears.get(fy)}`),
            r: n(pr.byFiscalYear.get(fy)!),
            s: 'link.money',
          }),
        });
    }
  }

  return {
    name: p.sheets.scenarios,
    columns: [50, 16, 4, 4, 8, 18, 2, ...cols.map(() => 17)],
    freeze: { rows: g.t, cols: CALC_COL.t0 - 1 },
    rows,
    printTitleRows: `${g.quarter}:${g.t}`,
    tabColor: 'FF2E75B6',
  };
}
