import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../infra/logger';
import { silentLogger } from '../../infra/logger';
import { InputError } from '../../service/errors';
import { errorAnswer, HttpError } from './errors';

export type App = FastifyInstance;
export type ZodApp = ReturnType<App['withTypeProvider']> & FastifyInstance;

/** Certificate and key (PEM files' contents) for serving HTTPS directly. */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface BaseOptions {
  /** The access log and server errors go here (the engine's redacting logger). */
  log?: Logger | undefined;
  bodyLimit: number;
  tls?: TlsFiles | undefined;
  /** Behind a reverse proxy: which hops to trust for the client address and protocol (fastify's `trustProxy`). */
  trustProxy?: boolean | string | string[] | undefined;
  /** A part of the access log: the service it serves. */
  service: string;
  rateLimit: RateLimit;
  /** Cross-origin callers (the Temporal UI calling the codec server) need the resource policy relaxed. */
  crossOrigin?: boolean | undefined;
  /** Read every body as JSON whatever its content type (the codec server's callers do not all set one). */
  anyContentTypeIsJson?: boolean | undefined;
}

/** Requests allowed per window and bucket; `key` names the bucket (a token's digest, an address). */
export interface RateLimit {
  windowMs: number;
  key(request: FastifyRequest): string;
  max(key: string): number;
}

function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown, log: Logger) {
  const { status, body } = errorAnswer(err, request.id);
  if (status >= 500) log.error('request failed', { requestId: request.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  if (status === 401) void reply.header('www-authenticate', 'Bearer');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** JSON with fastify's own parser (prototype poisoning refused); an empty body is none. */
function tolerantJson(app: App) {
  const json = app.getDefaultJsonParser('error', 'error');
  return (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    if (typeof body !== 'string' || body.trim() === '') return done(null, undefined);
    json(req, body, (err, value) => {
      if (err !== null) return done(new InputError([{ field: '(body)', message: `not valid JSON: ${err.message}` }]), undefined);
      done(null, value);
    });
  };
}

/**
 * The parts every HTTP server of the engine shares: zod validation and serialisation, request
 * ids (answered as `x-request-id`), security headers, a body limit, an access log that names
 * the route pattern (never the path, which may carry a token), and errors as JSON — a malformed
 * URL or body is a 400, and no answer ever carries a stack trace.
 */
export function createBaseApp(opts: BaseOptions): App {
  const log = opts.log ?? silentLogger;
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Acknowledgement and codec tokens ride in the path.
    routerOptions: { maxParamLength: 1024 },
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
    ...(opts.tls !== undefined ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
    frameworkErrors: (err, request, reply) => {
      const malformed = err.code === 'FST_ERR_BAD_URL' ? Object.assign(new Error('the URL is not validly percent-encoded'), { statusCode: 400, code: 'BadUrl' }) : err;
      return sendError(request as FastifyRequest, reply as FastifyReply, malformed, log);
    },
  }) as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // An empty JSON body is no body (as before): a POST without one reaches the role check.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, tolerantJson(app));
  if (opts.anyContentTypeIsJson === true) {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, tolerantJson(app));
  }

  app.register(helmet, {
    global: true,
    // Over plain HTTP (loopback, or TLS ended at a proxy) an upgrade would send the ack form elsewhere.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: opts.tls !== undefined ? [] : null } },
    ...(opts.crossOrigin === true ? { crossOriginResourcePolicy: { policy: 'cross-origin' as const } } : {}),
  });
  app.register(rateLimit, {
    global: true,
    timeWindow: opts.rateLimit.windowMs,
    keyGenerator: (request) => opts.rateLimit.key(request),
    max: (_request, key) => opts.rateLimit.max(key),
    errorResponseBuilder: (_request, ctx) => new HttpError(429, 'TooManyRequests', `more than ${ctx.max} requests in ${ctx.after}; try again later`),
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id).header('cache-control', 'no-store');
  });
  app.addHook('onResponse', async (request, reply) => {
    log.info('http', {
      service: opts.service,
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });
  app.setErrorHandler((err, request, reply) => sendError(request, reply, err, log));
  return app;
}
