import type { AddressInfo } from 'node:net';
import type { ApiOptions } from './app';
import { buildApiApp } from './app';
import type { App } from './http/base';

export interface ApiServer {
  /** The address the server is bound to (not necessarily the one people use: see DISCLOSURE_PUBLIC_URL). */
  url: string;
  app: App;
  close(): Promise<void>;
}

/** What other parts of the engine put on the same server (console pages, health checks). */
export type AppExtension = (app: App) => void | Promise<void>;

/** A wildcard bind is reached on loopback from this machine; the URL says so rather than 0.0.0.0. */
function hostInUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** The HTTP API, listening; loopback unless `host` says otherwise. */
export async function startApiServer(
  opts: ApiOptions & { port?: number | undefined; host?: string | undefined; extensions?: readonly AppExtension[] | undefined },
): Promise<ApiServer> {
  const app = await buildApiApp(opts);
  for (const extend of opts.extensions ?? []) await extend(app);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `${opts.tls !== undefined ? 'https' : 'http'}://${hostInUrl(host)}:${port}`,
    app,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
