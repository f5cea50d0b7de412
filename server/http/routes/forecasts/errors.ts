import type { InputIssue } from '../../../../models/result.ts';
import type {
  ForecastFailure,
  ForecastsService,
  ReviewFailure,
  Transition,
} from '../../../services/forecasts/index.ts';
import { HttpError, inputError, notFound, toApiIssues } from '../../errors.ts';

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

/** What the client is told when a review action did not apply. */
export function reviewError(f: ReviewFailure, id: string, action: Transition): HttpError {
  if (f.reason === 'not_found') return notFound(`forecast ${id}`);
  return new HttpError(
    409,
    'conflict',
    `cannot ${action} a forecast that is ${f.status.replace('_', ' ')} (only from ${f.from.join(' or ').replace('_', ' ')})`,
  );
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
