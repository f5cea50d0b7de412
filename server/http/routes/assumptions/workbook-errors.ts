import type { WorkbookFailure } from '../../../services/assumption-workbook.ts';
import { HttpError, toApiIssues } from '../../errors.ts';

const MB = 1024 * 1024;

/** What the client is told when an uploaded workbook stored nothing. */
export function workbookError(f: WorkbookFailure): Error {
  switch (f.reason) {
    case 'not_one_file':
      return new HttpError(400, 'bad_request', 'send exactly one file, in the field "file"');
    case 'unknown_field':
      return new HttpError(400, 'bad_request', `unknown form field "${f.field}"`);
    case 'malformed_form':
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
    case 'unsupported_body':
      return new HttpError(
        415,
        'unsupported_media_type',
        'send the assumptions as application/json, or a costcast workbook as the XLSX media type or multipart/form-data (field "file")',
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
    case 'invalid_workbook':
      return new HttpError(
        422,
        'invalid_workbook',
        `"${f.fileName}" has problems; nothing was stored`,
        toApiIssues(f.issues),
      );
  }
}
