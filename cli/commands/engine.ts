import { maskUrlCredentials } from '../../domain/mask';
import type { EngineConfig } from '../../infra/config';
import { z } from 'zod';
import type { RunningEngine } from '../../app/engine';
import { startEngine } from '../../app/engine';
import { DEFAULT_PORTS } from '../../infra/config';
import { parseInput } from '../../service/errors';
import { codecTokenFile } from '../../infra/keys';
import { createLogger } from '../../infra/logger';
import type { Command } from '../command';

/** What `up` prints once running; URLs carry no credentials (runtime.smtpUrl is masked at the source). */
export function engineSummary(engine: RunningEngine, config: EngineConfig): string[] {
  const r = engine.runtime;
  return [
    'disclosure engine is up',
    `  Temporal:     ${r.temporalAddress ?? ''} (namespace ${config.temporalNamespace})`,
    ...(r.uiUrl !== undefined ? [`  Temporal UI:  ${r.uiUrl}`] : []),
    ...(r.codecUrl !== undefined
      ? [`  Codec server: ${r.codecUrl} (the UI decrypts through it; token in ${codecTokenFile(config.home)})`]
      : []),
    `  SMTP:         ${r.smtpUrl ?? ''}`,
    ...(r.apiUrl !== undefined ? [`  HTTP API:     ${r.apiUrl} (OpenAPI at ${r.apiUrl}/openapi.json)`] : []),
    ...(r.apiUrl !== undefined ? [`  Health:       ${r.apiUrl}/healthz, ${r.apiUrl}/readyz, ${r.apiUrl}/metrics`] : []),
    ...(r.apiUrl !== undefined ? [`  Web console:  ${r.apiUrl}/ (sign in with an API token)`] : []),
    ...(engine.mailboxDir !== undefined ? [`  Mailbox:      ${engine.mailboxDir}`] : []),
    `  Database:     ${maskUrlCredentials(config.database)}`,
    `  Home:         ${config.home}`,
    ...(engine.seeded
      ? ['  Demo data loaded (disclosure records --json shows the ledger; see README for a first request).']
      : []),
    'Press Ctrl-C to stop.',
  ];
}

export const up: Command = {
  name: 'up',
  summary: 'run the whole engine on this machine: Temporal dev server, worker, mail catcher (what npm start runs)',
  options: {},
  examples: ['disclosure up', 'DISCLOSURE_HOME=/srv/disclosure disclosure up'],
  async run(env) {
    const engine = await startEngine({
      config: env.config,
      env: env.vars,
      log: createLogger(),
      say: env.stderr,
      worker: true,
      embedded: true,
      api: true,
    });
    const lines = engineSummary(engine, env.config);
    env.stderr(
      env.json
        ? JSON.stringify({ ...engine.runtime, mailboxDir: engine.mailboxDir, home: env.config.home })
        : lines.join('\n'),
    );
    await env.interrupted();
    env.stderr('stopping…');
    await engine.stop();
    return { json: { stopped: true }, text: 'stopped' };
  },
};

/** 0 asks for any free port (printed). */
const Port = z.coerce.number().int().min(0).max(65535);
const portOption = (v: unknown, name: string): number | undefined =>
  typeof v === 'string' ? parseInput(Port, v, name) : undefined;

export const worker: Command = {
  name: 'worker',
  summary:
    'run workers only, against an existing Temporal (TEMPORAL_*) and DISCLOSURE_DB; keys provisioned, nothing created',
  options: {},
  examples: [
    'DISCLOSURE_KEYS_DIR=/etc/disclosure/keys TEMPORAL_ADDRESS=temporal.internal:7233 TEMPORAL_TLS_SERVER_CA_CERT_PATH=/etc/disclosure/ca.pem DISCLOSURE_DB=postgres://disclosure_app@db.internal/disclosure SMTP_URL=smtps://mail.internal disclosure worker',
  ],
  async run(env) {
    const engine = await startEngine({
      config: env.config,
      env: env.vars,
      log: createLogger(),
      say: env.stderr,
      worker: true,
      embedded: false,
    });
    const metrics = engine.runtime.metricsUrl !== undefined ? `; health and metrics at ${engine.runtime.metricsUrl}` : '';
    env.stderr(
      `worker running on queue ${env.config.taskQueue} at ${engine.runtime.temporalAddress ?? ''} (namespace ${env.config.temporalNamespace})${metrics}; Ctrl-C to stop`,
    );
    await env.interrupted();
    await engine.stop();
    return { json: { stopped: true }, text: 'stopped' };
  },
};

export const serve: Command = {
  name: 'serve',
  summary:
    'run the HTTP API and the codec server, against an existing Temporal and DISCLOSURE_DB; keys provisioned, nothing created',
  options: {
    port: {
      type: 'string',
      value: 'PORT',
      description: `API port (default ${DEFAULT_PORTS.api}, or any free one; 0 for any)`,
    },
    'codec-port': {
      type: 'string',
      value: 'PORT',
      description: `codec server port (default ${DEFAULT_PORTS.codec}, or any free one; 0 for any)`,
    },
  },
  examples: [
    'DISCLOSURE_KEYS_DIR=/etc/disclosure/keys TEMPORAL_ADDRESS=temporal.internal:7233 DISCLOSURE_DB=postgres://disclosure_app@db.internal/disclosure disclosure serve --port 8780',
  ],
  async run(env, v) {
    const engine = await startEngine({
      config: env.config,
      env: env.vars,
      log: createLogger(),
      say: env.stderr,
      worker: false,
      embedded: false,
      api: true,
      codec: true,
      apiPort: portOption(v.port, '--port'),
      codecPort: portOption(v['codec-port'], '--codec-port'),
    });
    const r = engine.runtime;
    env.stderr(
      env.json
        ? JSON.stringify({ apiUrl: r.apiUrl, codecUrl: r.codecUrl })
        : `serving the HTTP API at ${r.apiUrl ?? ''} and the codec server at ${r.codecUrl ?? ''}, against Temporal at ${r.temporalAddress ?? ''}; Ctrl-C to stop`,
    );
    await env.interrupted();
    await engine.stop();
    return { json: { stopped: true }, text: 'stopped' };
  },
};
