import type { Adjustment } from '../../../models/adjust.ts';
import type { Assumptions } from '../../../models/assumptions.ts';
import type { ForecastJson } from '../../../models/forecast-json.ts';
import { DEFAULT_STALE_AFTER_QUARTERS } from '../../../models/freshness.ts';
import type { ScenariosFile } from '../../../models/scenarios.ts';
import type {
  Acknowledgement,
  ForecastAction,
  ForecastEventRow,
  ForecastRow,
  ForecastStatus,
  PriceSource,
  SourceReview,
} from '../../db/schema.ts';
import { storedScenarioWarnings, storedWarnings } from '../assumptions.ts';

/** Everything a forecast used, pinned so that it can be computed again exactly. */
export interface PinnedInputs {
  readonly name: string;
  readonly quarter: string;
  readonly assumptionSetId: string | null;
  readonly assumptions: Assumptions;
  readonly scenarios: ScenariosFile | null;
  readonly sources: readonly PriceSource[];
  readonly draws: number;
  readonly seed: number;
  /** When it is computed; its quarter is the as-of quarter unless `asOf` was given. */
  readonly generatedAt: Date;
  readonly staleAfterQuarters: number;
  /**
   * The what-if adjustment `assumptions` were built with (already applied to them), or null.
   * Stored in the forecast JSON only (its `adjust`), where a re-rendering reads it back.
   */
  readonly adjustment: Adjustment | null;
}

/** What a forecast's events say beyond its row: its submission, its revision, its approval. */
export interface ReviewFacts {
  /** The draft that revises this (rejected) forecast, if any. */
  readonly revisedBy: string | null;
  /** The latest submit event. */
  readonly submittedBy: string | null;
  readonly submittedAt: Date | null;
  readonly submitNote: string | null;
  /** The acknowledgement recorded by the approve event, if it needed one. */
  readonly acknowledgement: Acknowledgement | null;
  /** When the approve event was written. */
  readonly approvedAt: Date | null;
}

export interface ForecastSummary {
  readonly id: string;
  readonly name: string;
  readonly quarter: string;
  readonly staleAfterQuarters: number;
  readonly status: ForecastStatus;
  readonly currency: string;
  readonly totals: { scenarioId: string; name: string; total: string }[];
  readonly assumptionsId: string | null;
  readonly priceSheets: { id: string; providers: string[] | null }[];
  readonly priceSelection: 'listed' | 'latest';
  readonly draws: number;
  readonly seed: number;
  readonly generatedAt: string;
  readonly engineVersion: string;
  readonly inputHash: string;
  readonly createdBy: string;
  /**
   * The id of the key that created it (four eyes: that key may not approve or reject it);
   * null on forecasts stored before keys were recorded, where the name is compared instead.
   */
  readonly createdByKey: string | null;
  readonly createdAt: string;
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
  readonly reviewNote: string | null;
  /** The latest submission for review (who, when); null before it is submitted. */
  readonly submittedBy: string | null;
  readonly submittedAt: string | null;
  /** The rejected forecast this draft revises. */
  readonly revises: string | null;
  /** The draft that revises this rejected forecast. */
  readonly revisedBy: string | null;
  /**
   * The review state of each price sheet it used when it was created, in source order; null
   * on forecasts made before that was recorded (read as unreviewed: `unreviewedSources`).
   */
  readonly sourceReviews: SourceReview[] | null;
}

export interface StoredForecast extends ForecastSummary {
  readonly forecast: ForecastJson;
}

export interface ForecastDetail extends StoredForecast {
  readonly inputs: {
    readonly assumptions: Assumptions;
    readonly scenarios: ScenariosFile | null;
    /** What today's rules would refuse in the pinned assumptions (served as pinned). */
    readonly warnings?: string[];
  };
}

/** A stored forecast as the API lists it. */
export function forecastSummary(r: ForecastRow, facts?: ReviewFacts): ForecastSummary {
  const json = r.result as ForecastJson;
  return {
    id: r.id,
    name: r.name,
    quarter: r.quarter,
    staleAfterQuarters: r.stale_after_quarters ?? DEFAULT_STALE_AFTER_QUARTERS,
    status: r.status,
    currency: json.currency,
    totals: json.scenarios.map((s) => ({ scenarioId: s.id, name: s.name, total: s.total })),
    assumptionsId: r.assumption_set_id,
    priceSheets: r.price_sources.map((s) => ({
      id: s.sheetId,
      providers: s.providers ? [...s.providers] : null,
    })),
    priceSelection: r.price_sources.some((s) => s.latest) ? 'latest' : 'listed',
    draws: r.draws,
    seed: Number(r.seed),
    generatedAt: r.generated_at.toISOString(),
    engineVersion: r.engine_version,
    inputHash: r.input_hash,
    createdBy: r.created_by,
    createdByKey: r.created_by_key,
    createdAt: r.created_at.toISOString(),
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    reviewNote: r.review_note,
    submittedBy: facts?.submittedBy ?? null,
    submittedAt: facts?.submittedAt?.toISOString() ?? null,
    revises: r.revises,
    revisedBy: facts?.revisedBy ?? null,
    sourceReviews: r.source_reviews ?? null,
  };
}

/** One event of a forecast's history, as the API lists it. */
export interface ForecastEvent {
  readonly id: number;
  readonly at: string;
  readonly actor: { readonly keyId: string | null; readonly name: string };
  readonly action: ForecastAction;
  readonly from: ForecastStatus | null;
  readonly to: ForecastStatus;
  readonly note: string | null;
  readonly acknowledgement: {
    reason: string;
    blockers: Acknowledgement['blockers'][number][];
  } | null;
  readonly backfilled: boolean;
}

export const forecastEvent = (e: ForecastEventRow): ForecastEvent => ({
  id: Number(e.id),
  at: e.at.toISOString(),
  actor: { keyId: e.actor_key, name: e.actor_name },
  action: e.action,
  from: e.from_status,
  to: e.to_status,
  note: e.note,
  acknowledgement: e.acknowledgement
    ? { reason: e.acknowledgement.reason, blockers: [...e.acknowledgement.blockers] }
    : null,
  backfilled: e.backfilled,
});

/** A stored forecast with its JSON and the inputs it pinned. */
export const forecastDetail = (r: ForecastRow, facts?: ReviewFacts): ForecastDetail => {
  const warnings = [
    ...(storedWarnings(r.assumptions) ?? []),
    ...(r.scenarios === null ? [] : (storedScenarioWarnings(r.scenarios) ?? [])),
  ];
  return {
    ...forecastSummary(r, facts),
    forecast: r.result as ForecastJson,
    inputs: {
      assumptions: r.assumptions as Assumptions,
      scenarios: (r.scenarios as ScenariosFile | null) ?? null,
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
};

/** The inputs a stored forecast pinned, to compute it again exactly. */
export const pinnedOf = (r: ForecastRow): PinnedInputs => ({
  name: r.name,
  quarter: r.quarter,
  assumptionSetId: r.assumption_set_id,
  assumptions: r.assumptions as Assumptions,
  scenarios: (r.scenarios as ScenariosFile | null) ?? null,
  sources: r.price_sources,
  draws: r.draws,
  seed: Number(r.seed),
  generatedAt: r.generated_at,
  staleAfterQuarters: r.stale_after_quarters ?? DEFAULT_STALE_AFTER_QUARTERS,
  adjustment: (r.result as ForecastJson).adjust ?? null,
});
