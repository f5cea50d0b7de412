import { CATEGORIES } from '../../models/fields.ts';
import { usedSheets } from '../../models/forecast.ts';
import { CALC_COL, tcol } from '../facts.ts';
import { type Cell, col, onSheet, type SheetLayout } from '../layout.ts';
import { bannerStyle, REVIEW_WORDS } from '../review.ts';
import { BLANK, build, fixed, keyed, type Line, type Ref, resolver, rowNumbers } from '../rows.ts';
import { type Context, header, n, quarterText, section } from './common.ts';
import { driverValue } from './drivers.ts';
import { sheetLabel } from './prices.ts';

/** Rows left empty under the chart of quarterly cost (with its table, one printed page). */
export const SUMMARY_CHART_ROWS = 18;
const TOP_DRIVERS = 3;
/** How far two amounts may differ and still tie out: half a cent. */
const TOLERANCE = 0.005;

/** What every part of the Summary shares. */
interface Summary {
  readonly ctx: Context;
  readonly width: number;
  /** Column widths: A a margin, B the labels (their width sets wrapped rows' heights). */
  readonly columns: readonly [number, number, ...number[]];
  readonly asOfText: string;
  readonly reviewNote: string | null;
  /** An approval's acknowledgement of stale or unreviewed price sheets, worded; or null. */
  readonly acknowledgement: string | null;
}

const cell = (v: string | number, s: Cell['s'] = 'label'): Cell => ({ v, s });
const opts = ({ columns }: Summary, numericFrom: number) => ({ widths: columns, numericFrom });
const calcRef = ({ ctx }: Summary, s: number, ref: Ref, key: string) =>
  // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
  onSheet(ctx.p.sheets.calc[s]!, `$${col(CALC_COL.total)}$${ref.on('calc', key)}`);
/** A fiscal year as the tables label it, with its number of quarters when partial. */
const yearLabel = ({ ctx }: Summary, fy: string, quarters: number) =>
  quarters < 4
    ? `${ctx.p.L.text.fiscalYear(fy)} (${ctx.p.L.common.partialYear(quarters)})`
    : ctx.p.L.text.fiscalYear(fy);

/** Title, subtitle, as-of, the review banner (`banner`) and its note (`reviewNote`). */
function headLines(sm: Summary): Line[] {
  const { ctx, width, columns, reviewNote } = sm;
  const { f, L, currency } = ctx.p;
  const { model } = f;
  const T = L.text;
  const W = REVIEW_WORDS[ctx.locale];
  // The review status, where a reader cannot miss it: draft, in review, approved, rejected.
  const banner = bannerStyle(ctx.review);
  return [
    fixed({ cells: [null, { v: model.name, s: 'title' }], height: 26 }),
    fixed({
      cells: [
        null,
        {
          v: L.summary.subtitle(
            // biome-ignore-start lint/style/noNonNullAssertion: the horizon has at least one quarter (horizonQuarters ≥ 1)
            T.quarter(model.quarters[0]!),
            T.quarter(model.quarters.at(-1)!),
            // biome-ignore-end lint/style/noNonNullAssertion: the horizon has at least one quarter (horizonQuarters ≥ 1)
            currency,
          ),
          s: 'subtitle',
        },
      ],
    }),
    fixed({
      cells: [
        null,
        { v: L.summary.asOf(sm.asOfText, ctx.generatedText, ctx.engineVersion), s: 'note' },
      ],
    }),
    fixed(
      {
        cells: [
          null,
          ...Array.from({ length: width - 1 }, (_, i) =>
            cell(i === 0 ? W.banner(ctx.review) : '', banner),
          ),
        ],
        height: 24,
      },
      'banner',
    ),
    ...(reviewNote
      ? [
          fixed(
            {
              cells: [null, cell(reviewNote, 'paragraph')],
              height: 14 * Math.ceil(reviewNote.length / (columns[1] + 18 * (width - 2))) + 4,
            },
            'reviewNote',
          ),
        ]
      : []),
    ...(sm.acknowledgement
      ? [
          fixed(
            {
              cells: [null, cell(sm.acknowledgement, 'paragraph')],
              height:
                14 * Math.ceil(sm.acknowledgement.length / (columns[1] + 18 * (width - 2))) + 4,
            },
            'acknowledgement',
          ),
        ]
      : []),
    BLANK,
  ];
}

