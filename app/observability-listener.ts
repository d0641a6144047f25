import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlainEndpoint } from '../api/observability';
import type { ListenAddress } from '../infra/listen-address';

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
