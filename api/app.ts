import { negotiate } from '@fastify/accept-negotiator';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CSV_MEDIA_TYPE } from '../domain/csv';
import type { Logger } from '../infra/logger';
import type { Principal, TokenRegistry } from './auth';
import type { App, TlsFiles } from './http/base';
import { createBaseApp } from './http/base';
import { HttpError } from './http/errors';
import type { AnyRoute, ApiDeps } from './route';
import { ROUTES } from './routes';
import { ErrorBody } from './schemas';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by the role check of a guarded route. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** A route anyone may call: rate-limited per address rather than per token. */
    public?: boolean;
  }
}

export const API_BODY_LIMIT = 1024 * 1024;

export interface ApiLimits {
  /** Requests per window for one bearer token. */
  perToken: number;
  /** Requests per window from one address without a token, and on public routes. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = { perToken: 600, perAddress: 120, windowMs: 60_000 };

export interface ApiOptions {
  deps: ApiDeps;
  tokens: TokenRegistry;
  routes?: readonly AnyRoute[] | undefined;
  log?: Logger | undefined;
  tls?: TlsFiles | undefined;
  trustProxy?: boolean | string | string[] | undefined;
  limits?: Partial<ApiLimits> | undefined;
}

const bearerOf = (request: FastifyRequest): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];

/** A token's bucket is named by its digest, so the limiter's memory holds no working token. */
function rateKey(request: FastifyRequest): string {
  const token = bearerOf(request);
  if (request.routeOptions.config.public === true || token === undefined) return `address:${request.ip}`;
  return `token:${createHash('sha256').update(token).digest('hex')}`;
}

/** Who may call: checked before the body is read, so a refused caller cannot cause any work. */
async function authorise(route: AnyRoute, request: FastifyRequest, tokens: TokenRegistry): Promise<Principal | undefined> {
  if (route.roles === 'public') return undefined;
  const principal = await tokens.authenticate(request.headers.authorization);
  if (principal === undefined) throw new HttpError(401, 'Unauthorized', 'a valid bearer token is required');
  if (!route.roles.includes(principal.role)) throw new HttpError(403, 'Forbidden', `the ${principal.role} role may not ${route.method} ${route.path}`);
  return principal;
}

const paramsOf = (path: string) => {
  const names = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
  return names.length === 0 ? undefined : z.object(Object.fromEntries(names.map((n) => [n, z.string().min(1)])));
};

const CsvFile = z.string().describe('CSV: UTF-8 with a byte order mark, CRLF line ends, one header line; cells that would start a spreadsheet formula begin with an apostrophe');

function responsesOf(r: AnyRoute): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(r.responses)) {
    if (r.page === true) out[status] = { description: schema.description ?? 'a page', content: { 'text/html': { schema } } };
    else if (r.csv !== undefined) out[status] = { description: schema.description ?? 'done', content: { 'application/json': { schema }, 'text/csv': { schema: CsvFile } } };
    else out[status] = schema;
  }
  return { ...out, '4xx': ErrorBody, '5xx': ErrorBody };
}

function addRoute(app: App, r: AnyRoute, opts: ApiOptions): void {
  const params = paramsOf(r.path);
  app.withTypeProvider<ZodTypeProvider>().route({
    method: r.method,
    url: r.path,
    config: { public: r.roles === 'public' },
    schema: {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.roles === 'public' ? { security: [] } : { 'x-roles': r.roles }),
      ...(params !== undefined ? { params } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
      ...(r.query !== undefined ? { querystring: r.query } : {}),
      response: responsesOf(r),
    },
    onRequest: async (request) => {
      request.principal = await authorise(r, request, opts.tokens);
    },
    preValidation: async (request) => {
      if (r.body !== undefined && request.body === undefined) request.body = {};
    },
    handler: async (request, reply) => {
      const out = await r.handle(opts.deps, {
        principal: request.principal,
        params: (request.params ?? {}) as Record<string, string>,
        body: request.body,
        query: request.query,
        format: r.csv !== undefined && wantsCsv(request) ? 'csv' : 'json',
      });
      reply.code(out.status ?? 200);
      if (out.html !== undefined) return reply.type('text/html; charset=utf-8').send(out.html);
      if (out.csv !== undefined) return reply.type(CSV_MEDIA_TYPE).header('content-disposition', `attachment; filename="${r.csv}"`).send(out.csv);
      return reply.send(out.body);
    },
  });
}

/** `?format=csv` decides; without it, an Accept header that prefers text/csv to JSON. */
function wantsCsv(request: FastifyRequest): boolean {
  const asked = (request.query as { format?: unknown } | undefined)?.format;
  if (asked !== undefined) return asked === 'csv';
  return negotiate(request.headers.accept ?? '', ['application/json', 'text/csv']) === 'text/csv';
}

/** A path that exists but not with this method is a 405 naming the methods it takes. */
function addMethodNotAllowed(app: App, routes: readonly AnyRoute[]): void {
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) (byPath.get(r.path) ?? byPath.set(r.path, new Set()).get(r.path)!).add(r.method);
  for (const [path, methods] of byPath) {
    const missing = (['GET', 'POST'] as const).filter((m) => !methods.has(m));
    if (missing.length === 0) continue;
    app.route({
      method: missing,
      url: path,
      schema: { hide: true } as Record<string, unknown>,
      handler: async () => {
        throw new HttpError(405, 'MethodNotAllowed', `this endpoint accepts ${[...methods].join(', ')}`);
      },
    });
  }
}

/**
 * The engine's HTTP server, not yet listening: the API routes with their role checks, the
 * OpenAPI document (`/openapi.json`) and its docs page (`/docs`), security headers, rate limits,
 * request ids and the access log. Other parts (the web console, health checks) add their routes
 * and plugins with `app.register(…)` before the server listens.
 */
export async function buildApiApp(opts: ApiOptions): Promise<App> {
  const routes = opts.routes ?? ROUTES;
  const limits = { ...DEFAULT_API_LIMITS, ...opts.limits };
  const app = createBaseApp({
    service: 'api',
    log: opts.log,
    bodyLimit: API_BODY_LIMIT,
    tls: opts.tls,
    trustProxy: opts.trustProxy,
    rateLimit: { windowMs: limits.windowMs, key: rateKey, max: (key) => (key.startsWith('token:') ? limits.perToken : limits.perAddress) },
  });
  app.decorateRequest('principal', undefined);
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Disclosure engine API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } as Record<string, unknown>, config: { public: true } }, async () => app.swagger());
  for (const r of routes) addRoute(app, r, opts);
  addMethodNotAllowed(app, routes);
  app.setNotFoundHandler(async (request) => {
    throw new HttpError(404, 'NotFound', `no such endpoint ${request.method} ${new URL(request.url, 'http://x').pathname}`);
  });
  return app;
}
