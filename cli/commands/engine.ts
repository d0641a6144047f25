import { maskUrlCredentials } from '../../domain/mask';
import type { EngineConfig } from '../../infra/config';
import type { RunningEngine } from '../../infra/engine';
import { startEngine } from '../../infra/engine';
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
      env: process.env,
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

export const worker: Command = {
  name: 'worker',
  summary: 'run a worker alone, against TEMPORAL_ADDRESS, DISCLOSURE_DB and SMTP_URL',
  options: {},
  examples: ['TEMPORAL_ADDRESS=temporal.internal:7233 SMTP_URL=smtps://mail.internal disclosure worker'],
  async run(env) {
    const engine = await startEngine({
      config: env.config,
      env: process.env,
      log: createLogger(),
      say: env.stderr,
      worker: true,
      embedded: false,
    });
    const metrics = engine.runtime.metricsUrl !== undefined ? `; health and metrics at ${engine.runtime.metricsUrl}` : '';
    env.stderr(`worker running on queue ${env.config.taskQueue} at ${engine.runtime.temporalAddress ?? ''}${metrics}; Ctrl-C to stop`);
    await env.interrupted();
    await engine.stop();
    return { json: { stopped: true }, text: 'stopped' };
  },
};
