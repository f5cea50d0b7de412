import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Variance } from '../../../../models/variance.ts';
import type { Role } from '../../../db/schema.ts';
import { type Actor, TRANSITIONS, type Transition } from '../../../services/forecasts/index.ts';
import { contentDisposition, XLSX_MEDIA_TYPE } from '../../download.ts';
import { notFound } from '../../errors.ts';
import { principalOf } from '../../plugins/app/auth.ts';
import { computeContext } from '../../plugins/app/compute.ts';
import { authErrors, errors, idParams, security } from '../../schemas/common.ts';
import {
  approveBodySchema,
  approveConflictSchema,
  forecastDetailSchema,
  forecastHistorySchema,
  forecastListSchema,
  forecastRequestSchema,
  forecastSchema,
  forecastSummarySchema,
  listForecastsQuerySchema,
  rejectBodySchema,
  reviseRequestSchema,
  submitBodySchema,
  workbookQuerySchema,
} from '../../schemas/forecasts.ts';
import { forecastError, reviewError, reviseError, unfitError, withJoinProblems } from './errors.ts';
import { varianceError } from './variance.ts';

/** Who may move a forecast through review: analysts submit, finance approves or rejects. */
const REVIEWERS: Record<Transition, Role> = {
  submit: 'analyst',
  approve: 'finance',
  reject: 'finance',
};

/** The body each review action takes, and what it may answer besides 200. */
const REVIEW_SCHEMAS = {
  submit: { body: submitBodySchema, errors: errors(400, 404, 409) },
  approve: { body: approveBodySchema, errors: { ...errors(400, 404), 409: approveConflictSchema } },
  reject: { body: rejectBodySchema, errors: errors(400, 404, 409) },
} as const;

const SUMMARIES: Record<Transition, string> = {
  submit: 'Review: submit a draft (draft → in review; analyst and above)',
  approve:
    'Review: approve (in review → approved; finance and above, never by the key that created or revised it; an acknowledgement when it used stale or unreviewed price sheets)',
  reject:
    'Review: reject with a note (in review → rejected; finance and above, never by the key that created or revised it)',
};

/** The key a request came with, as the actor of what it does. */
const actorOf = (req: FastifyRequest): Actor => {
  const p = principalOf(req);
  return { keyId: p.keyId, name: p.name };
};

/**
 * /v1/forecasts: create (analyst), list, get, workbook, history (viewer), review
 * transitions, revise.
 */
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
        actorOf(req),
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
        summary:
          'List forecasts, newest first (a viewer key: the approved ones unless `status` says otherwise)',
        security,
        querystring: listForecastsQuerySchema,
        response: { 200: forecastListSchema, ...authErrors, ...errors(400) },
      },
    },
    async (req) => {
      // A viewer sees approved forecasts unless it asks for another status.
      const asked = req.query.status ?? (principalOf(req).role === 'viewer' ? 'approved' : 'all');
      const status = asked === 'all' ? undefined : asked;
      const { items, total } = await app.forecasts.list({ ...req.query, status });
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
      const { locale, against } = req.query;
      const ctx = computeContext(req, reply);
      let variance: Variance | undefined;
      if (against !== undefined) {
        const bridge = await app.forecasts.variance(
          req.params.id,
          against === 'previous' ? undefined : against,
          ctx,
        );
        if (!bridge.ok) throw varianceError(bridge);
        variance = bridge.value.variance;
      }
      const answer = await app.forecasts.workbook(req.params.id, locale, ctx, { variance });
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

  app.get(
    '/:id/history',
    {
      onRequest: viewer,
      schema: {
        tags: ['forecasts'],
        summary: "The forecast's review history: every transition, oldest first (kept forever)",
        security,
        params: idParams,
        response: { 200: forecastHistorySchema, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => {
      const events = await app.forecasts.history(req.params.id);
      if (!events) throw notFound(`forecast ${req.params.id}`);
      return { forecastId: req.params.id, events };
    },
  );

  app.post(
    '/:id/revise',
    {
      onRequest: app.authorize('analyst'),
      schema: {
        tags: ['forecasts'],
        summary:
          "Revise a rejected forecast: a new draft linked to it, computed from its pinned inputs with the body's overrides (analyst and above)",
        security,
        params: idParams,
        body: reviseRequestSchema,
        response: {
          201: forecastSchema,
          ...authErrors,
          ...errors(400, 404, 409, 413, 415, 422, 503),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const revised = await app.forecasts.revise(
        id,
        req.body ?? {},
        actorOf(req),
        computeContext(req, reply),
      );
      if (!revised.ok) throw reviseError(revised, id);
      return reply.code(201).send(revised.value);
    },
  );

  for (const action of Object.keys(TRANSITIONS) as Transition[]) {
    app.post(
      `/:id/${action}`,
      {
        onRequest: app.authorize(REVIEWERS[action]),
        schema: {
          tags: ['forecasts'],
          summary: SUMMARIES[action],
          security,
          params: idParams,
          body: REVIEW_SCHEMAS[action].body,
          response: { 200: forecastSummarySchema, ...authErrors, ...REVIEW_SCHEMAS[action].errors },
        },
      },
      async (req) => {
        const { id } = req.params;
        const body = (req.body ?? {}) as { note?: string; acknowledge?: { reason: string } };
        const moved = await app.forecasts.transition(id, action, actorOf(req), {
          note: body.note,
          acknowledge: body.acknowledge,
        });
        if (!moved.ok) throw reviewError(moved, id, action);
        return moved.value;
      },
    );
  }
};

export default forecasts;
