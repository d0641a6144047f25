import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { PlainEndpoint } from '../api/observability';

export const METRICS_ADDRESS_ENV = 'DISCLOSURE_METRICS_ADDRESS';

/** `host:port`, e.g. `127.0.0.1:9464` or `0.0.0.0:9464`; port 0 picks a free one. */
export const ListenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9464')
  .transform((value) => {
    const at = value.lastIndexOf(':');
    return { host: value.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(value.slice(at + 1)) };
  })
  .refine((a) => a.port <= 65535, 'the port must be at most 65535');
export type ListenAddress = z.infer<typeof ListenAddress>;

/** A bad DISCLOSURE_METRICS_ADDRESS, named with its value and the accepted form. */
export class ListenAddressError extends Error {
  override name = 'ListenAddressError';
}

export function parseListenAddress(variable: string, value: string): ListenAddress {
  const parsed = ListenAddress.safeParse(value);
  if (!parsed.success) {
    throw new ListenAddressError(`${variable}=${JSON.stringify(value)} is not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}

export interface ObservabilityListener {
  url: string;
  close(): Promise<void>;
}

/**
 * The worker's small HTTP listener: GET on the observability endpoints, 404 for anything else,
 * 405 for other methods. No request body is ever read.
 */
export async function startObservabilityListener(address: ListenAddress, endpoints: readonly PlainEndpoint[]): Promise<ObservabilityListener> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const endpoint = endpoints.find((e) => e.path === path);
    const reply = (status: number, contentType: string, body: string): void => {
      res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (endpoint === undefined) return reply(404, 'text/plain; charset=utf-8', `no such endpoint ${path}; try ${endpoints.map((e) => e.path).join(', ')}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'text/plain; charset=utf-8', `${path} accepts GET\n`);
    endpoint.handle().then(
      (out) => reply(out.status, out.contentType, out.body),
      (err: unknown) => reply(500, 'text/plain; charset=utf-8', `${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
