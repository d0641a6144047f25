import type { TokenRegistry } from '../../api/auth';
import type { ApiDeps } from '../../api/route';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import { consoleExtension } from '../../console/plugin';
import { POLICY_PATH } from './harness';

/**
 * The engine's HTTP server as `up` runs it (API, security headers, rate limits) with the console
 * mounted at its root, on loopback, with a clock the test can move past a session's expiry.
 */
export async function startConsoleServer(opts: {
  deps: ApiDeps;
  tokens: TokenRegistry;
  clock: () => Date;
  sessionTtlMs?: number;
}): Promise<ApiServer> {
  const mounted = consoleExtension({
    deps: opts.deps,
    tokens: opts.tokens,
    policyPath: POLICY_PATH,
    clock: opts.clock,
    sessionTtlMs: opts.sessionTtlMs,
    timeZone: 'Asia/Tokyo',
  });
  return startApiServer({ deps: opts.deps, tokens: opts.tokens, extensions: [mounted] });
}
