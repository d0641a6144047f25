import type { Payload, PayloadCodec } from '@temporalio/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { z } from 'zod';

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
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const fromWire = (body: WirePayloads): Payload[] =>
  body.payloads.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
    ),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  }));

const toWire = (payloads: Payload[]): WirePayloads => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? []).toString('base64'),
  })),
});

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Compares digests so the time taken says nothing about how much of the token was right. */
const sameToken = (given: string, token: string): boolean => timingSafeEqual(digest(given), digest(token));

/** The operation and the token the request carries, from `/t/<token>/decode` or `/decode`. */
function route(req: IncomingMessage): { op: string; token: string | undefined } {
  const path = new URL(req.url ?? '/', 'http://codec.invalid').pathname;
  const prefixed = /^\/t\/([^/]+)(\/[^/]*)$/.exec(path);
  const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (prefixed !== null) return { op: prefixed[2] ?? '', token: decodeURIComponent(prefixed[1] ?? '') };
  return { op: path, token: header };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'TooLarge', `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'InputError', 'request body is not JSON');
  }
}

function corsHeaders(req: IncomingMessage, allowed: string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || !allowed.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) });
  res.end(text);
}

async function transform(req: IncomingMessage, codec: PayloadCodec, op: string): Promise<WirePayloads> {
  const parsed = WirePayloads.safeParse(await readBody(req));
  if (!parsed.success) throw new HttpError(400, 'InputError', z.prettifyError(parsed.error));
  const payloads = fromWire(parsed.data);
  try {
    return toWire(op === '/encode' ? await codec.encode(payloads) : await codec.decode(payloads));
  } catch (err) {
    // Missing key, altered payload: the request was fine, the payloads cannot be processed.
    throw new HttpError(422, (err as Error).name, (err as Error).message);
  }
}

/** The request handler alone, for mounting under another server (the HTTP API). */
export function codecRequestHandler(opts: CodecServerOptions): RequestListener {
  const allowed = opts.allowedOrigins ?? DEFAULT_UI_ORIGINS;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const cors = corsHeaders(req, allowed);
    if (req.method === 'OPTIONS') {
      // Browsers send preflights without credentials; they only learn what the real call may carry.
      const preflight: Record<string, string> =
        cors['Access-Control-Allow-Origin'] === undefined
          ? {}
          : {
              'Access-Control-Allow-Methods': 'POST, OPTIONS',
              'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
              'Access-Control-Max-Age': '600',
            };
      return send(res, 204, { ...cors, ...preflight });
    }
    try {
      const { op, token } = route(req);
      if (token === undefined || !sameToken(token, opts.token)) {
        throw new HttpError(401, 'Unauthorized', 'a valid codec token is required (Authorization: Bearer <token>)');
      }
      if (op !== '/encode' && op !== '/decode')
        throw new HttpError(404, 'NotFound', 'the codec server answers POST /encode and POST /decode');
      if (req.method !== 'POST') throw new HttpError(405, 'MethodNotAllowed', `${op} takes POST`);
      send(res, 200, cors, await transform(req, opts.codec, op));
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'Error', 'the codec server failed');
      const auth: Record<string, string> =
        e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="disclosure-codec"' } : {};
      send(res, e.status, { ...cors, ...auth }, { error: { type: e.type, message: e.message } });
    }
  };
  return (req, res) => void handle(req, res);
}

export interface CodecServer {
  /** http://host:port — call with `Authorization: Bearer <token>`. */
  url: string;
  /** The endpoint to give the Temporal UI: the token rides in the path. */
  uiEndpoint: string;
  stop(): Promise<void>;
}

/** Listens on loopback unless told otherwise; port 0 takes any free port. */
export async function startCodecServer(
  opts: CodecServerOptions & { host?: string; port?: number },
): Promise<CodecServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer(codecRequestHandler(opts));
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  const url = `http://${host}:${port}`;
  return {
    url,
    uiEndpoint: `${url}/t/${encodeURIComponent(opts.token)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
