import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ComputePool } from '../compute/pool.ts';
import { ComputeRefused, type RefusalReason } from '../compute/scheduler.ts';
import type { Config } from '../config.ts';
import type { Store } from '../db/index.ts';
import { type ErrorCode, HttpError, localizedBody } from './errors.ts';
import { negotiate } from './messages.ts';
import auditPlugin from './plugins/app/audit.ts';
import authPlugin from './plugins/app/auth.ts';
import computePlugin from './plugins/app/compute.ts';
import servicesPlugin from './plugins/app/services.ts';
import dbPlugin from './plugins/external/db.ts';
import helmetPlugin from './plugins/external/helmet.ts';
import multipartPlugin from './plugins/external/multipart.ts';
import rateLimitPlugin from './plugins/external/rate-limit.ts';
import swaggerPlugin from './plugins/external/swagger.ts';
import { checkRequestHeaders, clientErrorHandler } from './request-headers.ts';
import assumptionsRoutes from './routes/assumptions/index.ts';
import auditRoutes from './routes/audit/index.ts';
import forecastsRoutes from './routes/forecasts/index.ts';
import forecastVarianceRoutes from './routes/forecasts/variance.ts';
import healthRoutes from './routes/health/index.ts';
import keysRoutes from './routes/keys/index.ts';
import priceSheetsRoutes from './routes/price-sheets/index.ts';
import pricesRoutes from './routes/prices/index.ts';
import quarterCloseRoutes from './routes/quarters/close.ts';
import quarterForecastRoutes from './routes/quarters/forecast.ts';
import sessionRoutes from './routes/session/index.ts';
import webRoutes from './routes/web/index.ts';
import whatIfRoutes from './routes/what-if/index.ts';
import { serializerCompiler, validatorCompiler } from './validation.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export interface AppOptions {
  readonly config: Config;
  /** An open database to use instead of the configured one (tests); the caller closes it. */
  readonly store?: Store | undefined;
  /** A compute pool to use instead of the configured one (tests); the caller closes it. */
  readonly compute?: ComputePool | undefined;
  /** The light lane's pool, with `compute` (tests); the same pool when absent. */
  readonly lightCompute?: ComputePool | undefined;
}

/** Query parameters whose value is never logged: anything named like a key or a secret. */
const SECRET_PARAM = /key|token|secret|passw|auth|sig|credential/i;

/**
 * A URL as it may be logged: the value of every key-like query parameter replaced.
 * @example redactUrl('/v1/forecasts?api_key=abc&limit=5') //=> '/v1/forecasts?api_key=[REDACTED]&limit=5'
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {}
      return SECRET_PARAM.test(decoded) ? `${name}=[REDACTED]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** Fastify's own options for this app (the logger, body limit…); timeouts are server.ts's. */
export function fastifyOptions(config: Config): FastifyServerOptions {
  return {
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            // No key or secret reaches a log line: the request is logged without its headers,
            // and its URL without the value of any key-like query parameter.
            serializers: {
              req: (req: FastifyRequest) => ({
                method: req.method,
                url: redactUrl(req.url),
                host: req.hostname,
                remoteAddress: req.ip,
                remotePort: req.socket?.remotePort ?? 0,
              }),
            },
          },
    bodyLimit: config.limits.jsonBodyBytes,
    // A request Node's parser refuses (a control character in a header…) gets our error body.
    clientErrorHandler,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
  };
}

/** Fastify errors that are the client's doing, as our codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_PROTO_VIOLATION: 'bad_request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'invalid_request',
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  payload_too_large: 'the request body is larger than allowed',
  unsupported_media_type: 'this Content-Type is not accepted here',
};

/** The scheduler's refusals: over budget 422, busy 429, stopped 503. */
const REFUSALS = {
  over_budget: [422, 'over_budget'],
  busy: [429, 'busy'],
  deadline: [503, 'deadline_exceeded'],
  cancelled: [503, 'cancelled'],
} as const satisfies Record<RefusalReason, readonly [number, ErrorCode]>;

function refusal(err: ComputeRefused): HttpError {
  const [status, code] = REFUSALS[err.reason];
  return new HttpError(status, code, err.message);
}

