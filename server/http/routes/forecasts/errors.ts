import type { InputIssue } from '../../../../models/result.ts';
import type {
  ApprovalBlocker,
  ForecastFailure,
  ForecastsService,
  ReviewFailure,
  ReviseFailure,
  Transition,
} from '../../../services/forecasts/index.ts';
import {
  type ErrorBody,
  type ErrorCode,
  HttpError,
  inputError,
  notFound,
  toApiIssues,
} from '../../errors.ts';

/** What the client is told when a forecast could not be computed. */
export function forecastError(f: ForecastFailure): HttpError {
  switch (f.reason) {
    case 'assumptions_not_found':
      return notFound(`assumption set ${f.id}`);
    case 'sheets_not_found':
      return new HttpError(404, 'not_found', `price sheet(s) not found: ${f.ids.join(', ')}`);
    case 'no_prices':
      return new HttpError(
        422,
        'invalid_forecast_input',
        f.refused === 0
          ? `no price sheet was uploaded for ${f.quarter} or before`
          : `no price sheet was uploaded for ${f.quarter} or before but ${f.refused} refused in review, which price no forecast`,
      );
    case 'sheets_refused':
      return inputError(
        422,
        'invalid_forecast_input',
        'a price sheet refused in review prices no forecast; name another version, or have it reviewed again',
        f.sheets.map((s) => ({
          field: `priceSheetIds.${s.index}`,
          value: s.id,
          message: `price sheet ${s.id} was refused by ${s.by} on ${s.at.slice(0, 10)}${s.note ? `: ${s.note}` : ''}`,
        })),
      );
    case 'adjust_out_of_bounds':
      return inputError(
        422,
        'invalid_forecast_input',
        // One issue per workload (adjustAssumptions).
        `the adjustment ("adjust") takes ${f.issues.length} workload${f.issues.length === 1 ? '' : 's'} out of bounds; lower its multipliers`,
        f.issues,
      );
    case 'unfit':
      return unfitError(f.issues);
  }
}

export const unfitError = (issues: readonly InputIssue[]) =>
  inputError(
    422,
    'invalid_forecast_input',
    'the assumptions, scenarios and price sheets do not fit together',
    issues,
  );

/** An error whose body carries more than code and message (blockers, pending forecasts). */
export class DetailedError extends HttpError {
  readonly details: Readonly<Record<string, unknown>>;
  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>>,
  ) {
    super(statusCode, code, message);
    this.details = details;
  }
  override body(): ErrorBody {
    const body = super.body();
    return { error: { ...body.error, ...this.details } };
  }
}

const statusText = (s: string) => s.replace('_', ' ');

/** A blocker as a reader says it: `price sheet <id> (2026-Q1) is stale`. */
export const blockerText = (b: ApprovalBlocker) =>
  `price sheet ${b.sheetId}${b.quarter ? ` (${b.quarter})` : ''} is ${b.reason}`;

/** What the client is told when a review action did not apply. */
export function reviewError(f: ReviewFailure, id: string, action: Transition): HttpError {
  switch (f.reason) {
    case 'not_found':
      return notFound(`forecast ${id}`);
    case 'conflict':
      return new HttpError(
        409,
        'conflict',
        `cannot ${action} a forecast that is ${statusText(f.status)} (only from ${f.from.map(statusText).join(' or ')})${
          action === 'submit' && f.status === 'rejected'
            ? `; revise it into a new draft: POST /v1/forecasts/${id}/revise`
            : ''
        }`,
      );
    case 'four_eyes':
      return new HttpError(
        403,
        'four_eyes',
        `four eyes: this key created or revised forecast ${id}, so another key must ${action} it (whatever the role, admin included)`,
      );
    case 'acknowledgement_required':
      return new DetailedError(
        409,
        'acknowledgement_required',
        `approving forecast ${id} needs an acknowledgement: send "acknowledge": { "reason": "…" } — ${f.blockers.map(blockerText).join('; ')}`,
        { blockers: f.blockers },
      );
  }
}

/** What the client is told when a rejected forecast could not be revised. */
export function reviseError(f: ReviseFailure, id: string): HttpError {
  switch (f.reason) {
    case 'not_found':
      return notFound(`forecast ${id}`);
    case 'not_rejected':
      return new HttpError(
        409,
        'conflict',
        `cannot revise a forecast that is ${statusText(f.status)} (only a rejected one)`,
      );
    case 'already_revised':
      return new HttpError(
        409,
        'conflict',
        `forecast ${id} is already revised by forecast ${f.by}; revise that one if it is rejected`,
      );
    default:
      return forecastError(f);
  }
}

/**
 * A request that failed its schema, told with every other problem found in the same pass
 * (the service's `joinProblemsOf`). Any other error comes back as it is.
 */
export async function withJoinProblems(
  forecasts: ForecastsService,
  error: Error,
  body: unknown,
): Promise<Error> {
  if (!(error instanceof HttpError) || !error.issues) return error;
  const more = await forecasts.joinProblemsOf(body);
  if (more.length === 0) return error;
  const added = toApiIssues(more);
  return new HttpError(error.statusCode, error.code, error.message, {
    list: [...error.issues, ...added.list],
    count: (error.issueCount ?? error.issues.length) + added.count,
  });
}
