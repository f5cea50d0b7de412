import type { Kysely } from 'kysely';
import type { Assumptions } from '../../../models/assumptions.ts';
import { normalizedProviderName, providerKey } from '../../../models/fields.ts';
import type { ForecastJson } from '../../../models/forecast-json.ts';
import { EFFECTS, type EffectId } from '../../../models/variance.ts';
import type { ComputeContext } from '../../compute/pool.ts';
import type { Database, ForecastRow } from '../../db/schema.ts';
import type { ForecastsService } from '../forecasts/index.ts';
import { forecastsRepository } from '../forecasts/repository.ts';
import type { ForecastSummary } from '../forecasts/summary.ts';
import { type SheetReviewState, sheetReviews } from '../price-sheets/reviews.ts';

/** A price-sheet version of the quarter that prices a provider, with its latest review. */
export interface CloseSheet {
  readonly id: string;
  readonly fileName: string;
  readonly quarter: string;
  readonly review: 'accepted' | 'refused' | 'unreviewed';
  readonly reviewedBy: string | null;
}

/** A provider the quarter's forecasts use that has no accepted sheet for the quarter. */
export interface ProviderLeft {
  readonly provider: string;
  /** `no_sheet`: no version of the quarter lists it; `unreviewed`: none of them is accepted. */
  readonly problem: 'no_sheet' | 'unreviewed';
  /** The quarter's versions that list it (refused or never reviewed). */
  readonly sheets: CloseSheet[];
  /** The quarter's forecasts that use it. */
  readonly forecasts: string[];
}

/** A sheet a forecast of the quarter used that was stale for it (as the forecast pinned). */
export interface StaleSheet {
  readonly sheetId: string;
  readonly name: string;
  readonly asOfQuarter: string | null;
  readonly ageQuarters: number | null;
  readonly forecasts: string[];
}

/** One scenario's bridge total, from the previous quarter's approved forecast to this one. */
export interface CloseVarianceLine {
  readonly id: string;
  readonly name: string;
  readonly old: string;
  readonly new: string;
  readonly change: string;
  readonly effects: Readonly<Record<EffectId, string>>;
}

export type CloseVariance =
  | {
      readonly available: true;
      readonly against: { readonly id: string; readonly name: string; readonly quarter: string };
      readonly currency: string;
      readonly effects: EffectId[];
      readonly scenarios: CloseVarianceLine[];
    }
  | {
      readonly available: false;
      /** `no_approved`: the quarter has no approved forecast; `no_previous`: the quarter before has none. */
      readonly reason: 'no_approved' | 'no_previous' | 'unfit';
      readonly message: string;
    };

/** What is left to close a quarter, and the variance of its approved forecast. */
export interface QuarterClose {
  readonly quarter: string;
  /** Nothing left: an approved forecast, every provider in use reviewed, nothing stale or waiting. */
  readonly ready: boolean;
  /** The quarter's approved forecast (its latest approval), or null. */
  readonly approved: ForecastSummary | null;
  readonly providers: ProviderLeft[];
  readonly staleSheets: StaleSheet[];
  /** Forecasts of the quarter submitted and waiting for a reviewer. */
  readonly awaitingReview: ForecastSummary[];
  /** Drafts of the quarter, not yet submitted. */
  readonly drafts: ForecastSummary[];
  readonly variance: CloseVariance;
}

/** The providers a forecast's workloads are priced at, fallbacks included, as written. */
function providersOf(r: ForecastRow): string[] {
  const a = r.assumptions as Assumptions;
  return (a.workloads ?? []).flatMap((w) => [
    w.provider,
    ...(w.fallback?.provider ? [w.fallback.provider] : []),
  ]);
}

/**
 * The quarter close: what is left before a quarter's forecast can be called done, in the
 * order a finance team works through it —
 * 1. providers in use (by the quarter's approved, in-review and draft forecasts, fallbacks
 *    included) without a price-sheet version of the quarter accepted in review;
 * 2. stale sheets: those the quarter's forecasts used that were stale for them;
 * 3. forecasts waiting for review (and drafts not yet submitted);
 * 4. the variance of the quarter's approved forecast against the previous quarter's.
 */
