import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { assumptionsSchema } from '../../../../models/assumptions.ts';
import { XLSX_MEDIA } from '../../../ingest/index.ts';
import { receiveWorkbook, workbookFieldsSchema } from '../../../services/assumption-workbook.ts';
import { watchPartHeaders } from '../../../services/price-sheets/form-parts.ts';
import { spoolDir } from '../../../services/spool.ts';
import { HttpError, notFound } from '../../errors.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import {
  assumptionSetListSchema,
  assumptionSetSchema,
  listAssumptionsQuerySchema,
  workbookBinary,
  workbookForm,
  workbookSetSchema,
} from '../../schemas/assumptions.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';
import { validatorCompiler } from '../../validation.ts';
import { workbookError } from './workbook-errors.ts';

/** /v1/assumptions: named, versioned assumption sets (analyst and above). */
const assumptions: FastifyPluginAsyncZod = async (app) => {
  const analyst = app.authorize('analyst');

  // A workbook arrives as the raw XLSX body (a stream the service reads) or a multipart form.
  app.addContentTypeParser(XLSX_MEDIA, (_req, payload, done) => done(null, payload));

  app.post(
    '/',
    {
      onRequest: analyst,
      // JSON is validated by its schema; a workbook's body is a stream the service reads.
      validatorCompiler: (route) =>
        route.httpPart === 'body' && route.contentType !== 'application/json'
          ? (data: unknown) => ({ value: data })
          : validatorCompiler({ ...route, schema: route.schema as unknown as z.ZodType }),
      schema: {
        tags: ['assumptions'],
        summary: 'Store assumptions as the next version of their name',
        description:
          "The body is the assumptions document of the CLI (JSON), validated as the engine validates it; or a costcast workbook (XLSX, as the raw body or the multipart field `file`) whose Inputs sheet, in English or French, is read back into that document and validated the same way. A workbook's problems are a 422 whose issues name their cell (`Inputs!I56: growth per quarter: must be ≤ 10 (got 11)`); nothing is stored. The set's name is the `name` field or query parameter, else the model name the sheet shows.",
        security,
        consumes: ['application/json', 'multipart/form-data', XLSX_MEDIA],
        querystring: workbookFieldsSchema,
        body: {
          content: {
            'application/json': { schema: assumptionsSchema },
            'multipart/form-data': { schema: workbookForm },
            [XLSX_MEDIA]: { schema: workbookBinary },
          },
        } as unknown as typeof assumptionsSchema,
        response: {
          201: workbookSetSchema,
          ...authErrors,
          ...errors(400, 413, 415, 422),
        },
      },
    },
    async (req, reply) => {
      const by = principalOf(req).name;
      if (req.isMultipart() || req.headers['content-type']?.toLowerCase().startsWith(XLSX_MEDIA)) {
        const body = req.isMultipart()
          ? { partHeaders: watchPartHeaders(req.raw), form: req.parts() }
          : {
              raw: req.body,
              contentType: req.headers['content-type'],
              contentLength: req.headers['content-length'],
            };
        const read = await receiveWorkbook(body, req.query, {
          maxBytes: app.config.limits.uploadBytes,
          spoolDir: spoolDir(app.config.dataDir),
        });
        // A form refused before its end leaves the reader on the rest of the body: drained.
        if (req.isMultipart() && !req.raw.readableEnded) req.raw.unpipe().resume();
        if (!read.ok) throw workbookError(read);
        const { assumptions, fileName, sheet, locale, notes } = read.value;
        const set = await app.assumptionSets.create(assumptions, by);
        return reply
          .code(201)
          .send({ ...set, workbook: { fileName, sheet, locale, notes: [...notes] } });
      }
      if (req.query.name !== undefined || req.query.fileName !== undefined)
        throw new HttpError(
          400,
          'invalid_request',
          'the query parameters name and fileName are for workbook uploads; a JSON document is named by its "name"',
        );
      return reply.code(201).send(await app.assumptionSets.create(req.body, by));
    },
  );

  app.get(
    '/',
    {
      onRequest: analyst,
      schema: {
        tags: ['assumptions'],
        summary: 'List assumption sets, newest first',
        security,
        querystring: listAssumptionsQuerySchema,
        response: { 200: assumptionSetListSchema, ...authErrors, ...errors(400) },
      },
    },
    async (req) => {
      const { items, total } = await app.assumptionSets.list(req.query);
      return { items, total, limit: req.query.limit, offset: req.query.offset };
    },
  );

  app.get(
    '/:id',
    {
      onRequest: analyst,
      schema: {
        tags: ['assumptions'],
        summary: 'One assumption set with its document',
        security,
        params: idParams,
        response: { 200: assumptionSetSchema, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => {
      const set = await app.assumptionSets.get(req.params.id);
      if (!set) throw notFound(`assumption set ${req.params.id}`);
      return set;
    },
  );
};

export default assumptions;
