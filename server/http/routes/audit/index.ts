import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditPageSchema, auditQuerySchema } from '../../schemas/audit.ts';
import { authErrors, security } from '../../schemas/common.ts';

/** /v1/audit: the audit trail, newest first, for finance and admin. */
const audit: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      onRequest: app.authorize('finance'),
      schema: {
        tags: ['audit'],
        summary:
          'The audit trail: every write, failed write and refused authentication, newest first',
        description:
          'Filters narrow the list; pages run by event id (`before` = the previous page’s `nextBefore`). No event holds a key’s secret.',
        security,
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, ...authErrors },
      },
    },
    async (req) => {
      const q = req.query;
      return app.audit.list({
        actor: q.actor,
        action: q.action,
        resourceType: q.resourceType,
        resourceId: q.resourceId,
        outcome: q.outcome,
        from: q.from === undefined ? undefined : new Date(q.from),
        to: q.to === undefined ? undefined : new Date(q.to),
        before: q.before,
        limit: q.limit,
      });
    },
  );
};

export default audit;