export function quarterCloseService(db: Kysely<Database>, forecasts: ForecastsService) {
  const repo = forecastsRepository(db);
  const reviews = sheetReviews(db);

  return async function close(quarter: string, ctx?: ComputeContext): Promise<QuarterClose> {
    const { quarter: _q, forecast, pending } = await forecasts.quarter(quarter);
    const { approved: approvedRows, pending: pendingRows } = await repo.ofQuarter(quarter);
    const inUse = [...approvedRows.slice(0, 1), ...pendingRows];

    // 1. Providers in use, by key (trim, NFC, lower case), named as first written.
    const users = new Map<string, { name: string; forecasts: Set<string> }>();
    for (const r of inUse)
      for (const p of providersOf(r)) {
        const key = providerKey(p);
        const entry = users.get(key) ?? {
          name: normalizedProviderName(p) ?? p.trim(),
          forecasts: new Set<string>(),
        };
        entry.forecasts.add(r.id);
        users.set(key, entry);
      }
    const sheets = await db
      .selectFrom('price_sheets')
      .select(['id', 'file_name', 'quarter', 'providers'])
      .where('quarter', '=', quarter)
      .orderBy('uploaded_at')
      .orderBy('id')
      .execute();
    const states = await reviews.latest(sheets.map((s) => s.id));
    const view = (s: (typeof sheets)[number]): CloseSheet => {
      const state: SheetReviewState | undefined = states.get(s.id);
      return {
        id: s.id,
        fileName: s.file_name,
        quarter: s.quarter,
        review: state?.status ?? 'unreviewed',
        reviewedBy: state?.by ?? null,
      };
    };
    const providers: ProviderLeft[] = [];
    for (const [key, { name, forecasts: ids }] of [...users].sort((a, b) =>
      a[0].localeCompare(b[0]),
    )) {
      const listing = sheets.filter((s) => s.providers.some((p) => providerKey(p) === key));
      if (listing.some((s) => states.get(s.id)?.status === 'accepted')) continue;
      providers.push({
        provider: name,
        problem: listing.length === 0 ? 'no_sheet' : 'unreviewed',
        sheets: listing.map(view),
        forecasts: [...ids],
      });
    }

    // 2. Stale sheets, as each forecast pinned its freshness.
    const stale = new Map<string, StaleSheet & { forecasts: string[] }>();
    for (const r of inUse)
      for (const s of (r.result as ForecastJson).priceSheets ?? []) {
        if (s.stale !== true) continue;
        const entry = stale.get(s.id) ?? {
          sheetId: s.id,
          name: s.name,
          asOfQuarter: s.asOfQuarter,
          ageQuarters: s.ageQuarters,
          forecasts: [],
        };
        if (!entry.forecasts.includes(r.id)) entry.forecasts.push(r.id);
        stale.set(s.id, entry);
      }

    // 4. The variance of the approved forecast against the previous quarter's.
    let variance: CloseVariance;
    if (!forecast)
      variance = {
        available: false,
        reason: 'no_approved',
        message: `no forecast of ${quarter} is approved yet`,
      };
    else {
      const bridge = await forecasts.variance(forecast.id, undefined, ctx);
      if (bridge.ok) {
        const v = bridge.value;
        variance = {
          available: true,
          against: { id: v.against.id, name: v.against.name, quarter: v.against.quarter },
          currency: v.variance.currency,
          effects: [...EFFECTS],
          scenarios: v.variance.scenarios.map((s) => ({
            id: s.id,
            name: s.name,
            old: s.total.old,
            new: s.total.new,
            change: s.total.change,
            effects: s.total.effects,
          })),
        };
      } else if (bridge.reason === 'no_previous')
        variance = {
          available: false,
          reason: 'no_previous',
          message: `no forecast of ${bridge.previous}, the quarter before, is approved: nothing to compare with`,
        };
      else if (bridge.reason === 'not_found') throw new Error(`forecast ${bridge.id} vanished`);
      else
        variance = {
          available: false,
          reason: 'unfit',
          message: 'the two forecasts cannot be bridged (see GET /v1/forecasts/:id/variance)',
        };
    }

    const awaitingReview = pending.filter((f) => f.status === 'in_review');
    const drafts = pending.filter((f) => f.status === 'draft');
    return {
      quarter,
      ready:
        forecast !== null &&
        providers.length === 0 &&
        stale.size === 0 &&
        awaitingReview.length === 0,
      approved: forecast,
      providers,
      staleSheets: [...stale.values()],
      awaitingReview,
      drafts,
      variance,
    };
  };
}

export type QuarterCloseService = ReturnType<typeof quarterCloseService>;
