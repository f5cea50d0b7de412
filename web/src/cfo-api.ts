// What the CFO page reads beyond the forecast itself: the quarter's forecast, the variance
// bridge against last quarter and the quarter close (types of the parts the page shows).
import { ApiError, api, type ForecastSummary } from './api.ts';

/** One scenario's bridge line: amounts as the API's 2-place decimal strings. */
export interface BridgeLine {
  readonly old: string;
  readonly new: string;
  readonly change: string;
  readonly effects: Readonly<Record<string, string>>;
}

/** GET /v1/forecasts/:id/variance. */
export interface VarianceAnswer {
  readonly against: { readonly id: string; readonly name: string; readonly quarter: string };
  readonly variance: {
    readonly currency: string;
    readonly effects: readonly string[];
    readonly scenarios: readonly {
      readonly id: string;
      readonly name: string;
      readonly total: BridgeLine;
    }[];
  };
}

/** GET /v1/quarters/:quarter. */
export interface QuarterAnswer {
  readonly quarter: string;
  readonly forecast: ForecastSummary;
  readonly supersedes: readonly ForecastSummary[];
}

/** GET /v1/quarters/:quarter/close. */
export interface CloseAnswer {
  readonly quarter: string;
  readonly ready: boolean;
  readonly providers: readonly { readonly provider: string; readonly problem: string }[];
  readonly staleSheets: readonly unknown[];
  readonly awaitingReview: readonly unknown[];
  readonly drafts: readonly unknown[];
  readonly variance:
    | { readonly available: true }
    | { readonly available: false; readonly reason: string; readonly message: string };
}

export const quarterForecast = (quarter: string) =>
  api<QuarterAnswer>('GET', `/v1/quarters/${encodeURIComponent(quarter)}`);

export const quarterClose = (quarter: string) =>
  api<CloseAnswer>('GET', `/v1/quarters/${encodeURIComponent(quarter)}/close`);

/** The bridge against the previous quarter's approved forecast, or null when there is none (404). */
export async function varianceAgainstPrevious(id: string): Promise<VarianceAnswer | null> {
  try {
    return await api<VarianceAnswer>('GET', `/v1/forecasts/${encodeURIComponent(id)}/variance`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** The parts of the forecast JSON the CFO page reads beyond api.ts's `ForecastJson`. */
export interface ConcentrationParts {
  readonly concentration: {
    readonly scenarioId: string;
    readonly scenarios: readonly {
      readonly scenarioId: string;
      readonly byProvider: Readonly<Record<string, string>>;
      readonly byJurisdiction: Readonly<Record<string, string>>;
      readonly hhi: string;
      readonly jurisdictionHhi: string;
    }[];
  };
  readonly priceSheets: readonly {
    readonly id: string;
    readonly name: string;
    readonly asOfQuarter: string | null;
    readonly ageQuarters: number | null;
    readonly stale: boolean | null;
  }[];
}

/** A forecast's record of each sheet's review when it was created (null on older forecasts). */
export interface SourceReview {
  readonly sheetId: string;
  readonly status: 'accepted' | 'refused' | 'unreviewed';
  readonly by: string | null;
}
