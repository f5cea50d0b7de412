import { CATEGORIES } from '../../models/fields.ts';
import { type Decimal, sum, ZERO } from '../../models/money.ts';
import type { Projection } from '../../models/projection.ts';
import { CALC_COL, type Facts, tcol } from '../facts.ts';
import { type Cell, col, onSheet, type SheetLayout } from '../layout.ts';
import { BLANK, build, fixed, keyed, type Line, resolver, rowNumbers } from '../rows.ts';
import { timelineLines } from './calc.ts';
import { type Context, n, noteRow, section, titleRow } from './common.ts';

/** What every part of the Scenarios sheet shares. */
interface View {
  readonly p: Facts;
  readonly cols: readonly string[];
  /** Rows whose timeline holds one formula copied across. */
  readonly across: { readonly shared?: readonly [number, number] };
}

/** Columns A–G of a row: label, scenario id, two gaps, the currency, the total, a gap. */
const lead = (
  { p }: View,
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
    { v: p.currency, s: 'note' },
    total,
    null,
  ] as (Cell | null)[];

/** The horizon total of row `r`. */
const sumCell = (
  { cols }: View,
  r: number,
  cached: Decimal,
  s: 'calc.money' | 'tot.money' | 'calc.delta' = 'calc.money',
): Cell => ({ f: `SUM(${cols[0]}${r}:${cols.at(-1)}${r})`, r: n(cached), s });

const calcAt = (p: Facts, s: number, x: string, row: number) =>
  // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
  onSheet(p.sheets.calc[s]!, `${x}${row}`);

/** One row per scenario (`<group>:<s>`) linked to the calc-sheet row `calcKey`. */
function linkedLines(
  v: View,
  group: string,
  calcKey: string,
  series: (pr: Projection) => readonly Decimal[],
): Line[] {
  return v.p.f.projections.map((pr, s) =>
    keyed(`${group}:${s}`, (ref) => {
      const sc = pr.scenario;
      const values = series(pr);
      const from = ref.on('calc', calcKey);
      return {
        ...v.across,
        cells: [
          ...lead(v, sc.name, sc.id, sumCell(v, ref(`${group}:${s}`), sum(values))),
          ...v.cols.map(
            // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
            (x, t): Cell => ({ f: calcAt(v.p, s, x, from), r: n(values[t]!), s: 'link.money' }),
          ),
        ],
      };
    }),
  );
}

/** Each scenario's total by quarter (`total:<s>`). */
function totalLines(v: View): Line[] {
  return v.p.f.projections.map((pr, s) =>
    keyed(`total:${s}`, (ref) => ({
      ...v.across,
      cells: [
        ...lead(
          v,
          pr.scenario.name,
          pr.scenario.id,
          sumCell(v, ref(`total:${s}`), pr.total, 'tot.money'),
          'labelBold',
        ),
        ...v.cols.map(
          (x, t): Cell => ({
            f: calcAt(v.p, s, x, ref.on('calc', 'total')),
            // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
            r: n(pr.byQuarter[t]!),
            s: 'link.money',
          }),
        ),
      ],
    })),
  );
}

/** Each other scenario's total less the base scenario's (`delta:<s>`). */
function deltaLines(v: View): Line[] {
  const { f, L, base } = v.p;
  // biome-ignore lint/style/noNonNullAssertion: base is the on-time scenario's index, or 0 (facts.ts)
  const b = f.projections[base]!;
  return f.projections.flatMap((pr, s) =>
    s === base
      ? []
      : [
          keyed(`delta:${s}`, (ref) => ({
            ...v.across,
            cells: [
              ...lead(
                v,
                L.summary.minus(pr.scenario.name, b.scenario.name),
                pr.scenario.id,
                sumCell(v, ref(`delta:${s}`), pr.total.minus(b.total), 'calc.delta'),
              ),
              ...v.cols.map(
                (x, t): Cell => ({
                  f: `${x}${ref(`total:${s}`)}-${x}${ref(`total:${base}`)}`,
                  // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
                  r: n(pr.byQuarter[t]!.minus(b.byQuarter[t]!)),
                  s: 'calc.delta',
                }),
              ),
            ],
          })),
        ],
  );
}

const heading = (v: string) => fixed({ cells: [{ v, s: 'labelBold' }] });

/** Per fiscal year, each scenario's total (`fy:<fy>:<s>`). */
function fiscalYearLines(v: View): Line[] {
  const { p } = v;
  return p.fiscalYears.flatMap(({ fy }) => [
    heading(p.L.text.fiscalYear(fy)),
    ...p.f.projections.map((pr, s) =>
      keyed(`fy:${fy}:${s}`, (ref) => ({
        cells: lead(v, pr.scenario.name, pr.scenario.id, {
          // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
          f: onSheet(p.sheets.calc[s]!, `$${col(CALC_COL.total)}$${ref.on('calc', `fy:${fy}`)}`),
          // biome-ignore lint/style/noNonNullAssertion: byFiscalYear has every fiscal year of the horizon, as p.fiscalYears
          r: n(pr.byFiscalYear.get(fy)!),
          s: 'link.money',
        }),
      })),
    ),
  ]);
}

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
  const v: View = { p, cols, across: H > 1 ? { shared: [tcol(0), tcol(H - 1)] as const } : {} };
  const zeros = () => Array.from({ length: H }, () => ZERO);
  // biome-ignore lint/style/noNonNullAssertion: base is the on-time scenario's index, or 0 (facts.ts)
  const baseName = f.scenarios[p.base]!.name;
  const lines: Line[] = [
    fixed(titleRow(S.title)),
    fixed(noteRow(S.note)),
    BLANK,
    ...timelineLines(p),
    BLANK,
    fixed(section(S.total(cur), width)),
    ...totalLines(v),
    ...(f.scenarios.length > 1
      ? [BLANK, fixed(section(S.delta(baseName, cur), width)), ...deltaLines(v)]
      : []),
    BLANK,
    fixed(section(S.byCategory(cur), width)),
    ...CATEGORIES.flatMap((c) => [
      heading(L.category[c]),
      ...linkedLines(
        v,
        `category:${c}`,
        `category:${c}`,
        // biome-ignore lint/style/noNonNullAssertion: byCategory has every category (project() maps CATEGORIES)
        (pr) => pr.byCategory.get(c)!,
      ),
    ]),
    BLANK,
    fixed(section(S.byProvider(cur), width)),
    ...p.providers.flatMap((x) => [
      heading(x.name),
      ...linkedLines(
        v,
        `provider:${x.name}`,
        `provider:${x.name}`,
        (pr) => pr.byProvider.get(x.name) ?? zeros(),
      ),
    ]),
    BLANK,
    fixed(section(S.byFiscalYear(cur), width)),
    ...fiscalYearLines(v),
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
