import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../infra/logger';
import type { App, TlsFiles } from './http/base';
import { createBaseApp } from './http/base';
import { HttpError } from './http/errors';
import { ErrorBody } from './schemas';

/**
 * The codec server the Temporal UI (and `temporal --codec-endpoint`) calls to show encrypted
 * histories to people holding the token: POST /encode and POST /decode in Temporal's remote
 * codec JSON format. The token travels as `Authorization: Bearer …`, or, for the UI (which has
 * no way to add a header of its own), as a path prefix `/t/<token>` in the endpoint it is given.
 */
export const DEFAULT_UI_ORIGINS = ['http://127.0.0.1:8233', 'http://localhost:8233'];

const MAX_BODY_BYTES = 8 * 1024 * 1024;

const Base64 = z.base64();
const WirePayloads = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).nullish(), data: Base64.nullish() })),
});
type WirePayloads = z.infer<typeof WirePayloads>;

export interface CodecServerOptions {
  codec: PayloadCodec;
  token: string;
  /** Browser origins allowed to call (the Temporal UI's); others get no CORS headers. */
  allowedOrigins?: string[];
  log?: Logger | undefined;
  tls?: TlsFiles | undefined;
  /** Requests per minute for one token (the UI decodes a page of events per call). */
  perTokenPerMinute?: number;
  /**
   * POST /encode lets a token holder encrypt anything under the engine's keys (and so forge
   * payloads); the UI only decodes, so it is off unless asked for (DISCLOSURE_CODEC_ENCODE=1).
   */
  allowEncode?: boolean;
}

const fromWire = (body: WirePayloads): Payload[] =>
  body.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  }));

const toWire = (payloads: Payload[]): WirePayloads => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  })),
});

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Compares digests so the time taken says nothing about how much of the token was right. */
const sameToken = (given: string, token: string): boolean => timingSafeEqual(digest(given), digest(token));

/** The token the request carries: in the path (`/t/<token>/…`) or as a bearer header. */
function tokenOf(request: FastifyRequest): string | undefined {
  const inPath = (request.params as { token?: string } | undefined)?.token;
  if (inPath !== undefined) return inPath;
  return /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

function corsHeaders(request: FastifyRequest, allowed: string[]): Record<string, string> {
  const origin = request.headers.origin;
  if (origin === undefined || !allowed.includes(origin)) return {};
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
}

const UNAUTHORIZED = () => new HttpError(401, 'Unauthorized', 'a valid codec token is required (Authorization: Bearer <token>)');

async function transform(codec: PayloadCodec, op: 'encode' | 'decode', body: WirePayloads): Promise<WirePayloads> {
  const payloads = fromWire(body);
  try {
    return toWire(op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads));
  } catch (err) {
    // Missing key, altered payload: the request was fine, the payloads cannot be processed.
    throw new HttpError(422, (err as Error).name, (err as Error).message);
  }
}

/** The codec routes on an app of the engine's framework (its own server, or mounted elsewhere). */
export function registerCodecRoutes(app: App, opts: CodecServerOptions): void {
  const allowed = opts.allowedOrigins ?? DEFAULT_UI_ORIGINS;
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.headers(corsHeaders(request, allowed));
    if (request.method === 'OPTIONS') return;
    const token = tokenOf(request);
    if (token === undefined || !sameToken(token, opts.token)) throw UNAUTHORIZED();
  };
  app.addHook('onRequest', guard);
  // Browsers send preflights without credentials; they only learn what the real call may carry.
  app.options('/*', async (request, reply) => {
    if (corsHeaders(request, allowed)['Access-Control-Allow-Origin'] !== undefined) {
      void reply.headers({
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
        'Access-Control-Max-Age': '600',
      });
    }
    return reply.code(204).send();
  });
  for (const op of ['encode', 'decode'] as const) {
    for (const url of [`/${op}`, `/t/:token/${op}`]) {
      app.withTypeProvider<ZodTypeProvider>().post(
        url,
        {
          preValidation: async (request) => {
            if (request.body === undefined) (request as { body: unknown }).body = {};
          },
          schema: { body: WirePayloads, response: { 200: WirePayloads, '4xx': ErrorBody, '5xx': ErrorBody } },
        },
        async (request) => {
          if (op === 'encode' && opts.allowEncode !== true) {
            throw new HttpError(403, 'EncodeDisabled', '/encode is off; set DISCLOSURE_CODEC_ENCODE=1 to turn it on');
          }
          return transform(opts.codec, op, request.body);
        },
      );
    }
  }
  app.setNotFoundHandler(async () => {
    throw new HttpError(404, 'NotFound', 'the codec server answers POST /encode and POST /decode');
  });
}

export interface CodecServer {
  /** http://host:port — call with `Authorization: Bearer <token>`. */
  url: string;
  /** The endpoint to give the Temporal UI: the token rides in the path. */
  uiEndpoint: string;
  stop(): Promise<void>;
}

/** Listens on loopback unless told otherwise; port 0 takes any free port. */
export async function startCodecServer(opts: CodecServerOptions & { host?: string; port?: number }): Promise<CodecServer> {
  const host = opts.host ?? '127.0.0.1';
  const app = createBaseApp({
    service: 'codec',
    crossOrigin: true,
    anyContentTypeIsJson: true,
    log: opts.log,
    bodyLimit: MAX_BODY_BYTES,
    tls: opts.tls,
    rateLimit: {
      windowMs: 60_000,
      key: (request) => `token:${digest(tokenOf(request) ?? `address:${request.ip}`).toString('hex')}`,
      max: () => opts.perTokenPerMinute ?? 3000,
    },
  });
  registerCodecRoutes(app, opts);
  await app.listen({ port: opts.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const url = `${opts.tls !== undefined ? 'https' : 'http'}://${host}:${port}`;
  return {
    url,
    uiEndpoint: `${url}/t/${encodeURIComponent(opts.token)}`,
    stop: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
