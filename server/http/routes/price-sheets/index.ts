import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError, notFound } from '../../errors.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';
import {
  diffQuerySchema,
  diffSchema,
  listSheetsQuerySchema,
  rowsQuerySchema,
  sheetListSchema,
  sheetReviewBodySchema,
  sheetReviewListSchema,
  sheetReviewSchema,
  sheetWithRowsSchema,
} from '../../schemas/price-sheets.ts';
import upload from './upload.ts';

/**
 * /v1/price-sheets: upload and review (finance), list, get with rows, diff (analyst and
 * above), reviews (viewer and above).
 */
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

  app.post(
    '/:id/review',
    {
      onRequest: app.authorize('finance'),
      schema: {
        tags: ['price-sheets'],
        summary:
          'Review a version: accepted or refused, with a note (required when refusing); four eyes — never by the key that uploaded it, admins included',
        description:
          'Every review is kept; the latest is the version’s state. A version refused in review is left out of forecasts "as of" a quarter, and naming it in priceSheetIds is a 422.',
        security,
        params: idParams,
        body: sheetReviewBodySchema,
        response: { 201: sheetReviewSchema, ...authErrors, ...errors(404) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const reviewed = await app.priceSheets.review(
        id,
        principalOf(req),
        req.body.decision,
        req.body.note || null,
      );
      if (!reviewed.ok)
        throw reviewed.reason === 'not_found'
          ? notFound(`price sheet ${id}`)
          : new HttpError(
              403,
              'four_eyes',
              `four eyes: the key that uploaded this price-sheet version (${reviewed.uploadedBy}) cannot review it; another finance or admin key must`,
            );
      return reply.code(201).send(reviewed.value);
    },
  );

  app.get(
    '/:id/reviews',
    {
      onRequest: app.authorize('viewer'),
      schema: {
        tags: ['price-sheets'],
        summary: 'Every review of a version, oldest first (the last is its state)',
        security,
        params: idParams,
        response: { 200: sheetReviewListSchema, ...authErrors, ...errors(404) },
      },
    },
    async (req) => {
      const items = await app.priceSheets.reviews(req.params.id);
      if (!items) throw notFound(`price sheet ${req.params.id}`);
      return { items };
    },
  );
};

export default priceSheets;