/** One error shape for everything: full context in the log, `message` to the client below 500. */
function errorHandler(err: FastifyError | HttpError, req: FastifyRequest, reply: FastifyReply) {
  let error: HttpError;
  if (err instanceof HttpError) error = err;
  else if (err instanceof ComputeRefused) {
    error = refusal(err);
    if (err.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(err.retryAfterSeconds));
  } else {
    const status = err.statusCode ?? 500;
    if (status >= 500 || status < 400) {
      req.log.error(
        { err, req: { method: req.method, url: redactUrl(req.url), params: req.params } },
        'request failed',
      );
      error = new HttpError(500, 'internal', 'internal server error');
    } else {
      const code =
        err.code === 'FST_FILES_LIMIT'
          ? 'bad_request'
          : (FASTIFY_CODES[err.code] ?? (status === 413 ? 'payload_too_large' : 'bad_request'));
      const status2 =
        code === 'unsupported_media_type' ? 415 : err.code === 'FST_FILES_LIMIT' ? 400 : status;
      const message =
        err.code === 'FST_FILES_LIMIT'
          ? 'send one file per upload: the form has more than one file'
          : err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
            ? `the body is not valid JSON: ${err.message}`
            : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
              ? 'the JSON body is empty'
              : (MESSAGES[code] ?? err.message);
      error = new HttpError(status2, code, message);
    }
  }
  if (error.statusCode < 500)
    req.log.info({ code: error.code, status: error.statusCode }, error.message);
  else if (err instanceof HttpError) req.log.error({ err }, error.message);
  if (error.statusCode === 413 || error.statusCode === 415) reply.header('connection', 'close');
  return sendError(req, reply, error);
}

/** An error body in the language the client asks for (`Accept-Language`: fr or en, default en). */
function sendError(req: FastifyRequest, reply: FastifyReply, error: HttpError) {
  const locale = negotiate(req.headers['accept-language']);
  return reply
    .code(error.statusCode)
    .header('content-language', locale)
    .header('vary', 'Accept-Language')
    .send(localizedBody(error.body(), locale));
}

/** The costcast service as a plugin: external plugins, services, routes, in a fixed order. */
async function costcast(app: FastifyInstance, opts: AppOptions) {
  await app.register(
    fp(
      async (a: FastifyInstance) => {
        a.decorate('config', opts.config);
      },
      { name: 'config' },
    ),
  );
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON bodies are application/json; a text/plain body is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((req, reply) =>
    sendError(
      req,
      reply,
      new HttpError(404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`),
    ),
  );

  // Answers still under way when the app starts closing end their connection: a keep-alive
  // client would otherwise hold the shutdown open until its keep-alive timeout.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  // The headers the service reads hold printable text, else a 400 naming the header.
  app.addHook('onRequest', checkRequestHeaders);

  // External plugins, in this order.
  await app.register(helmetPlugin);
  await app.register(swaggerPlugin);
  await app.register(multipartPlugin);
  await app.register(rateLimitPlugin);
  await app.register(dbPlugin, { store: opts.store });

  // The app's services.
  await app.register(authPlugin);
  await app.register(auditPlugin);
  await app.register(computePlugin, { pool: opts.compute, lightPool: opts.lightCompute });
  await app.register(servicesPlugin);

  // Routes, one folder per resource.
  await app.register(healthRoutes);
  await app.register(keysRoutes, { prefix: '/v1/keys' });
  await app.register(priceSheetsRoutes, { prefix: '/v1/price-sheets' });
  await app.register(assumptionsRoutes, { prefix: '/v1/assumptions' });
  await app.register(forecastsRoutes, { prefix: '/v1/forecasts' });
  await app.register(forecastVarianceRoutes, { prefix: '/v1/forecasts' });
  await app.register(whatIfRoutes, { prefix: '/v1/what-if' });
  await app.register(pricesRoutes, { prefix: '/v1/prices' });
  await app.register(quarterForecastRoutes, { prefix: '/v1/quarters' });
  await app.register(quarterCloseRoutes, { prefix: '/v1/quarters' });
  await app.register(auditRoutes, { prefix: '/v1/audit' });
  await app.register(sessionRoutes, { prefix: '/v1/session' });
  // The web interface's pages and built files.
  await app.register(webRoutes);
}

export default fp(costcast, { name: 'costcast' });

/**
 * A ready app: Fastify with this app's options (plus `extra`, e.g. timeouts) and the costcast
 * plugin. Used by server.ts and by the tests.
 */
export async function buildApp(
  opts: AppOptions,
  extra: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...fastifyOptions(opts.config),
    ...extra,
  }).withTypeProvider<ZodTypeProvider>();
  try {
    await app.register(fp(costcast, { name: 'costcast' }), opts);
    await app.ready();
  } catch (e) {
    await app.close().catch(() => {});
    throw e;
  }
  return app;
}
