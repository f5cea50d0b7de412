import { CATEGORIES } from '../../models/fields.ts';
import { usedSheets } from '../../models/forecast.ts';
import { CALC_COL, tcol } from '../facts.ts';
import { type Cell, col, onSheet, type Row, type SheetLayout } from '../layout.ts';
import { bannerStyle, REVIEW_WORDS } from '../review.ts';
import { type Context, header, n, quarterText, section } from './common.ts';
import { driverValue } from './drivers.ts';
import { sheetLabel } from './prices.ts';

/** Rows left empty under the chart of quarterly cost (with its table, one printed page). */
export const SUMMARY_CHART_ROWS = 18;
const TOP_DRIVERS = 3;
/** Rows of the Checks block: section, header, tolerance, five checks, overall, blank. */
const CHECK_ROWS = 10;
/** How far two amounts may differ and still tie out: half a cent. */
const TOLERANCE = 0.005;

/**
 * The CFO's page: horizon and fiscal-year totals per scenario and their difference with the
 * base scenario, budget vs forecast, a chart of quarterly cost by scenario, the main drivers
 * and the price sheets with their age. Totals are links to the calculation sheets.
 */
export function summarySheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const calcRow = p.rows.calc;
  const { model } = f;
  const U = L.summary;
  const T = L.text;
  const asOfQuarter = ctx.asOfQuarter;
  const asOfText = quarterText(asOfQuarter, ctx.locale);
  const cur = p.currency;
  const S = f.scenarios.length;
  const fys = p.fiscalYears;
  const width = 1 + Math.max(1 + fys.length, 6, 1 + S);
  const calcRef = (s: number, c: number, r: number) =>
    onSheet(p.sheets.calc[s]!, `$${col(c)}$${r}`);
  const base = p.base;
  const budgetName = new Map(p.budgets.map((b) => [b.fy, b.name]));
  const W = REVIEW_WORDS[ctx.locale];
  const reviewNote = ctx.review?.note ? W.note(ctx.review.note) : null;
  const last = col(width);
  // Rows of the chart and its data: title block (5, and the review note), totals
  // (2 + S + S − 1 + 1), budget (2 + years × S + 1), checks, then the chart's section.
  const head = 5 + (reviewNote ? 1 : 0);
  const chartTop = head + (2 + S + (S - 1) + 1) + (2 + fys.length * S + 1) + CHECK_ROWS + 2;
  const q0 = chartTop + SUMMARY_CHART_ROWS + 1;
  const qLast = q0 + model.quarters.length - 1;
  const chartRight = Math.min(width, 8);
  const columns = [2, 50, ...Array.from({ length: width - 1 }, () => 18)];
  const opts = (numericFrom: number) => ({ widths: columns, numericFrom });
  const chart = {
    sheet: p.sheets.summary,
    kind: 'line' as const,
    title: U.chartTitle,
    anchor: {
      from: { col: 1, row: chartTop - 1 },
      to: { col: chartRight, row: chartTop - 1 + SUMMARY_CHART_ROWS },
    },
    categories: onSheet(p.sheets.summary, `$B$${q0}:$B$${qLast}`),
    series: f.scenarios.map((s, i) => ({
      name: s.name,
      values: onSheet(p.sheets.summary, `$${col(3 + i)}$${q0}:$${col(3 + i)}$${qLast}`),
    })),
    valueAxisTitle: cur,
    numberFormat: '#,##0',
  };
  const cell = (v: string | number, s: Cell['s'] = 'label'): Cell => ({ v, s });

  /**
   * The Checks block (FAST), starting below row `above`: per scenario, each breakdown of the
   * calculation sheet adds up to its total and the budget table shows Inputs' budgets and the
   * calculation's forecast, each TRUE within a tolerance, and one cell that all pass.
   */
  function* checkRows(
    above: number,
    budgetRows: readonly (readonly { at: number; name: string; fy: string }[])[],
  ): Iterable<Row> {
    const K = L.checks;
    const tol = `$C$${above + 3}`;
    const ties = (a: string, b: string) => `ABS(${a}-${b})<${tol}`;
    const on = (s: number, ref: string) => onSheet(p.sheets.calc[s]!, ref);
    const F = col(CALC_COL.total);
    const span = (s: number, rows: readonly number[]) =>
      `SUM(${on(s, `$${F}$${Math.min(...rows)}:$${F}$${Math.max(...rows)}`)})`;
    const total = (s: number) => on(s, `$${F}$${calcRow('total')}`);
    const rowsOf = (prefix: string, keys: readonly (string | number)[]) =>
      keys.map((k) => calcRow(`${prefix}:${k}`));
    const providers = p.providers.map((x) => x.name);
    const years = fys.map((y) => y.fy);
    const workloads = model.workloads.map((_, i) => i);
    const checks: [string, (s: number) => string][] = [
      [K.byCategory, (s) => ties(span(s, rowsOf('category', CATEGORIES)), total(s))],
      [K.byProvider, (s) => ties(span(s, rowsOf('provider', providers)), total(s))],
      [K.byFiscalYear, (s) => ties(span(s, rowsOf('fy', years)), total(s))],
      [
        K.byWorkload,
        (s) =>
          ties(
            `${span(s, rowsOf('primary', workloads))}+${span(s, rowsOf('fallback', workloads))}`,
            total(s),
          ),
      ],
      [
        K.budget,
        (s) =>
          `AND(${budgetRows[s]!.map(({ at, name, fy }) => {
            const budget = `IF(ISBLANK(${name}),D${at}="",${ties(`D${at}`, name)})`;
            const forecast = ties(`E${at}`, on(s, `$${F}$${calcRow(`fy:${fy}`)}`));
            const headroom = `IF(ISBLANK(${name}),F${at}="",${ties(`F${at}`, `(${name}-E${at})`)})`;
            return `${budget},${forecast},${headroom}`;
          }).join(',')})`,
      ],
    ];
    yield section(L.checks.section, width);
    yield header([K.check, ...f.scenarios.map((x) => x.name)], 2, opts(1));
    yield {
      at: above + 3,
      cells: [null, cell(K.tolerance(cur)), { v: TOLERANCE, s: 'val.price' }],
    };
    const first = above + 4;
    for (const [label, formula] of checks)
      yield {
        cells: [
          null,
          cell(label, 'labelIndent'),
          ...f.scenarios.map((_, s): Cell => ({ f: formula(s), r: true, s: 'labelBold' })),
        ],
      };
    const last = first + checks.length - 1;
    yield {
      at: last + 1,
      cells: [
        null,
        cell(K.all, 'labelBold'),
        { f: `AND(C${first}:${col(2 + S)}${last})`, r: true, s: 'checkAll' },
      ],
    };
    yield { cells: [] };
  }

  function* rows(): Iterable<Row> {
    let r = 0;
    const emit = (row: Row): Row => {
      r += 1;
      return row;
    };
    yield emit({ cells: [null, { v: model.name, s: 'title' }], height: 26 });
    yield emit({
      cells: [
        null,
        {
          v: U.subtitle(T.quarter(model.quarters[0]!), T.quarter(model.quarters.at(-1)!), cur),
          s: 'subtitle',
        },
      ],
    });
    yield emit({
      cells: [
        null,
        {
          v: U.asOf(asOfText, ctx.generatedText, ctx.engineVersion),
          s: 'note',
        },
      ],
    });
    // The review status, where a reader cannot miss it: draft, in review, approved, rejected.
    const banner = bannerStyle(ctx.review);
    yield emit({
      at: 4,
      cells: [
        null,
        ...Array.from({ length: width - 1 }, (_, i) =>
          cell(i === 0 ? W.banner(ctx.review) : '', banner),
        ),
      ],
      height: 24,
    });
    if (reviewNote)
      yield emit({
        cells: [null, cell(reviewNote, 'paragraph')],
        height: 14 * Math.ceil(reviewNote.length / (columns[1]! + 18 * (width - 2))) + 4,
      });
    yield emit({ cells: [] });

    yield emit(section(U.totals(cur), width));
    yield emit(
      header(
        [L.common.scenario, U.horizonTotal, ...fys.map((y) => T.fiscalYear(y.fy))],
        2,
        opts(1),
      ),
    );
    const totalRow: number[] = [];
    for (const [s, pr] of f.projections.entries()) {
      totalRow.push(r + 1);
      yield emit({
        cells: [
          null,
          cell(pr.scenario.name, 'labelBold'),
          { f: calcRef(s, CALC_COL.total, calcRow('total')), r: n(pr.total), s: 'link.money' },
          ...fys.map(
            (y): Cell => ({
              f: calcRef(s, CALC_COL.total, calcRow(`fy:${y.fy}`)),
              r: n(pr.byFiscalYear.get(y.fy)!),
              s: 'link.money',
            }),
          ),
        ],
      });
    }
    const b = f.projections[base]!;
    for (const [s, pr] of f.projections.entries()) {
      if (s === base) continue;
      const diff = (c: number) => `${col(c)}${totalRow[s]}-${col(c)}${totalRow[base]}`;
      const label = U.minus(pr.scenario.name, b.scenario.name);
      yield emit({
        height: 13 * Math.ceil(label.length / (columns[1]! - 4)) + 3,
        cells: [
          null,
          cell(label, 'labelWrap'),
          { f: diff(3), r: n(pr.total.minus(b.total)), s: 'tot.delta' },
          ...fys.map(
            (y, i): Cell => ({
              f: diff(4 + i),
              r: n(pr.byFiscalYear.get(y.fy)!.minus(b.byFiscalYear.get(y.fy)!)),
              s: 'tot.delta',
            }),
          ),
        ],
      });
    }
    yield emit({ cells: [] });

    yield emit(section(U.budget(cur), width));
    yield emit(
      header(
        [
          L.common.scenario,
          L.common.fiscalYear,
          U.budgetCol,
          U.forecastCol,
          U.headroomCol,
          U.probabilityCol,
        ],
        2,
        opts(2),
      ),
    );
    /** The budget table's rows of each scenario, with the fiscal year's budget name. */
    const budgetRows = f.projections.map(() => [] as { at: number; name: string; fy: string }[]);
    for (const { fy, quarters } of fys) {
      const budget = model.budget.get(fy);
      const name = budgetName.get(fy)!;
      for (const [s, pr] of f.projections.entries()) {
        const at = r + 1;
        budgetRows[s]!.push({ at, name, fy });
        const forecast = pr.byFiscalYear.get(fy)!;
        const probability = f.monteCarlo[s]?.exceedBudget.get(fy);
        yield emit({
          cells: [
            null,
            cell(pr.scenario.name),
            cell(
              quarters < 4
                ? `${T.fiscalYear(fy)} (${L.common.partialYear(quarters)})`
                : T.fiscalYear(fy),
              'labelBold',
            ),
            { f: `IF(ISBLANK(${name}),"",${name})`, r: budget ? n(budget) : '', s: 'link.money' },
            {
              f: calcRef(s, CALC_COL.total, calcRow(`fy:${fy}`)),
              r: n(forecast),
              s: 'link.money',
            },
            {
              f: `IF(ISBLANK(${name}),"",${name}-E${at})`,
              r: budget ? n(budget.minus(forecast)) : '',
              s: 'calc.headroom',
            },
            probability === undefined ? cell(L.common.none, 'note') : cell(probability, 'val.prob'),
          ],
        });
      }
    }
    yield emit({ cells: [] });

    yield* checkRows(r, budgetRows);
    r += CHECK_ROWS;

    yield emit(section(U.chartSection(cur), width));
    yield emit({ at: chartTop, cells: [] });
    for (let i = 1; i < SUMMARY_CHART_ROWS; i++) yield emit({ cells: [] });
    yield emit(header([L.common.quarter, ...f.scenarios.map((s) => s.name)], 2, opts(1)));
    for (const [t, q] of model.quarters.entries())
      yield emit({
        at: q0 + t,
        cells: [
          null,
          cell(T.quarter(q), 'labelBold'),
          ...f.projections.map(
            (pr, s): Cell => ({
              f: onSheet(p.sheets.calc[s]!, `${col(tcol(t))}$${calcRow('total')}`),
              r: n(pr.byQuarter[t]!),
              s: 'link.money',
            }),
          ),
        ],
      });
    yield emit({ cells: [] });

    yield emit(section(U.drivers, width));
    yield emit({ cells: [null, { v: U.driversNote, s: 'note' }] });
    yield emit(
      header(
        [L.common.scenario, L.tornado.driver, U.range, U.totalAtLow, U.totalAtHigh, U.swing],
        2,
        opts(3),
      ),
    );
    for (const s of f.scenarios) {
      const bars = f.tornado.filter((x) => x.scenarioId === s.id).slice(0, TOP_DRIVERS);
      for (const [i, bar] of bars.entries()) {
        const show = (v: string) => driverValue(L, ctx.locale, bar.driver, bar.mode, v);
        yield emit({
          cells: [
            null,
            i === 0 ? cell(s.name, 'labelBold') : null,
            cell(L.driver[bar.driver]),
            cell(`${show(bar.low)} → ${show(bar.high)}`),
            cell(n(bar.totalAtLow), 'val.money'),
            cell(n(bar.totalAtHigh), 'val.money'),
            cell(n(bar.swing), 'val.money'),
          ],
        });
      }
    }
    yield emit({ cells: [] });

    yield emit(section(U.priceSheets, width));
    // One staleness rule (models/freshness.ts), the same as the forecast JSON's priceSheets.
    yield emit({
      cells: [null, { v: U.staleRule(f.json.staleAfterQuarters, asOfText), s: 'note' }],
    });
    yield emit(
      header(
        [U.sheetCol, U.kindCol, U.asOfCol, U.ageQuarters(asOfText), U.rowsUsed, ''],
        2,
        opts(3),
      ),
    );
    const byId = new Map(model.sheets.map((s) => [s.id, s]));
    for (const used of usedSheets(model, asOfQuarter, f.json.staleAfterQuarters)) {
      const sheet = byId.get(used.id)!;
      yield emit({
        cells: [
          null,
          cell(sheetLabel(sheet)),
          cell(U.kind[used.kind] ?? used.kind),
          cell(
            used.asOfDate ?? (used.asOfQuarter ? T.quarter(used.asOfQuarter) : U.unknownAsOf),
            'labelBold',
          ),
          used.ageQuarters === null
            ? cell(L.common.none, 'note')
            : cell(used.ageQuarters, 'val.int'),
          cell(used.rowsUsed, 'val.int'),
          used.stale ? cell(U.stale, 'warn') : null,
        ],
      });
    }
    if (f.notices.length > 0) {
      yield emit({ cells: [] });
      yield emit(section(U.warnings, width));
      for (const n of f.notices) yield emit({ cells: [null, cell(L.notice(n), 'warn')] });
    }
  }

  return {
    name: p.sheets.summary,
    columns,
    freeze: { rows: 4, cols: 0 },
    rows,
    merges: [`B4:${last}4`, ...(reviewNote ? [`B5:${last}5`] : [])],
    charts: [chart],
    tabColor: 'FF1F4E78',
  };
}
