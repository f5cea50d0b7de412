import { z } from 'zod';
import type { InputIssue } from '../../models/result.ts';
import { type MessageLocale, translate } from './messages.ts';

/** Machine-readable error codes of the JSON error body. */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  /** Four eyes: the caller's key may not review what it made itself. */
  | 'four_eyes'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_price_sheet'
  | 'invalid_workbook'
  | 'invalid_forecast_input'
  | 'four_eyes'
  | 'acknowledgement_required'
  | 'rate_limited'
  | 'over_budget'
  | 'busy'
  | 'deadline_exceeded'
  | 'cancelled'
  | 'unavailable'
  | 'internal';

/** An input problem as the API reports it: where (row, column, field), what, why. */
export const issueSchema = z.object({
  row: z.int().nullable().describe('1-based line or sheet row, when known'),
  column: z.int().nullable().describe('1-based column, when known'),
  field: z.string().nullable().describe('column name or JSON path, e.g. workloads.2.unit'),
  value: z.string().nullable().describe('the offending value as text, when there is one'),
  message: z.string(),
});
export type ApiIssue = z.infer<typeof issueSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(issueSchema).optional(),
    issueCount: z
      .int()
      .optional()
      .describe('how many problems in all (issues lists the first 1000)'),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The most issues listed in one error body. */
export const MAX_LISTED_ISSUES = 1000;

/** An error with an HTTP status, a code and optionally located input issues. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly issues: readonly ApiIssue[] | undefined;
  readonly issueCount: number | undefined;

  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    issues?: { readonly list: readonly ApiIssue[]; readonly count: number },
  ) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.issues = issues?.list;
    this.issueCount = issues?.count;
  }

  body(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues
          ? { issues: [...this.issues], issueCount: this.issueCount ?? this.issues.length }
          : {}),
      },
    };
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found`);

const MORE = /^… and (\d+) more problems?$/;

/**
 * Engine and parser issues as API issues: the first {@link MAX_LISTED_ISSUES} and the total
 * count (a parser's closing "… and N more problems" line becomes part of the count).
 * @example toApiIssues([{ row: 3, column: 4, field: 'ListUnitPrice', value: 'abc', message: 'is not a number' }])
 * //=> { list: [{ row: 3, column: 4, field: 'ListUnitPrice', value: 'abc', message: 'is not a number' }], count: 1 }
 */
/** The longest `value` an issue repeats; a longer one is cut, saying how long it was. */
export const MAX_ISSUE_VALUE_CHARS = 200;

/**
 * An offending value as an issue repeats it: whole up to {@link MAX_ISSUE_VALUE_CHARS}
 * characters, else its start and its length (a 20 MB cell made a 20 MB error body).
 * @example issueValue('ab'.repeat(3000)) //=> "abab…a… (6,000 characters)", its first 199 characters kept
 */
export function issueValue(value: string): string {
  if (value.length <= MAX_ISSUE_VALUE_CHARS) return value;
  // Cut between code points, never inside a surrogate pair.
  const cut = Array.from(value.slice(0, MAX_ISSUE_VALUE_CHARS)).slice(0, -1).join('');
  return `${cut}… (${value.length.toLocaleString('en-US')} characters)`;
}

export function toApiIssues(issues: readonly InputIssue[]): { list: ApiIssue[]; count: number } {
  let extra = 0;
  const real: InputIssue[] = [];
  for (const issue of issues) {
    const more =
      issue.row === undefined && issue.field === undefined ? MORE.exec(issue.message) : null;
    if (more) extra += Number(more[1]);
    else real.push(issue);
  }
  return {
    list: real.slice(0, MAX_LISTED_ISSUES).map((i) => ({
      row: i.row ?? null,
      column: i.column ?? null,
      field: i.field ?? null,
      value: i.value === undefined ? null : issueValue(i.value),
      message: i.message,
    })),
    count: real.length + extra,
  };
}

/** A 4xx/5xx error as an {@link HttpError} with a message of its own kind. */
export function inputError(
  statusCode: number,
  code: ErrorCode,
  message: string,
  issues: readonly InputIssue[],
): HttpError {
  return new HttpError(statusCode, code, message, toApiIssues(issues));
}

/**
 * An error body told in `locale`: its message and each issue's message translated
 * (server/messages.ts); the code, fields, rows and values stay as they are.
 * @example localizedBody(new HttpError(401, 'unauthorized', 'the API key is invalid or revoked').body(), 'fr')
 * //=> { error: { code: 'unauthorized', message: 'la clé d’API est invalide ou révoquée' } }
 */
export function localizedBody(body: ErrorBody, locale: MessageLocale): ErrorBody {
  if (locale === 'en') return body;
  const { issues, ...rest } = body.error;
  return {
    error: {
      ...rest,
      message: translate(rest.message, locale),
      ...(issues
        ? { issues: issues.map((i) => ({ ...i, message: translate(i.message, locale) })) }
        : {}),
    },
  };
}
