import type { InputIssue } from '../../models/result.ts';
import { HttpError, toApiIssues } from './errors.ts';

const MB = 1024 * 1024;

/** Why an uploaded file was not received: the reasons every upload route shares. */
export type ReceiveFailure =
  | { readonly reason: 'not_one_file' }
  | { readonly reason: 'unknown_field'; readonly field: string }
  | { readonly reason: 'malformed_form'; readonly cause: unknown }
  | { readonly reason: 'no_file' }
  | { readonly reason: 'unreadable_part'; readonly part: number; readonly problem: string }
  | { readonly reason: 'too_large'; readonly limit: number }
  | { readonly reason: 'invalid_fields'; readonly issues: readonly InputIssue[] };

/** What the client is told when an upload's file was not received (a price sheet, a workbook). */
export function receiveError(f: ReceiveFailure): Error {
  switch (f.reason) {
    case 'not_one_file':
      return new HttpError(400, 'bad_request', 'send exactly one file, in the field "file"');
    case 'unknown_field':
      return new HttpError(400, 'bad_request', `unknown form field "${f.field}"`);
    case 'malformed_form':
      // The multipart reader's own errors with a status (a part over its limits) keep it.
      if ((f.cause as { statusCode?: number }).statusCode !== undefined) return f.cause as Error;
      return new HttpError(
        400,
        'bad_request',
        `the multipart body is malformed (${(f.cause as Error).message})`,
      );
    case 'no_file':
      return new HttpError(400, 'bad_request', 'the form has no file: send it in the field "file"');
    case 'unreadable_part':
      return new HttpError(
        400,
        'bad_request',
        `the form's file could not be read: ${f.problem}`,
        toApiIssues([{ field: `part ${f.part}`, message: f.problem }]),
      );
    case 'too_large':
      return new HttpError(
        413,
        'payload_too_large',
        `the file is larger than the upload limit of ${Math.floor(f.limit / MB)} MB`,
      );
    case 'invalid_fields':
      return new HttpError(
        400,
        'invalid_request',
        'the upload fields are invalid',
        toApiIssues(f.issues),
      );
  }
}
