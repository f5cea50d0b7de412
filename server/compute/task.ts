import { isMainThread } from 'node:worker_threads';
import type { Adjustment } from '../../models/adjust.ts';
import type { Assumptions } from '../../models/assumptions.ts';
import { type Forecast, forecastModel } from '../../models/forecast.ts';
import type { Model } from '../../models/model.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import type { InputIssue, Result } from '../../models/result.ts';
import { DEFAULT_SCENARIOS, type ScenariosFile } from '../../models/scenarios.ts';
import { type Variance, varianceOfModels } from '../../models/variance.ts';
import type { ReviewState } from '../../templates/review.ts';
import type { SourceReviewState } from '../../templates/sheets/common.ts';

/**
 * One forecast to compute, as plain data (decimal strings, no decimal.js objects) so that it
 * can cross to a worker thread by structured clone.
 */
export interface ForecastTask {
  /** Left out when `assumptionsKey` names assumptions the worker is expected to hold already. */
  readonly assumptions?: Assumptions;
  /**
   * Stands for the assumptions' content for the life of the pool: a stored assumption set,
   * which never changes once saved. Inline assumptions have no key and always go with the task.
   */
  readonly assumptionsKey?: string;
  /**
   * The price sheets, in order, each under a key that stands for its content for the life of
   * the pool; `sheet` is left out when the worker is expected to hold it already.
   */
  readonly sheets: readonly { readonly key: string; readonly sheet?: PriceSheet }[];
  readonly scenarios: ScenariosFile | null;
  readonly draws: number;
  readonly seed: number;
  /** The tornado and the grid. */
  readonly sensitivity: boolean;
  /** The forecast's as-of quarter (`forecastAsOfQuarter`) and staleness threshold. */
  readonly asOfQuarter?: string | undefined;
  readonly staleAfterQuarters?: number | undefined;
  /**
   * The what-if adjustment the assumptions were built with (already applied to them): the
   * forecast records it (its `adjust` and a warning) and its workbook says so.
   */
  readonly adjustment?: Adjustment | null | undefined;
  /** Also render the workbook, as of this stored generation (ISO time) and input hash. */
  readonly workbook?: WorkbookRequest | undefined;
  /**
   * Instead of the forecast, the variance bridge (models/variance.ts) from these older inputs
   * to the task's: the answer's `json` is then the bridge. Sent as the task's own inputs are.
   */
  readonly against?: VarianceAgainst | undefined;
}

/** The old side of a variance task: its assumptions and price sheets, by key as a task's. */
export interface VarianceAgainst {
  readonly assumptions?: Assumptions;
  readonly assumptionsKey?: string;
  readonly sheets: readonly { readonly key: string; readonly sheet?: PriceSheet }[];
  readonly scenarios: ScenariosFile | null;
}

/** What a stored forecast's workbook is rendered with, besides the forecast itself. */
export interface WorkbookRequest {
  readonly locale: 'en' | 'fr';
  readonly generatedAt: string;
  readonly engineVersion: string;
  readonly inputHash: string;
  /** The forecast's as-of quarter, which the workbook shows and its file name names. */
  readonly asOfQuarter: string;
  /** Its review status, creation and latest review action. */
  readonly review: ReviewState;
  /** The review of each price sheet it used, when it was created; null when not recorded. */
  readonly sourceReviews?: readonly SourceReviewState[] | null | undefined;
  /** The bridge from an earlier forecast to this one: adds the Changes sheet. */
  readonly variance?: Variance | undefined;
}

/**
 * What a task gives back: the forecast JSON as UTF-8 bytes (and the workbook when asked),
 * input issues, or the keys of the sheets and assumptions to send.
 */
export type ForecastOutcome =
  | { readonly kind: 'ok'; readonly json: Uint8Array; readonly xlsx?: Uint8Array }
  | { readonly kind: 'invalid'; readonly issues: readonly InputIssue[] }
  | { readonly kind: 'missing'; readonly keys: readonly string[] };

