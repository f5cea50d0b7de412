import type { Readable } from 'node:stream';
import type { FastifySchemaCompiler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SHEET_KINDS, type SheetKind } from '../../../../models/freshness.ts';
import { validate } from '../../../../models/validate.ts';
import {
  cleanStaleSpools,
  type Spooled,
  spool,
  spoolDir,
  tooLarge,
} from '../../../services/spool.ts';
import { XLSX_MEDIA_TYPE } from '../../download.ts';
import { HttpError, toApiIssues } from '../../errors.ts';
import { authErrors, errors, security } from '../../schemas/common.ts';
import { uploadQuerySchema, uploadResultSchema } from '../../schemas/price-sheets.ts';
import { validatorCompiler } from '../../validation.ts';

/** Raw-body media types, and the file extension recorded when no file name is given. */
const RAW_TYPES: Record<string, string> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
  [XLSX_MEDIA_TYPE]: 'xlsx',
};

const essence = (contentType: string | undefined) =>
  contentType?.split(';')[0]?.trim().toLowerCase() ?? '';

/** The multipart form, for the OpenAPI document (the handler reads the stream itself). */
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

/** Validates the query string; the body is the upload stream, passed through as it is. */
const streamBody: FastifySchemaCompiler<z.ZodType> = (route) =>
  route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route);

/** Fields of the upload, from the query string and multipart fields. */
type Fields = {
  quarter?: string | undefined;
  provider?: string | undefined;
  fileName?: string | undefined;
  kind?: string | undefined;
};

function checkFields(fields: Fields): {
  quarter: string;
  provider?: string;
  fileName?: string;
  kind?: SheetKind;
} {
  const checked = validate(uploadQuerySchema, fields);
  if (!checked.ok)
    throw new HttpError(
      400,
      'invalid_request',
      'the upload fields are invalid',
      toApiIssues(checked.issues),
    );
  const { quarter, provider, fileName, kind } = checked.value;
  if (quarter === undefined)
    throw new HttpError(400, 'invalid_request', 'the as-of quarter is required', {
      list: [
        {
          row: null,
          column: null,
          field: 'quarter',
          value: null,
          message: 'is required, e.g. 2026-Q3',
        },
      ],
      count: 1,
    });
  return {
    quarter,
    ...(provider === undefined ? {} : { provider }),
    ...(fileName === undefined ? {} : { fileName }),
    ...(kind === undefined ? {} : { kind }),
  };
}

/**
 * POST /v1/price-sheets: one upload, streamed to a temporary file (bounded memory, sha256 on
 * the way), parsed, and stored as a version in one transaction.
 */
const upload: FastifyPluginAsyncZod = async (app) => {
  const limit = app.config.limits.uploadBytes;
  // Uploads spool inside the data directory; what a killed process left there goes now.
  const dir = spoolDir(app.config.dataDir);
  const removed = await cleanStaleSpools(dir);
  if (removed > 0) app.log.warn({ dir, removed }, 'removed upload spool files a crash left');
  // Raw bodies reach the handler as streams; anything else is a 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(Object.keys(RAW_TYPES), (_req, payload, done) => done(null, payload));

  app.post(
    '/',
    {
      onRequest: app.authorize('finance'),
      // The body is a stream, not JSON: only the query string is validated by schema.
      validatorCompiler: streamBody as never,
      schema: {
        tags: ['price-sheets'],
        summary: 'Upload a price sheet as a new immutable version',
        description:
          'multipart/form-data (field `file`, plus `quarter` and optional `provider` and `kind`) or a raw body (text/csv, application/json, XLSX) with the same fields as query parameters. 201 with the new version; 200 with `duplicate: true` and the stored version when the identical file was uploaded before; 422 with every problem (first 1000 and a count) when the file is invalid, and nothing is stored.',
        security,
        consumes: ['multipart/form-data', ...Object.keys(RAW_TYPES)],
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
      const fields: Fields = { ...req.query };
      let file: Spooled | undefined;
      let mediaType: string | undefined;
      try {
        if (req.isMultipart()) {
          // Only reading the form happens in here: any error without a status is a malformed body.
          try {
            for await (const part of req.parts()) {
              if (part.type === 'file') {
                if (part.fieldname !== 'file' || file) {
                  part.file.resume();
                  throw new HttpError(
                    400,
                    'bad_request',
                    'send exactly one file, in the field "file"',
                  );
                }
                file = await spool(part.file, limit, dir);
                // The client's file name, without any folders, checked like the fileName field.
                fields.fileName ??= part.filename.split(/[\\/]/).pop() || undefined;
                const declared = essence(part.mimetype);
                mediaType = declared in RAW_TYPES ? declared : undefined;
              } else if (['quarter', 'provider', 'fileName', 'kind'].includes(part.fieldname))
                fields[part.fieldname as keyof Fields] = String(part.value);
              else
                throw new HttpError(400, 'bad_request', `unknown form field "${part.fieldname}"`);
            }
          } catch (e) {
            if ((e as { statusCode?: number }).statusCode !== undefined) throw e;
            throw new HttpError(
              400,
              'bad_request',
              `the multipart body is malformed (${(e as Error).message})`,
            );
          }
          if (!file)
            throw new HttpError(
              400,
              'bad_request',
              'the form has no file: send it in the field "file"',
            );
        } else {
          const type = essence(req.headers['content-type']);
          const body = req.body as unknown as Readable | undefined;
          if (!(type in RAW_TYPES) || !body || typeof body.pipe !== 'function')
            throw new HttpError(
              415,
              'unsupported_media_type',
              'send the file as multipart/form-data (field "file") or as the body with Content-Type text/csv, application/json or the XLSX media type',
            );
          const declared = Number(req.headers['content-length']);
          if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
          file = await spool(body, limit, dir);
          mediaType = type;
        }
        const checked = checkFields(fields);
        const name = checked.fileName ?? `upload.${RAW_TYPES[mediaType ?? ''] ?? 'csv'}`;
        const result = await app.priceSheets.upload(
          {
            file,
            fileName: name,
            mediaType,
            quarter: checked.quarter,
            provider: checked.provider,
            kind: checked.kind,
            uploadedBy: req.principal!.name,
          },
          { maxRows: app.config.limits.maxRows, log: req.log },
        );
        // The same bytes are one version, whatever quarter they are sent for: a duplicate for
        // another quarter says so rather than seem to have stored the quarter asked for.
        const message = !result.duplicate
          ? undefined
          : result.sheet.quarter === checked.quarter
            ? `an identical file was already stored for ${checked.quarter}; nothing new was stored`
            : `an identical file was already stored for ${result.sheet.quarter}; nothing was stored for ${checked.quarter}: the same bytes are one version (a changed file is a new version)`;
        return reply.code(result.duplicate ? 200 : 201).send({
          ...result.sheet,
          duplicate: result.duplicate,
          ...(message === undefined ? {} : { message }),
        });
      } finally {
        await file?.remove();
      }
    },
  );
};

export default upload;
