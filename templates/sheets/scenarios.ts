import { CATEGORIES } from '../../models/fields.ts';
import { type Decimal, sum, ZERO } from '../../models/money.ts';
import { CALC_COL, tcol } from '../facts.ts';
import { type Cell, col, onSheet, type SheetLayout } from '../layout.ts';
import { BLANK, build, fixed, keyed, type Line, resolver, rowNumbers } from '../rows.ts';
import { timelineLines } from './calc.ts';
import { type Context, n, noteRow, section, titleRow } from './common.ts';

/**
 * Scenarios side by side on the shared timeline: totals, differences with the base
 * scenario, and the breakdowns by category, provider and fiscal year — all links to the
 * calculation sheets.
 */
export function scenariosSheet({ p }: Context): SheetLayout {
  const { f, L } = p;
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
  const calcAt = (s: number, x: string, row: number) => onSheet(p.sheets.calc[s]!, `${x}${row}`);

  /** One linked row per scenario for the calc-sheet row `calcKey`, with the engine's series. */
  const linked = (group: string, calcKey: string, series: (s: number) => readonly Decimal[]) =>
    f.scenarios.map((sc, s) =>
      keyed(`${group}:${s}`, (ref) => {
        const values = series(s);
        const from = ref.on('calc', calcKey);
        return {
          ...across,
          cells: [
            ...lead(sc.name, sc.id, sumCell(ref(`${group}:${s}`), sum(values))),
            ...cols.map(
              (x, t): Cell => ({ f: calcAt(s, x, from), r: n(values[t]!), s: 'link.money' }),
            ),
          ],
        };
      }),
    );

  const totals: Line[] = f.projections.map((pr, s) =>
    keyed(`total:${s}`, (ref) => ({
      ...across,
      cells: [
        ...lead(
          pr.scenario.name,
          pr.scenario.id,
          sumCell(ref(`total:${s}`), pr.total, 'tot.money'),
          'labelBold',
        ),
        ...cols.map(
          (x, t): Cell => ({
            f: calcAt(s, x, ref.on('calc', 'total')),
            r: n(pr.byQuarter[t]!),
            s: 'link.money',
          }),
        ),
      ],
    })),
  );
  const b = f.projections[base]!;
  const deltas: Line[] = f.projections.flatMap((pr, s) =>
    s === base
      ? []
      : [
          keyed(`delta:${s}`, (ref) => ({
            ...across,
            cells: [
              ...lead(
                L.summary.minus(pr.scenario.name, baseName),
                pr.scenario.id,
                sumCell(ref(`delta:${s}`), pr.total.minus(b.total), 'calc.delta'),
              ),
              ...cols.map(
                (x, t): Cell => ({
                  f: `${x}${ref(`total:${s}`)}-${x}${ref(`total:${base}`)}`,
                  r: n(pr.byQuarter[t]!.minus(b.byQuarter[t]!)),
                  s: 'calc.delta',
                }),
              ),
            ],
          })),
        ],
  );
  const heading = (v: string) => fixed({ cells: [{ v, s: 'labelBold' }] });
  const fiscalYears = p.fiscalYears.flatMap(({ fy }) => [
    heading(p.L.text.fiscalYear(fy)),
    ...f.projections.map((pr, s) =>
      keyed(`fy:${fy}:${s}`, (ref) => ({
        cells: lead(pr.scenario.name, pr.scenario.id, {
          f: onSheet(p.sheets.calc[s]!, `$${col(CALC_COL.total)}$${ref.on('calc', `fy:${fy}`)}`),
          r: n(pr.byFiscalYear.get(fy)!),
          s: 'link.money',
        }),
      })),
    ),
  ]);

  const lines: Line[] = [
    fixed(titleRow(S.title)),
    fixed(noteRow(S.note)),
    BLANK,
    ...timelineLines(p),
    BLANK,
    fixed(section(S.total(cur), width)),
    ...totals,
    ...(f.scenarios.length > 1
      ? [BLANK, fixed(section(S.delta(baseName, cur), width)), ...deltas]
      : []),
    BLANK,
    fixed(section(S.byCategory(cur), width)),
    ...CATEGORIES.flatMap((c) => [
      heading(L.category[c]),
      ...linked(`category:${c}`, `category:${c}`, (s) => f.projections[s]!.byCategory.get(c)!),
    ]),
    BLANK,
    fixed(section(S.byProvider(cur), width)),
    ...p.providers.flatMap((x) => [
      heading(x.name),
      ...linked(
        `provider:${x.name}`,
        `provider:${x.name}`,
        (s) => f.projections[s]!.byProvider.get(x.name) ?? zeros(),
      ),
    ]),
    BLANK,
    fixed(section(S.byFiscalYear(cur), width)),
    ...fiscalYears,
  ];
  const ref = resolver(rowNumbers(p.sheets.scenarios, lines), p.rows);

  return {
    name: p.sheets.scenarios,
    columns: [50, 16, 4, 4, 8, 18, 2, ...cols.map(() => 17)],
    freeze: { rows: ref('t'), cols: CALC_COL.t0 - 1 },
    rows: () => build(lines, ref),
    printTitleRows: `${ref('quarter')}:${ref('t')}`,
    tabColor: 'FF2E75B6',
  };
}
