import type { Forecast } from '../models/forecast.ts';
import { forecastAsOfQuarter } from '../models/freshness.ts';
import type { Variance } from '../models/variance.ts';
import { LABELS, type Locale, type SheetKey, TAB_ORDER } from './labels.ts';
import type { SheetLayout } from './layout.ts';
import { finalizeXlsx } from './package.ts';
import { plan } from './plan.ts';
import { type Rendered, renderLayouts } from './render.ts';
import { type Review, statusWord } from './review.ts';
import { aboutSheet } from './sheets/about.ts';
import { calcSheet } from './sheets/calc.ts';
import { changesSheet } from './sheets/changes.ts';
import { type Context, generationText, type SourceReviewState } from './sheets/common.ts';
import { gridSheet } from './sheets/grid.ts';
import { inputsSheet } from './sheets/inputs.ts';
import { monteCarloSheet } from './sheets/monte-carlo.ts';
import { pricesSheet } from './sheets/prices.ts';
import { providersSheet } from './sheets/providers.ts';
import { scenariosSheet } from './sheets/scenarios.ts';
import { summarySheet } from './sheets/summary.ts';
import { tornadoSheet } from './sheets/tornado.ts';

export type { Locale } from './labels.ts';
export type { Review, ReviewState, ReviewStatus } from './review.ts';
export type { SourceReviewState } from './sheets/common.ts';

export interface WorkbookOptions {
  readonly locale: Locale;
  /** The generation time: shown in the workbook and stamped on every zip entry. */
  readonly generatedAt: Date;
  /** What generated the workbook, e.g. "costcast 0.1.0". */
  readonly engineVersion: string;
  readonly inputHash: string;
  /**
   * The quarter the forecast is as of — a stored forecast's `quarter`, which its download's
   * file name names too. By default the forecast's own (`asOfQuarter` of its JSON), else the
   * quarter of the generation: the one rule of `forecastAsOfQuarter`.
   */
  readonly asOfQuarter?: string | undefined;
  /** The stored forecast's review; absent or `null` for a workbook written from files (not reviewed). */
  readonly review?: Review | undefined;
  /**
   * The review of each price sheet a stored forecast used, when it was created; absent or
   * `null` when not recorded (the Summary then lists none, as before reviews existed).
   */
  readonly sourceReviews?: readonly SourceReviewState[] | null | undefined;
  /**
   * The bridge from an earlier forecast to this one (`variance` of models/variance.ts, with
   * this forecast as the new side): adds the Changes sheet. Without it the workbook has no
   * Changes sheet and is byte-identical to one rendered before the sheet existed.
   */
  readonly variance?: Variance | undefined;
}

/** Each sheet's layout (one per scenario for `calc`); the tab order is `TAB_ORDER`. */
const SHEETS: Readonly<Record<SheetKey, (ctx: Context) => SheetLayout | readonly SheetLayout[]>> = {
  summary: summarySheet,
  changes: changesSheet,
  inputs: inputsSheet,
  prices: pricesSheet,
  calc: (ctx) => ctx.p.f.scenarios.map((_, s) => calcSheet(ctx, s)),
  scenarios: scenariosSheet,
  tornado: tornadoSheet,
  grid: gridSheet,
  monteCarlo: monteCarloSheet,
  providers: providersSheet,
  about: aboutSheet,
};

/** Every sheet of the workbook, in tab order. */
export function layouts(f: Forecast, opts: WorkbookOptions): readonly SheetLayout[] {
  const p = plan(f, LABELS[opts.locale]);
  const ctx: Context = {
    p,
    generatedAt: opts.generatedAt,
    generatedText: generationText(opts.generatedAt),
    engineVersion: opts.engineVersion,
    inputHash: opts.inputHash,
    locale: opts.locale,
    asOfQuarter: opts.asOfQuarter ?? forecastAsOfQuarter(f.json.asOfQuarter, opts.generatedAt),
    review: opts.review ?? null,
    sourceReviews: opts.sourceReviews ?? null,
    variance: opts.variance ?? null,
  };
  return TAB_ORDER.flatMap((key) => SHEETS[key](ctx));
}

/** The workbook as exceljs writes it, before charts and deterministic packaging. */
export function renderParts(f: Forecast, opts: WorkbookOptions): Promise<Rendered> {
  return renderLayouts(layouts(f, opts), {
    currency: f.model.currency,
    creator: opts.engineVersion,
    date: opts.generatedAt,
    pageHeader: { left: f.model.name, right: statusWord(opts.locale, opts.review ?? null) },
  });
}

/**
 * The Excel workbook of a forecast (docs/architecture.md "The workbook"): live formulas whose cached
 * results are the engine's numbers, native charts, English or French. The same forecast and
 * options give byte-identical files.
 * @example
 * const xlsx = await renderWorkbook(f, { locale: 'fr', generatedAt: new Date('2026-11-22T09:00:00Z'), engineVersion: 'costcast 0.1.0', inputHash: 'sha256:…' });
 * //=> <Buffer 50 4b 03 04 …>
 */
export async function renderWorkbook(f: Forecast, opts: WorkbookOptions): Promise<Buffer> {
  const { xlsx, charts } = await renderParts(f, opts);
  return finalizeXlsx(xlsx, { charts, date: opts.generatedAt });
}
