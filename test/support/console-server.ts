import Fastify from 'fastify';
import type { TokenRegistry } from '../../api/auth';
import type { ApiDeps } from '../../api/route';
import { consolePlugin } from '../../console/plugin';
import { POLICY_PATH } from './harness';

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/** The console's routes on a fastify server of their own, on loopback, with a clock the test can move. */
export async function startConsoleServer(opts: {
  deps: ApiDeps;
  tokens: TokenRegistry;
  clock: () => Date;
  sessionTtlMs?: number;
}): Promise<ConsoleServer> {
  const app = Fastify();
  await app.register(consolePlugin, {
    deps: opts.deps,
    tokens: opts.tokens,
    policyPath: POLICY_PATH,
    clock: opts.clock,
    sessionTtlMs: opts.sessionTtlMs,
    timeZone: 'Asia/Tokyo',
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
