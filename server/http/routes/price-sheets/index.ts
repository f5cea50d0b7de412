import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';
import {
  diffQuerySchema,
  diffSchema,
  listSheetsQuerySchema,
  rowsQuerySchema,
  sheetListSchema,
  sheetWithRowsSchema,
} from '../../schemas/price-sheets.ts';
import upload from './upload.ts';

/** /v1/price-sheets: upload (finance), list, get with rows, diff (analyst and above). */
const priceSheets: FastifyPluginAsyncZod = async (app) => {
  await app.register(upload);
  const analyst = app.authorize('analyst');

  app.get(
    '/',
    {
      onRequest: analyst,
      schema: {
        tags: ['price-sheets'],
        summary: 'List price-sheet versions, newest first',
        security,
        querystring: listSheetsQuerySchema,
        response: { 200: sheetListSchema, ...authErrors, ...errors(400) },
      },
    },
    async (req) => {
      const { items, total } = await app.priceSheets.list(req.query);
      return { items, total, limit: req.query.limit, offset: req.query.offset };
    },
  );

  app.get(
    '/diff',
    {
      onRequest: analyst,
      schema: {
        tags: ['price-sheets'],
        summary: 'What changed between two versions: added, removed, changed with the % change',
        security,
        querystring: diffQuerySchema,
        response: { 200: diffSchema, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => {
      const diff = await app.priceSheets.diff(req.query.from, req.query.to, req.query.limit);
      if (!diff.ok) throw notFound(`price sheet ${diff.id}`);
      return diff.value;
    },
  );

  app.get(
    '/:id',
    {
      onRequest: analyst,
      schema: {
        tags: ['price-sheets'],
        summary: 'One version with a page of its rows',
        security,
        params: idParams,
        querystring: rowsQuerySchema,
        response: { 200: sheetWithRowsSchema, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => {
      const page = await app.priceSheets.rows(req.params.id, req.query);
      if (!page) throw notFound(`price sheet ${req.params.id}`);
      return { ...page.sheet, rows: page.rows, limit: req.query.limit, offset: req.query.offset };
    },
  );
};

export default priceSheets;
