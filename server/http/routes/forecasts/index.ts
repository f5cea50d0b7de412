import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../../db/schema.ts';
import { TRANSITIONS, type Transition } from '../../../services/forecasts/index.ts';
import { contentDisposition, XLSX_MEDIA_TYPE } from '../../download.ts';
import { notFound } from '../../errors.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import { computeContext } from '../../plugins/app/compute.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';
import {
  forecastDetailSchema,
  forecastListSchema,
  forecastRequestSchema,
  forecastSchema,
  forecastSummarySchema,
  listForecastsQuerySchema,
  reviewBodySchema,
  workbookQuerySchema,
} from '../../schemas/forecasts.ts';
import { forecastError, reviewError, unfitError, withJoinProblems } from './errors.ts';

/** Who may move a forecast through review: analysts submit, finance approves or rejects. */
const REVIEWERS: Record<Transition, Role> = {
  submit: 'analyst',
  approve: 'finance',
  reject: 'finance',
};

/** /v1/forecasts: create (analyst), list, get, workbook (viewer), review transitions. */
const forecasts: FastifyPluginAsyncZod = async (app) => {
  const viewer = app.authorize('viewer');

  app.post(
    '/',
    {
      onRequest: app.authorize('analyst'),
      schema: {
        tags: ['forecasts'],
        summary: 'Compute and store a forecast, pinning everything it used',
        security,
        body: forecastRequestSchema,
        response: { 201: forecastSchema, ...authErrors, ...errors(400, 404, 413, 415, 422, 503) },
      },
      // A body that fails its schema is answered by the handler, with its join problems too.
      attachValidation: true,
    },
    async (req, reply) => {
      if (req.validationError)
        throw await withJoinProblems(app.forecasts, req.validationError, req.body);
      const created = await app.forecasts.create(
        req.body,
        principalOf(req).name,
        computeContext(req, reply),
      );
      if (!created.ok) throw forecastError(created);
      return reply.code(201).send(created.value);
    },
  );

  app.get(
    '/',
    {
      onRequest: viewer,
      schema: {
        tags: ['forecasts'],
        summary: 'List forecasts, newest first',
        security,
        querystring: listForecastsQuerySchema,
        response: { 200: forecastListSchema, ...authErrors, ...errors(400) },
      },
    },
    async (req) => {
      const { items, total } = await app.forecasts.list(req.query);
      return { items, total, limit: req.query.limit, offset: req.query.offset };
    },
  );

  app.get(
    '/:id',
    {
      onRequest: viewer,
      schema: {
        tags: ['forecasts'],
        summary: 'One forecast: its JSON and its pinned inputs',
        security,
        params: idParams,
        response: { 200: forecastDetailSchema, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => {
      const forecast = await app.forecasts.get(req.params.id);
      if (!forecast) throw notFound(`forecast ${req.params.id}`);
      return forecast;
    },
  );

  app.get(
    '/:id/workbook',
    {
      onRequest: viewer,
      schema: {
        tags: ['forecasts'],
        summary:
          'The forecast as an Excel workbook stating its review status (the same bytes on every download while the status stays), named after its quarter and status',
        security,
        params: idParams,
        querystring: workbookQuerySchema,
        produces: [XLSX_MEDIA_TYPE],
        response: {
          200: z.any().describe('the .xlsx file'),
          ...authErrors,
          ...errors(400, 404, 422, 503),
        },
      },
    },
    async (req, reply) => {
      const { locale } = req.query;
      const answer = await app.forecasts.workbook(
        req.params.id,
        locale,
        computeContext(req, reply),
      );
      if (!answer.ok)
        throw answer.reason === 'not_found'
          ? notFound(`forecast ${req.params.id}`)
          : unfitError(answer.issues);
      const book = answer.value;
      if (!book.reproduced)
        req.log.warn(
          { forecast: req.params.id },
          'the engine no longer computes exactly the stored forecast JSON',
        );
      return reply
        .header('content-type', XLSX_MEDIA_TYPE)
        .header(
          'content-disposition',
          contentDisposition(book.name, book.quarter, book.status, locale),
        )
        .header('content-length', book.bytes.length)
        .send(book.bytes);
    },
  );

  for (const action of Object.keys(TRANSITIONS) as Transition[]) {
    app.post(
      `/:id/${action}`,
      {
        onRequest: app.authorize(REVIEWERS[action]),
        schema: {
          tags: ['forecasts'],
          summary: `Review: ${action} (${TRANSITIONS[action].from.join(' or ')} → ${TRANSITIONS[action].to}; ${REVIEWERS[action]} and above)`,
          security,
          params: idParams,
          body: reviewBodySchema,
          response: { 200: forecastSummarySchema, ...authErrors, ...errors(400, 404, 409) },
        },
      },
      async (req) => {
        const { id } = req.params;
        const moved = await app.forecasts.transition(
          id,
          action,
          principalOf(req).name,
          req.body?.note,
        );
        if (!moved.ok) throw reviewError(moved, id, action);
        return moved.value;
      },
    );
  }
};

export default forecasts;
