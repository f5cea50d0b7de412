import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { text } from '../../models/fields.ts';
import type { InputIssue } from '../../models/result.ts';
import { validate } from '../../models/validate.ts';
import { XLSX_MEDIA } from '../ingest/index.ts';
import { assumptionsFromWorkbook, type WorkbookAssumptions } from '../ingest/workbook/inputs.ts';
import { failure, type Outcome, success } from './outcome.ts';
import { readFormFile } from './price-sheets/form-parts.ts';
import type { UploadBody } from './price-sheets/upload.ts';
import { uploadQuerySchema } from './price-sheets/upload-query.ts';
import { type Spooled, spool, TooLarge } from './spool.ts';

/** The fields of a workbook upload: a form field, or a query parameter with a raw body. */
export const workbookFieldsSchema = z.object({
  name: text()
    .optional()
    .describe(
      'the assumption set to store a version of (default: the model name the Inputs sheet shows)',
    ),
  fileName: uploadQuerySchema.shape.fileName,
});
type Fields = { name?: string | undefined; fileName?: string | undefined };

/** A workbook read back, and the name of the file it came in. */
export interface ReceivedWorkbook extends Omit<WorkbookAssumptions, 'locate'> {
  readonly fileName: string;
}

/** Why an uploaded workbook gave no assumptions; the route tells the client. */
export type WorkbookFailure =
  | { readonly reason: 'not_one_file' }
  | { readonly reason: 'unknown_field'; readonly field: string }
  | { readonly reason: 'malformed_form'; readonly cause: unknown }
  | { readonly reason: 'no_file' }
  | { readonly reason: 'unreadable_part'; readonly part: number; readonly problem: string }
  | { readonly reason: 'unsupported_body' }
  | { readonly reason: 'too_large'; readonly limit: number }
  | { readonly reason: 'invalid_fields'; readonly issues: readonly InputIssue[] }
  | {
      readonly reason: 'invalid_workbook';
      readonly fileName: string;
      readonly issues: readonly InputIssue[];
    };

export interface WorkbookLimits {
  readonly maxBytes: number;
  readonly spoolDir?: string | undefined;
}

const essence = (contentType: string | undefined) =>
  contentType?.split(';')[0]?.trim().toLowerCase() ?? '';

/** Spools the one file of a form (field "file") and keeps its `name` and `fileName` fields. */
async function fromForm(
  body: Extract<UploadBody, { form: unknown }>,
  fields: Fields,
  limits: WorkbookLimits,
  into: { file?: Spooled },
): Promise<Outcome<Spooled, WorkbookFailure>> {
  const read = await readFormFile(
    body.form,
    ['name', 'fileName'],
    fields,
    into,
    limits,
    body.partHeaders,
  );
  if (read.ok || read.reason !== 'no_file') return read;
  const { skipped } = read;
  if (!skipped) return failure({ reason: 'no_file' });
  return failure({
    reason: 'unreadable_part',
    part: skipped.part,
    problem:
      'problem' in skipped
        ? skipped.problem
        : `the file name of part ${skipped.part} could not be read`,
  });
}

/** Spools a raw XLSX body. */
async function fromRaw(
  body: Extract<UploadBody, { raw: unknown }>,
  limits: WorkbookLimits,
  into: { file?: Spooled },
): Promise<Outcome<Spooled, WorkbookFailure>> {
  const stream = body.raw as Readable | undefined;
  if (essence(body.contentType) !== XLSX_MEDIA || !stream || typeof stream.pipe !== 'function')
    return failure({ reason: 'unsupported_body' });
  const declared = Number(body.contentLength);
  if (Number.isFinite(declared) && declared > limits.maxBytes)
    return failure({ reason: 'too_large', limit: limits.maxBytes });
  try {
    into.file = await spool(stream, limits.maxBytes, limits.spoolDir);
  } catch (e) {
    if (e instanceof TooLarge) return failure({ reason: 'too_large', limit: e.limit });
    throw e;
  }
  return success(into.file);
}

/**
 * A costcast workbook as it arrives — a multipart form (field "file", optional field "name")
 * or the XLSX file as the raw body (`name` as a query parameter) — spooled within the upload
 * limit, then its Inputs sheet read back as assumptions (server/ingest/workbook/inputs.ts).
 * Nothing is stored here; the spooled file is gone afterwards, whatever happened.
 */
export async function receiveWorkbook(
  body: UploadBody,
  query: Fields,
  limits: WorkbookLimits,
): Promise<Outcome<ReceivedWorkbook, WorkbookFailure>> {
  const fields: Fields = { ...query };
  const into: { file?: Spooled } = {};
  try {
    const read =
      'form' in body
        ? await fromForm(body, fields, limits, into)
        : await fromRaw(body, limits, into);
    if (!read.ok) return read;
    const checked = validate(workbookFieldsSchema, fields);
    if (!checked.ok) return failure({ reason: 'invalid_fields', issues: checked.issues });
    const fileName = checked.value.fileName ?? 'workbook.xlsx';
    const parsed = await assumptionsFromWorkbook(await readFile(read.value.path), {
      file: fileName,
      name: checked.value.name,
    });
    if (!parsed.ok) return failure({ reason: 'invalid_workbook', fileName, issues: parsed.issues });
    const { locate: _, ...read_ } = parsed.value;
    return success({ ...read_, fileName });
  } finally {
    if ('form' in body) body.partHeaders?.stop();
    await into.file?.remove();
  }
}
