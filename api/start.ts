import type { EngineConfig } from '../infra/config';
import type { Logger } from '../infra/logger';
import { engineDataConverter } from '../infra/data-converter';
import { keyPathsOf, loadLedgerKey } from '../infra/signing-key';
import { loadAckKey } from '../service/ack-token';
import type { ServiceContext } from '../service/context';
import { consoleExtension } from '../console/plugin';
import { ensureTokenFile, fileTokenRegistry, tokenFilePath } from './auth';
import { readFile } from 'node:fs/promises';
import type { ApiServer, AppExtension } from './server';
import { startApiServer } from './server';

/**
 * The API as the engine runs it: tokens from `$DISCLOSURE_HOME/api-tokens.json` (or
 * DISCLOSURE_API_TOKENS), created on the embedded engine's first start with one admin token that
 * is printed once; a deployment's server (`provisioned`) is given the file and creates none.
 */
export async function startEngineApi(opts: {
  config: EngineConfig;
  ctx: ServiceContext;
  port: number;
  env?: NodeJS.ProcessEnv;
  say: (line: string) => void;
  log?: Logger | undefined;
  /** Routes and plugins of other parts (console, health checks) on the same server. */
  extensions?: readonly AppExtension[] | undefined;
  /** A deployment's server: keys are provisioned, never created here. */
  provisioned?: boolean;
}): Promise<ApiServer> {
  const { config, env = process.env } = opts;
  const file = tokenFilePath(config.home, env);
  // A deployment's server reads the token file it was given (checked before start) and never makes one.
  const { adminToken } = opts.provisioned === true ? { adminToken: undefined } : await ensureTokenFile(file);
  if (adminToken !== undefined) {
    opts.say(`API token file created at ${file}; the admin token (shown only now) is:\n  ${adminToken}`);
  }
  const tls = config.tls !== undefined ? { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) } : undefined;
  const tokens = fileTokenRegistry(file);
  const deps = {
    ctx: opts.ctx,
    home: config.home,
    ackKey: await loadAckKey(config.home, { env, create: opts.provisioned !== true }),
    replay: { dataConverter: engineDataConverter(config.home, env, { create: opts.provisioned !== true }), workflowBundlePath: env.DISCLOSURE_WORKFLOW_BUNDLE },
    ledgerKey: () => loadLedgerKey(keyPathsOf(config), { create: false }),
    policyPath: config.policyPath,
    timeZone: config.timeZone,
  };
  return startApiServer({
    tokens,
    port: opts.port,
    host: config.apiHost,
    tls,
    trustProxy: config.trustProxy,
    log: opts.log,
    deps,
    // The web console at the server's root, on the same deps and tokens as the API.
    extensions: [
      consoleExtension({ deps, tokens, policyPath: config.policyPath, timeZone: config.timeZone }),
      ...(opts.extensions ?? []),
    ],
  });
}
