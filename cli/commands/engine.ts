import { startEngine } from '../../infra/engine';
import { codecTokenFile } from '../../infra/keys';
import { createLogger } from '../../infra/logger';
import type { Command } from '../command';

export const up: Command = {
  name: 'up',
  summary: 'run the whole engine on this machine: Temporal dev server, worker, mail catcher (what npm start runs)',
  options: {},
  examples: ['disclosure up', 'DISCLOSURE_HOME=/srv/disclosure disclosure up'],
  async run(env) {
    const engine = await startEngine({ config: env.config, env: process.env, log: createLogger(), say: env.stderr, worker: true, embedded: true, api: true });
    const r = engine.runtime;
    const lines = [
      'disclosure engine is up',
      `  Temporal:     ${r.temporalAddress ?? ''} (namespace ${env.config.temporalNamespace})`,
      ...(r.uiUrl !== undefined ? [`  Temporal UI:  ${r.uiUrl}`] : []),
      ...(r.codecUrl !== undefined ? [`  Codec server: ${r.codecUrl} (the UI decrypts through it; token in ${codecTokenFile(env.config.home)})`] : []),
      `  SMTP:         ${r.smtpUrl ?? ''}`,
      ...(r.apiUrl !== undefined ? [`  HTTP API:     ${r.apiUrl} (OpenAPI at ${r.apiUrl}/openapi.json)`] : []),
      ...(engine.mailboxDir !== undefined ? [`  Mailbox:      ${engine.mailboxDir}`] : []),
      `  Database:     ${env.config.database}`,
      `  Home:         ${env.config.home}`,
      ...(engine.seeded ? ['  Demo data loaded (disclosure records --json shows the ledger; see README for a first request).'] : []),
      'Press Ctrl-C to stop.',
    ];
    env.stderr(env.json ? JSON.stringify({ ...r, mailboxDir: engine.mailboxDir, home: env.config.home }) : lines.join('\n'));
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
    const engine = await startEngine({ config: env.config, env: process.env, log: createLogger(), say: env.stderr, worker: true, embedded: false });
    env.stderr(`worker running on queue ${env.config.taskQueue} at ${engine.runtime.temporalAddress ?? ''}; Ctrl-C to stop`);
    await env.interrupted();
    await engine.stop();
    return { json: { stopped: true }, text: 'stopped' };
  },
};