/** The engine on a task's model, as the service runs it (in a worker or in process). */
export function runEngine(
  model: Model,
  p: {
    readonly scenarios: ScenariosFile | null;
    readonly draws: number;
    readonly seed: number;
    readonly sensitivity: boolean;
    readonly asOfQuarter?: string | undefined;
    readonly staleAfterQuarters?: number | undefined;
    readonly adjustment?: Adjustment | null | undefined;
  },
): Result<Forecast> {
  return forecastModel(model, {
    sensitivity: p.sensitivity,
    draws: p.draws,
    seed: p.seed,
    ...(p.asOfQuarter === undefined ? {} : { asOfQuarter: p.asOfQuarter }),
    ...(p.staleAfterQuarters === undefined ? {} : { staleAfterQuarters: p.staleAfterQuarters }),
    ...(p.scenarios ? { scenarios: p.scenarios.scenarios } : {}),
    ...(p.scenarios?.sensitivity ? { ranges: p.scenarios.sensitivity } : {}),
    ...(p.adjustment ? { adjustment: p.adjustment } : {}),
  });
}

const encoder = new TextEncoder();

let renderer: Promise<typeof import('../../templates/index.ts')> | undefined;

/**
 * The workbook renderer, loaded on the first workbook: exceljs and the templates are about
 * 30 MB a thread, which a thread answering only what-ifs never needs.
 */
function templates() {
  renderer ??= (async () => {
    // From source (tests), the TypeScript loader a worker thread gets by --import serves its
    // static imports only; register it for this thread's dynamic imports too.
    if (!isMainThread && import.meta.url.endsWith('.ts')) (await import('tsx/esm/api')).register();
    return import('../../templates/index.ts');
  })();
  return renderer;
}

/**
 * Runs a task on its model — `buildModel` of its assumptions and sheets, which a worker keeps
 * for stored inputs —, encodes the forecast JSON, and renders any workbook.
 */
export async function computeTask(
  task: ForecastTask,
  built: Result<Model>,
  /** The model of `task.against`, for a variance task. */
  against?: Result<Model>,
): Promise<Exclude<ForecastOutcome, { kind: 'missing' }>> {
  if (task.against) return varianceTask(task, task.against, built, against);
  const result = built.ok ? runEngine(built.value, task) : built;
  if (!result.ok) return { kind: 'invalid', issues: result.issues };
  const json = encoder.encode(JSON.stringify(result.value.json));
  if (!task.workbook) return { kind: 'ok', json };
  const { generatedAt, ...options } = task.workbook;
  const { renderWorkbook } = await templates();
  const xlsx = await renderWorkbook(result.value, {
    ...options,
    generatedAt: new Date(generatedAt),
  });
  return { kind: 'ok', json, xlsx };
}

/** The variance bridge of a task (`task.against` → the task's inputs), as JSON bytes. */
function varianceTask(
  task: ForecastTask,
  old: VarianceAgainst,
  built: Result<Model>,
  against: Result<Model> | undefined,
): Exclude<ForecastOutcome, { kind: 'missing' }> {
  if (!against) throw new Error('a variance task came without the model of its old side');
  const issues = [
    ...(against.ok ? [] : against.issues.map((i) => ({ ...i, file: i.file ?? 'against' }))),
    ...(built.ok ? [] : built.issues),
  ];
  if (!against.ok || !built.ok) return { kind: 'invalid', issues };
  const v = varianceOfModels(
    { model: against.value, scenarios: old.scenarios?.scenarios ?? DEFAULT_SCENARIOS },
    { model: built.value, scenarios: task.scenarios?.scenarios ?? DEFAULT_SCENARIOS },
  );
  if (!v.ok) return { kind: 'invalid', issues: v.issues };
  return { kind: 'ok', json: encoder.encode(JSON.stringify(v.value)) };
}