/**
 * The acknowledgement an approval recorded, as the Summary says it: each blocker (the sheet
 * by its label when the forecast used it, else its id) and the reason given.
 */
function acknowledgementText(ctx: Context): string | null {
  const a = ctx.review?.acknowledgement;
  if (!a) return null;
  const W = REVIEW_WORDS[ctx.locale];
  const byId = new Map(ctx.p.f.model.sheets.map((s) => [s.id, s]));
  const blockers = a.blockers.map((b) => {
    const sheet = byId.get(b.sheetId);
    return W.blocker(
      sheet ? sheetLabel(sheet) : b.sheetId,
      b.quarter ? quarterText(b.quarter, ctx.locale) : null,
      b.reason,
    );
  });
  return W.acknowledged(blockers, a.reason);
}

/** Horizon and fiscal-year totals per scenario (`total:<s>`), then the differences with the base. */
function totalLines(sm: Summary): Line[] {
  const { p } = sm.ctx;
  const { f, L } = p;
  const U = L.summary;
  const fys = p.fiscalYears;
  const base = p.base;
  // biome-ignore lint/style/noNonNullAssertion: base is the on-time scenario's index, or 0 (facts.ts)
  const b = f.projections[base]!;
  const totals = f.projections.map((pr, s) =>
    keyed(`total:${s}`, (ref) => ({
      cells: [
        null,
        cell(pr.scenario.name, 'labelBold'),
        { f: calcRef(sm, s, ref, 'total'), r: n(pr.total), s: 'link.money' },
        ...fys.map(
          (y): Cell => ({
            f: calcRef(sm, s, ref, `fy:${y.fy}`),
            // biome-ignore lint/style/noNonNullAssertion: byFiscalYear has every fiscal year of the horizon, as p.fiscalYears
            r: n(pr.byFiscalYear.get(y.fy)!),
            s: 'link.money',
          }),
        ),
      ],
    })),
  );
  const deltas = f.projections.flatMap((pr, s) => {
    if (s === base) return [];
    const label = U.minus(pr.scenario.name, b.scenario.name);
    return [
      keyed(`delta:${s}`, (ref) => {
        const diff = (c: number) =>
          `${col(c)}${ref(`total:${s}`)}-${col(c)}${ref(`total:${base}`)}`;
        return {
          height: 13 * Math.ceil(label.length / (sm.columns[1] - 4)) + 3,
          cells: [
            null,
            cell(label, 'labelWrap'),
            { f: diff(3), r: n(pr.total.minus(b.total)), s: 'tot.delta' },
            ...fys.map(
              (y, i): Cell => ({
                f: diff(4 + i),
                // biome-ignore lint/style/noNonNullAssertion: byFiscalYear has every fiscal year of the horizon, as p.fiscalYears
                r: n(pr.byFiscalYear.get(y.fy)!.minus(b.byFiscalYear.get(y.fy)!)),
                s: 'tot.delta',
              }),
            ),
          ],
        };
      }),
    ];
  });
  return [
    fixed(section(U.totals(p.currency), sm.width)),
    fixed(
      header(
        [L.common.scenario, U.horizonTotal, ...fys.map((y) => L.text.fiscalYear(y.fy))],
        2,
        opts(sm, 1),
      ),
    ),
    ...totals,
    ...deltas,
    BLANK,
  ];
}

/** Budget vs forecast: one row per fiscal year and scenario, `budget:<fy>:<s>`. */
function budgetLines(sm: Summary): Line[] {
  const { p } = sm.ctx;
  const { f, L } = p;
  const U = L.summary;
  const budgetName = new Map(p.budgets.map((b) => [b.fy, b.name]));
  const rows = p.fiscalYears.flatMap(({ fy, quarters }) => {
    const budget = f.model.budget.get(fy);
    // biome-ignore lint/style/noNonNullAssertion: p.budgets names every fiscal year of the horizon (and any budgeted one)
    const name = budgetName.get(fy)!;
    return f.projections.map((pr, s) =>
      keyed(`budget:${fy}:${s}`, (ref) => {
        const at = ref(`budget:${fy}:${s}`);
        // biome-ignore lint/style/noNonNullAssertion: byFiscalYear has every fiscal year of the horizon, as p.fiscalYears
        const forecast = pr.byFiscalYear.get(fy)!;
        const probability = f.monteCarlo[s]?.probabilityOverBudget.get(fy);
        return {
          cells: [
            null,
            cell(pr.scenario.name),
            cell(yearLabel(sm, fy, quarters), 'labelBold'),
            { f: `IF(ISBLANK(${name}),"",${name})`, r: budget ? n(budget) : '', s: 'link.money' },
            { f: calcRef(sm, s, ref, `fy:${fy}`), r: n(forecast), s: 'link.money' },
            {
              f: `IF(ISBLANK(${name}),"",${name}-E${at})`,
              r: budget ? n(budget.minus(forecast)) : '',
              s: 'calc.headroom',
            },
            probability === undefined ? cell(L.common.none, 'note') : cell(probability, 'val.prob'),
          ],
        };
      }),
    );
  });
  return [
    fixed(section(U.budget(p.currency), sm.width)),
    fixed(
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
        opts(sm, 2),
      ),
    ),
    ...rows,
    BLANK,
  ];
}

