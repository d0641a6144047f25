import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Role } from '../../api/auth';
import { addToken, fileTokenRegistry } from '../../api/auth';
import type { AnyRoute, ApiDeps } from '../../api/route';
import { route } from '../../api/route';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import { createLogger } from '../../infra/logger';

/**
 * The HTTP layer itself — errors, headers, limits, request ids, the access log, the docs — on a
 * server with a few routes of the test's own; the engine's routes are covered by api.test.ts.
 */
const Echo = z.object({ text: z.string().min(1) });
const ROUTES: AnyRoute[] = [
  route({
    method: 'POST',
    path: '/api/echo',
    operationId: 'echo',
    summary: 'echo',
    roles: ['requester'],
    body: Echo,
    responses: { 200: Echo },
    handle: async (_deps, { body }) => ({ body }),
  }),
  route({
    method: 'GET',
    path: '/api/things/:id',
    operationId: 'thing',
    summary: 'a thing',
    roles: ['requester'],
    responses: { 200: z.object({ id: z.string() }) },
    handle: async (_deps, { params }) => {
      if (params.id === 'boom') throw new Error('internal detail: password=hunter2');
      return { body: { id: params.id ?? '' } };
    },
  }),
  route({
    method: 'GET',
    path: '/open/:token',
    operationId: 'open',
    summary: 'public',
    roles: 'public',
    responses: { 200: z.object({ ok: z.boolean() }) },
    handle: async () => ({ body: { ok: true } }),
  }),
];

let dir: string;
let api: ApiServer;
const lines: string[] = [];
const tokens: Partial<Record<Role | 'second', string>> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'http-layer-'));
  const file = path.join(dir, 'tokens.json');
  tokens.requester = (await addToken(file, { role: 'requester', name: 'staff:ito' })).token;
  tokens.second = (await addToken(file, { role: 'requester', name: 'staff:abe' })).token;
  api = await startApiServer({
    deps: {} as ApiDeps,
    tokens: fileTokenRegistry(file),
    routes: ROUTES,
    log: createLogger((l) => lines.push(l)),
  });
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const call = async (p: string, init: RequestInit & { token?: string | undefined } = {}) => {
  const { token, ...rest } = init;
  const res = await fetch(`${api.url}${p}`, {
    ...rest,
    headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...(rest.headers as Record<string, string> | undefined) },
  });
  const text = await res.text();
  return { res, text, json: res.headers.get('content-type')?.includes('json') === true ? (JSON.parse(text) as { error?: { type: string; message: string } }) : undefined };
};

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);

describe('the HTTP layer', () => {
  test('a malformed percent-encoding in the path is a 400 with a JSON error, not a 500 or a stack', async () => {
    const { res, json, text } = await call('/api/things/%E0%A4%A', { token: tokens.requester });
    expect(res.status).toBe(400);
    expect(json?.error?.type).toBe('BadUrl');
    noStack(text);
  });

  test('a body that is not JSON, or too large, is refused with a JSON error naming what was wrong', async () => {
    const post = (body: string) => call('/api/echo', { method: 'POST', token: tokens.second, body, headers: { 'content-type': 'application/json' } });
    const broken = await post('{"text": ');
    expect(broken.res.status).toBe(400);
    expect(broken.json?.error?.message).toContain('not valid JSON');
    noStack(broken.text);
    const huge = await post(JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) }));
    expect(huge.res.status).toBe(413);
    expect(huge.json?.error).toBeDefined();
    const invalid = await post(JSON.stringify({ text: '' }));
    expect(invalid.res.status).toBe(400);
    expect(invalid.json).toMatchObject({ error: { type: 'InputError', issues: [{ field: 'text' }] } });
  });

  test('an unexpected failure is a 500 that names the request id and nothing of the error', async () => {
    const { res, json, text } = await call('/api/things/boom', { token: tokens.requester });
    expect(res.status).toBe(500);
    expect(json?.error?.message).toContain(res.headers.get('x-request-id')!);
    expect(text).not.toContain('hunter2');
    noStack(text);
  });

  test('every answer carries a request id and security headers; unknown paths are JSON 404s', async () => {
    const a = await call('/nowhere');
    const b = await call('/nowhere');
    expect(a.res.status).toBe(404);
    expect(a.json?.error?.type).toBe('NotFound');
    expect(a.res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.res.headers.get('x-request-id')).not.toBe(b.res.headers.get('x-request-id'));
    expect(a.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(a.res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  test('the access log names the route pattern, status and request id, never the token in the path', async () => {
    const secret = `tok-${randomBytes(8).toString('hex')}`;
    const { res } = await call(`/open/${secret}`);
    const id = res.headers.get('x-request-id')!;
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === id);
    expect(line).toMatchObject({ message: 'http', method: 'GET', route: '/open/:token', status: 200, service: 'api' });
    expect(lines.join('\n')).not.toContain(secret);
  });

  test('the OpenAPI document has operation ids and request and response schemas; the docs page is served', async () => {
    const doc = (await call('/openapi.json')).json as unknown as {
      paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: { properties?: object } }> }> }>>;
    };
    const echo = doc.paths['/api/echo']!.post!;
    expect(echo.operationId).toBe('echo');
    expect(echo.requestBody).toBeDefined();
    expect(Object.keys(echo.responses['200']!.content!['application/json']!.schema.properties!)).toEqual(['text']);
    expect(echo.responses['4XX'] ?? echo.responses['4xx']).toBeDefined();
    expect(doc.paths['/api/things/{id}']!.get!.operationId).toBe('thing');
    const docs = await fetch(`${api.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  test('rate limits: per token, so one busy token does not block another; per address on public routes', async () => {
    const busy = await startApiServer({
      deps: {} as ApiDeps,
      tokens: fileTokenRegistry(path.join(dir, 'tokens.json')),
      routes: ROUTES,
      limits: { perToken: 8, perAddress: 5, windowMs: 60_000 },
    });
    const main = api;
    api = busy;
    try {
      await rateLimits();
    } finally {
      api = main;
      await busy.close();
    }
  });

  async function rateLimits() {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call('/api/things/a', { token: tokens.requester })).res.status);
    expect(statuses).toEqual([...Array<number>(8).fill(200), 429, 429]);
    const limited = await call('/api/things/a', { token: tokens.requester });
    expect(limited.res.status).toBe(429);
    expect(limited.json?.error?.type).toBe('TooManyRequests');
    expect((await call('/api/things/a', { token: tokens.second })).res.status).toBe(200);

    const open: number[] = [];
    for (let i = 0; i < 8; i++) open.push((await call(`/open/t${i}`)).res.status);
    expect(open.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(open.slice(5)).toEqual([429, 429, 429]);
  }
});
