import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SHEET_KINDS } from '../../../../models/freshness.ts';
import { watchPartHeaders } from '../../../services/price-sheets/form-parts.ts';
import {
  type Received,
  UPLOAD_MEDIA_TYPES,
  type UploadFailure,
} from '../../../services/price-sheets/index.ts';
import { cleanStaleSpools, spoolDir } from '../../../services/spool.ts';
import { HttpError, toApiIssues } from '../../errors.ts';
import { receiveError } from '../../form-errors.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import { authErrors, errors, security } from '../../schemas/common.ts';
import { uploadQuerySchema, uploadResultSchema } from '../../schemas/price-sheets.ts';
import { streamBodyCompiler } from '../../validation.ts';

/** The multipart form, for the OpenAPI document (the service reads the stream itself). */
const multipartBody = z
  .object({
    file: z
      .string()
      .meta({ format: 'binary' })
      .describe('the price sheet: CSV, XLSX, JSON rows or a LiteLLM catalogue'),
    quarter: z.string().describe('the as-of quarter, e.g. 2026-Q3'),
    provider: z.string().optional().describe('fills ProviderName where rows have none'),
    kind: z
      .enum(SHEET_KINDS)
      .optional()
      .describe('contract, provider or catalogue (default: inferred from the file)'),
  })
  .describe(
    'multipart/form-data with these fields; or the file as the raw body (text/csv, application/json or the XLSX media type) with quarter and provider as query parameters',
  );

/** What the client is told when an upload stored nothing: the status, code and message. */
export function uploadError(f: UploadFailure): Error {
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
        'send the file as multipart/form-data (field "file") or as the body with Content-Type text/csv, application/json or the XLSX media type',
      );
    case 'quarter_required':
      return new HttpError(
        400,
        'invalid_request',
        'the as-of quarter is required',
        toApiIssues(f.issues),
      );
    case 'empty':
      return new HttpError(422, 'invalid_price_sheet', 'the file is empty', toApiIssues(f.issues));
    case 'unreadable_format':
      return new HttpError(
        415,
        'unsupported_media_type',
        `"${f.fileName}" is in a format we cannot read; upload CSV, XLSX, JSON rows or a LiteLLM price catalogue`,
      );
    case 'invalid_rows':
      return new HttpError(
        422,
        'invalid_price_sheet',
        `"${f.fileName}" has problems; nothing was stored`,
        toApiIssues(f.issues),
      );
  }
}

/**
 * The stored version, with what happened when it was stored before: the same bytes are one
 * version, whatever quarter they are sent for, so a duplicate for another quarter says so
 * rather than seem to have stored the quarter asked for.
 */
function uploadAnswer(r: Received) {
  const message = !r.duplicate
    ? undefined
    : r.sheet.quarter === r.quarter
      ? `an identical file was already stored for ${r.quarter}; nothing new was stored`
      : `an identical file was already stored for ${r.sheet.quarter}; nothing was stored for ${r.quarter}: the same bytes are one version (a changed file is a new version)`;
  return { ...r.sheet, duplicate: r.duplicate, ...(message === undefined ? {} : { message }) };
}

/**
 * POST /v1/price-sheets: one upload, streamed to a temporary file (bounded memory, sha256 on
 * the way), parsed, and stored as a version in one transaction.
 */
const upload: FastifyPluginAsyncZod = async (app) => {
  // Uploads spool inside the data directory; what a killed process left there goes now.
  const dir = spoolDir(app.config.dataDir);
  const removed = await cleanStaleSpools(dir);
  if (removed > 0) app.log.warn({ dir, removed }, 'removed upload spool files a crash left');
  // Raw bodies reach the handler as streams; anything else is a 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(Object.keys(UPLOAD_MEDIA_TYPES), (_req, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/',
    {
      onRequest: app.authorize('finance'),
      // The body is a stream, not JSON: only the query string is validated by schema.
      validatorCompiler: streamBodyCompiler,
      schema: {
        tags: ['price-sheets'],
        summary: 'Upload a price sheet as a new immutable version',
        description:
          'multipart/form-data (field `file`, plus `quarter` and optional `provider` and `kind`) or a raw body (text/csv, application/json, XLSX) with the same fields as query parameters. 201 with the new version; 200 with `duplicate: true` and the stored version when the identical file was uploaded before; 422 with every problem (first 1000 and a count) when the file is invalid, and nothing is stored.',
        security,
        consumes: ['multipart/form-data', ...Object.keys(UPLOAD_MEDIA_TYPES)],
        querystring: uploadQuerySchema,
        body: multipartBody,
        response: {
          200: uploadResultSchema,
          201: uploadResultSchema,
          ...authErrors,
          ...errors(400, 413, 415, 422),
        },
      },
    },
    async (req, reply) => {
      const body = req.isMultipart()
        ? // Watching first: it listens only once the reader's pipe makes the body flow.
          { partHeaders: watchPartHeaders(req.raw), form: req.parts() }
        : {
            raw: req.body,
            contentType: req.headers['content-type'],
            contentLength: req.headers['content-length'],
          };
      const received = await app.priceSheets.receive(body, {
        query: req.query,
        uploadedBy: principalOf(req).name,
        uploadedByKey: principalOf(req).keyId,
        log: req.log,
      });
      // A form refused before its end (a part the reader skipped) leaves the reader stuck
      // on the rest of the body: the body is drained here so the connection is free again.
      if (req.isMultipart() && !req.raw.readableEnded) req.raw.unpipe().resume();
      if (!received.ok) throw uploadError(received);
      return reply.code(received.value.duplicate ? 200 : 201).send(uploadAnswer(received.value));
    },
  );
};

export default upload;