/**
 * The Checks block (FAST): per scenario, each breakdown of the calculation sheet adds up to
 * its total and the budget table shows Inputs' budgets and the calculation's forecast, each
 * TRUE within a tolerance (`tolerance`), and one cell that all pass.
 */
function checkLines(sm: Summary): Line[] {
  const { p } = sm.ctx;
  const { f, L } = p;
  const { model } = f;
  const K = L.checks;
  const S = f.scenarios.length;
  const F = col(CALC_COL.total);
  // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
  const on = (s: number, r: string) => onSheet(p.sheets.calc[s]!, r);
  const checks: [string, (s: number, ref: Ref) => string][] = [];
  const ties = (ref: Ref, a: string, b: string) => `ABS(${a}-${b})<$C$${ref('tolerance')}`;
  /** Σ of column F of the calculation rows `<prefix>:<key>`, top to bottom. */
  const span = (s: number, ref: Ref, prefix: string, keys: readonly (string | number)[]) => {
    const rows = keys.map((k) => ref.on('calc', `${prefix}:${k}`));
    return `SUM(${on(s, `$${F}$${Math.min(...rows)}:$${F}$${Math.max(...rows)}`)})`;
  };
  const total = (s: number, ref: Ref) => on(s, `$${F}$${ref.on('calc', 'total')}`);
  const providers = p.providers.map((x) => x.name);
  const years = p.fiscalYears.map((y) => y.fy);
  const workloads = model.workloads.map((_, i) => i);
  const sums = (prefix: string, keys: readonly (string | number)[]) => (s: number, ref: Ref) =>
    ties(ref, span(s, ref, prefix, keys), total(s, ref));
  checks.push(
    [K.byCategory, sums('category', CATEGORIES)],
    [K.byProvider, sums('provider', providers)],
    [K.byFiscalYear, sums('fy', years)],
    [
      K.byWorkload,
      (s, ref) =>
        ties(
          ref,
          `${span(s, ref, 'primary', workloads)}+${span(s, ref, 'fallback', workloads)}`,
          total(s, ref),
        ),
    ],
    [
      K.budget,
      (s, ref) =>
        `AND(${years
          .map((fy) => {
            const at = ref(`budget:${fy}:${s}`);
            // biome-ignore lint/style/noNonNullAssertion: p.budgets names every fiscal year of the horizon (and any budgeted one)
            const name = p.budgets.find((b) => b.fy === fy)!.name;
            const budget = `IF(ISBLANK(${name}),D${at}="",${ties(ref, `D${at}`, name)})`;
            const forecast = ties(ref, `E${at}`, on(s, `$${F}$${ref.on('calc', `fy:${fy}`)}`));
            const headroom = `IF(ISBLANK(${name}),F${at}="",${ties(ref, `F${at}`, `(${name}-E${at})`)})`;
            return `${budget},${forecast},${headroom}`;
          })
          .join(',')})`,
    ],
  );
  return [
    fixed(section(K.section, sm.width)),
    fixed(header([K.check, ...f.scenarios.map((x) => x.name)], 2, opts(sm, 1))),
    fixed(
      { cells: [null, cell(K.tolerance(p.currency)), { v: TOLERANCE, s: 'val.price' }] },
      'tolerance',
    ),
    ...checks.map(([label, formula], k) =>
      keyed(`check:${k}`, (ref) => ({
        cells: [
          null,
          cell(label, 'labelIndent'),
          ...f.scenarios.map((_, s): Cell => ({ f: formula(s, ref), r: true, s: 'labelBold' })),
        ],
      })),
    ),
    keyed('checkAll', (ref) => ({
      cells: [
        null,
        cell(K.all, 'labelBold'),
        {
          f: `AND(C${ref('check:0')}:${col(2 + S)}${ref(`check:${checks.length - 1}`)})`,
          r: true,
          s: 'checkAll',
        },
      ],
    })),
    BLANK,
  ];
}

