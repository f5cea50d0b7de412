import type { WorkbookFailure } from '../../../services/assumption-workbook.ts';
import { HttpError, toApiIssues } from '../../errors.ts';
import { receiveError } from '../../form-errors.ts';

/** What the client is told when an uploaded workbook stored nothing. */
export function workbookError(f: WorkbookFailure): Error {
  switch (f.reason) {
    case 'not_one_file':
    case 'unknown_field':
    case 'malformed_form':
    case 'no_file':
    case 'unreadable_part':
    case 'too_large':
    case 'invalid_fields':
      return receiveError(f);
    case 'unsupported_body':
      return new HttpError(
        415,
        'unsupported_media_type',
        'send the assumptions as application/json, or a costcast workbook as the XLSX media type or multipart/form-data (field "file")',
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
