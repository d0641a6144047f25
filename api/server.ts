import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError, NotFoundError, RefusedError, TamperError, parseInput } from '../service/errors';
import { LedgerTamperError } from '../store/record-check';
import type { Principal, TokenRegistry } from './auth';
import { buildOpenApi } from './openapi';
import type { AnyRoute, ApiDeps } from './route';
import { HttpError } from './route';
import { ROUTES } from './routes';

const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) return undefined;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'TooLarge', `the request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError([{ field: '(body)', message: `not valid JSON: ${(err as Error).message}` }]);
  }
}

function errorResponse(err: unknown): { status: number; body: unknown } {
  if (err instanceof HttpError) return { status: err.status, body: { error: { type: err.type, message: err.message, details: err.details } } };
  if (err instanceof InputError) return { status: 400, body: { error: { type: 'InputError', message: err.message, issues: err.issues } } };
  if (err instanceof NotFoundError) return { status: 404, body: { error: { type: 'NotFound', message: err.message } } };
  if (err instanceof RefusedError) return { status: 422, body: { error: { type: 'Refused', message: err.message, details: err.refusal } } };
  if (err instanceof TamperError) return { status: 409, body: { error: { type: 'Tamper', message: err.message, details: err.details } } };
  if (err instanceof LedgerTamperError) {
    return { status: 409, body: { error: { type: 'Tamper', message: err.message, details: { seq: err.seq, recordId: err.recordId, problem: err.problem } } } };
  }
  return { status: 500, body: { error: { type: 'Error', message: err instanceof Error ? err.message : String(err) } } };
}

function send(res: ServerResponse, status: number, body: unknown, html?: string): void {
  const text = html ?? `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    'content-type': html !== undefined ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
  res.end(text);
}

/** Who may call: checked before the body is read, so a refused caller cannot cause any work. */
async function authorise(route: AnyRoute, req: IncomingMessage, tokens: TokenRegistry): Promise<Principal | undefined> {
  if (route.roles === 'public') return undefined;
  const principal = await tokens.authenticate(req.headers.authorization);
  if (principal === undefined) throw new HttpError(401, 'Unauthorized', 'a valid bearer token is required');
  if (!route.roles.includes(principal.role)) {
    throw new HttpError(403, 'Forbidden', `the ${principal.role} role may not ${route.method} ${route.path}`);
  }
  return principal;
}

async function dispatch(deps: ApiDeps, tokens: TokenRegistry, routes: readonly AnyRoute[], req: IncomingMessage) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/openapi.json') return { status: 200, body: buildOpenApi(routes) };
  const matches = routes.map((r) => ({ r, params: matchPath(r.path, url.pathname) })).filter((m) => m.params !== undefined);
  if (matches.length === 0) throw new HttpError(404, 'NotFound', `no such endpoint ${url.pathname}`);
  const match = matches.find((m) => m.r.method === req.method);
  if (match === undefined) throw new HttpError(405, 'MethodNotAllowed', `${url.pathname} accepts ${matches.map((m) => m.r.method).join(', ')}`);
  const { r: route, params } = match;
  const principal = await authorise(route, req, tokens);
  const rawBody = req.method === 'POST' ? await readBody(req) : undefined;
  const body = route.body !== undefined ? parseInput(route.body, rawBody ?? {}) : undefined;
  const query = route.query !== undefined ? parseInput(route.query, Object.fromEntries(url.searchParams)) : undefined;
  return route.handle(deps, { principal, params: params ?? {}, body, query });
}

/** The HTTP API on loopback only: the same service functions as the command line, JSON in and out. */
export async function startApiServer(opts: {
  deps: ApiDeps;
  tokens: TokenRegistry;
  port?: number;
  host?: string;
  routes?: readonly AnyRoute[];
}): Promise<ApiServer> {
  const routes = opts.routes ?? ROUTES;
  const server = createServer((req, res) => {
    dispatch(opts.deps, opts.tokens, routes, req).then(
      (out) => send(res, out.status ?? 200, out.body, 'html' in out ? out.html : undefined),
      (err: unknown) => {
        const { status, body } = errorResponse(err);
        send(res, status, body);
      },
    );
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