/** The chart's section, its rows (`chart` the first), and its data: `quarter:<t>`. */
function chartLines(sm: Summary): Line[] {
  const { p } = sm.ctx;
  const { f, L } = p;
  const T = L.text;
  return [
    fixed(section(L.summary.chartSection(p.currency), sm.width)),
    fixed({ cells: [] }, 'chart'),
    ...Array.from({ length: SUMMARY_CHART_ROWS - 1 }, () => BLANK),
    fixed(header([L.common.quarter, ...f.scenarios.map((s) => s.name)], 2, opts(sm, 1))),
    ...f.model.quarters.map((q, t) =>
      keyed(`quarter:${t}`, (ref) => ({
        cells: [
          null,
          cell(T.quarter(q), 'labelBold'),
          ...f.projections.map(
            (pr, s): Cell => ({
              // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
              f: onSheet(p.sheets.calc[s]!, `${col(tcol(t))}$${ref.on('calc', 'total')}`),
              // biome-ignore lint/style/noNonNullAssertion: a horizon index: every series of the model has one entry per quarter
              r: n(pr.byQuarter[t]!),
              s: 'link.money',
            }),
          ),
        ],
      })),
    ),
    BLANK,
  ];
}

/** The main drivers of each scenario, from the tornado. */
function driverLines(sm: Summary): Line[] {
  const { p, locale } = sm.ctx;
  const { f, L } = p;
  const U = L.summary;
  const rows = f.scenarios.flatMap((s) =>
    f.tornado
      .filter((x) => x.scenarioId === s.id)
      .slice(0, TOP_DRIVERS)
      .map((bar, i) => {
        const show = (v: string) => driverValue(L, locale, bar.driver, bar.mode, v);
        return fixed({
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
      }),
  );
  return [
    fixed(section(U.drivers, sm.width)),
    fixed({ cells: [null, { v: U.driversNote, s: 'note' }] }),
    fixed(
      header(
        [L.common.scenario, L.tornado.driver, U.range, U.totalAtLow, U.totalAtHigh, U.swing],
        2,
        opts(sm, 3),
      ),
    ),
    ...rows,
    BLANK,
  ];
}

/** The price sheets used, with their age; then the warnings, if any. */
function priceSheetLines(sm: Summary): Line[] {
  const { p, asOfQuarter } = sm.ctx;
  const { f, L } = p;
  const { model } = f;
  const U = L.summary;
  const T = L.text;
  const byId = new Map(model.sheets.map((s) => [s.id, s]));
  // One staleness rule (models/freshness.ts), the same as the forecast JSON's priceSheets.
  const sheets = usedSheets(model, asOfQuarter, f.json.staleAfterQuarters);
  const rows = sheets.map((used) =>
    fixed({
      cells: [
        null,
        // biome-ignore lint/style/noNonNullAssertion: usedSheets lists sheets of the model, all in byId
        cell(sheetLabel(byId.get(used.id)!)),
        cell(U.kind[used.kind] ?? used.kind),
        cell(
          used.asOfDate ?? (used.asOfQuarter ? T.quarter(used.asOfQuarter) : U.unknownAsOf),
          'labelBold',
        ),
        used.ageQuarters === null ? cell(L.common.none, 'note') : cell(used.ageQuarters, 'val.int'),
        cell(used.rowsUsed, 'val.int'),
        used.stale ? cell(U.stale, 'warn') : null,
      ],
    }),
  );
  const reviews = sheetReviewLines(sm, sheets);
  const warnings =
    f.notices.length === 0
      ? []
      : [
          BLANK,
          fixed(section(U.warnings, sm.width)),
          ...f.notices.map((x) => fixed({ cells: [null, cell(L.notice(x), 'warn')] })),
        ];
  return [
    fixed(section(U.priceSheets, sm.width)),
    fixed({ cells: [null, { v: U.staleRule(f.json.staleAfterQuarters, sm.asOfText), s: 'note' }] }),
    fixed(
      header(
        [U.sheetCol, U.kindCol, U.asOfCol, U.ageQuarters(sm.asOfText), U.rowsUsed, ''],
        2,
        opts(sm, 3),
      ),
    ),
    ...rows,
    ...reviews,
    ...warnings,
  ];
}

/**
 * Under the price sheets, the review of each when the forecast was created — only for a
 * stored forecast that recorded it (a CLI workbook, or a forecast stored before reviews
 * were, has none, and its Summary is as it was).
 */
function sheetReviewLines(
  sm: Summary,
  used: readonly { readonly id: string; readonly name: string }[],
): Line[] {
  const { ctx } = sm;
  if (!ctx.sourceReviews) return [];
  const { L } = ctx.p;
  const R = L.summary.sheetReviews;
  const byId = new Map(ctx.sourceReviews.map((r) => [r.sheetId, r]));
  const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
  return [
    BLANK,
    fixed({ cells: [null, { v: R.note, s: 'note' }] }),
    fixed(
      header([L.summary.sheetCol, R.reviewCol, R.byCol, R.onCol, R.noteCol, ''], 2, opts(sm, 5)),
    ),
    ...used.map((sheet) => {
      const r = byId.get(sheet.id);
      const status = r?.status ?? 'unreviewed';
      return fixed({
        cells: [
          null,
          cell(sheetLabel(sheet)),
          cell(R.status[status], status === 'accepted' ? 'labelBold' : 'warn'),
          r?.by ? cell(r.by) : null,
          r?.at ? cell(day(r.at)) : null,
          r?.note ? cell(r.note, 'note') : null,
        ],
      });
    }),
  ];
}

/**
 * The CFO's page: horizon and fiscal-year totals per scenario and their difference with the
 * base scenario, budget vs forecast, a chart of quarterly cost by scenario, the main drivers
 * and the price sheets with their age. Totals are links to the calculation sheets.
 */
export function summarySheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const width = 1 + Math.max(1 + p.fiscalYears.length, 6, 1 + f.scenarios.length);
  const sm: Summary = {
    ctx,
    width,
    columns: [2, 50, ...Array.from({ length: width - 1 }, () => 18)],
    asOfText: quarterText(ctx.asOfQuarter, ctx.locale),
    reviewNote: ctx.review?.note ? REVIEW_WORDS[ctx.locale].note(ctx.review.note) : null,
    acknowledgement: acknowledgementText(ctx),
  };
  const lines = [
    ...headLines(sm),
    ...totalLines(sm),
    ...budgetLines(sm),
    ...checkLines(sm),
    ...chartLines(sm),
    ...driverLines(sm),
    ...priceSheetLines(sm),
  ];
  const ref = resolver(rowNumbers(p.sheets.summary, lines), p.rows);
  const last = col(width);
  const chartTop = ref('chart');
  const q0 = ref('quarter:0');
  const qLast = ref(`quarter:${f.model.quarters.length - 1}`);
  const chart = {
    sheet: p.sheets.summary,
    kind: 'line' as const,
    title: L.summary.chartTitle,
    anchor: {
      from: { col: 1, row: chartTop - 1 },
      to: { col: Math.min(width, 8), row: chartTop - 1 + SUMMARY_CHART_ROWS },
    },
    categories: onSheet(p.sheets.summary, `$B$${q0}:$B$${qLast}`),
    series: f.scenarios.map((s, i) => ({
      name: s.name,
      values: onSheet(p.sheets.summary, `$${col(3 + i)}$${q0}:$${col(3 + i)}$${qLast}`),
    })),
    valueAxisTitle: p.currency,
    numberFormat: '#,##0',
  };
  const banner = ref('banner');
  return {
    name: p.sheets.summary,
    columns: sm.columns,
    freeze: { rows: banner, cols: 0 },
    rows: () => build(lines, ref),
    merges: [
      `B${banner}:${last}${banner}`,
      ...(sm.reviewNote ? [`B${ref('reviewNote')}:${last}${ref('reviewNote')}`] : []),
      ...(sm.acknowledgement
        ? [`B${ref('acknowledgement')}:${last}${ref('acknowledgement')}`]
        : []),
    ],
    charts: [chart],
    tabColor: 'FF1F4E78',
  };
}
