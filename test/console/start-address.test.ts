import type { EngineConfig } from '../../infra/config';
import type { RunningEngine } from '../../app/engine';
import { engineSummary } from '../../cli/commands/engine';

test('what `npm start` (disclosure up) prints names the web console at the HTTP server’s root', () => {
  const engine: RunningEngine = {
    runtime: {
      temporalAddress: '127.0.0.1:7233',
      smtpUrl: 'smtp://127.0.0.1:2525',
      pid: 1,
      apiUrl: 'http://127.0.0.1:8080',
    },
    seeded: false,
    stop: async () => undefined,
  };
  const config = {
    temporalNamespace: 'default',
    home: '.disclosure',
    database: '.disclosure/disclosure.db',
  } as EngineConfig;
  expect(engineSummary(engine, config)).toContain('  Web console:  http://127.0.0.1:8080/ (sign in with an API token)');
  // Without an HTTP server there is no console to name.
  expect(
    engineSummary({ ...engine, runtime: { ...engine.runtime, apiUrl: undefined } }, config).join('\n'),
  ).not.toContain('Web console');
});
