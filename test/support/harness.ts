import { Client, Connection } from '@temporalio/client';
import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { ActivityDeps } from '../../activities';
import { engineDataConverter } from '../../infra/data-converter';
import { createLogger, temporalLogger } from '../../infra/logger';
import type { MailCatcher } from '../../infra/mail-catcher';
import { startMailCatcher } from '../../infra/mail-catcher';
import { createMailer } from '../../infra/mailer';
import type { ServiceContext } from '../../service/context';
import type { Store } from '../../store/store';
import { createEngineWorker } from '../../workers/worker';
import { writeTestLog } from './file-logs';
import { openHarnessStore } from './harness-store';

/** What the Temporal SDK and its core logged in this test process, through the engine's redacting logger. */
export const runtimeLogLines: string[] = [];

// The SDK logs every worker state change at INFO; tests only want warnings, kept in the test
// file's log and shown when that file fails.
Runtime.install({
  logger: temporalLogger(
    createLogger((line) => {
      runtimeLogLines.push(line);
      writeTestLog(line);
    }),
    'WARN',
  ),
  telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
});

export const POLICY_PATH = path.resolve(__dirname, '../../policy/disclosure-policy.json');

export interface Harness {
  home: string;
  store: Store;
  /** DISCLOSURE_DB for a CLI run against this harness: the SQLite path or the postgres:// URL. */
  database: string;
  catcher: MailCatcher;
  client: Client;
  ctx: ServiceContext;
  taskQueue: string;
  /** Encrypts payloads with a key ring of this harness's own, created in `home` on first use. */
  dataConverter: DataConverter;
  /** Every line the worker's activities logged, for tests that look for leaks. */
  logLines: string[];
  stop(): Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined)
    throw new Error(`${name} is not set: run the tests through jest (global setup starts Temporal)`);
  return value;
}

/**
 * One engine per test file, through the real parts: the run's Temporal dev server, a SQLite
 * file in a fresh folder, a real SMTP catcher on loopback and a worker on a queue of its own.
 */
export async function startHarness(overrides: Partial<ActivityDeps> = {}): Promise<Harness> {
  const address = requireEnv('TEST_TEMPORAL_ADDRESS');
  const namespace = requireEnv('TEST_TEMPORAL_NAMESPACE');
  const home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-harness-'));
  const database = await openHarnessStore(home);
  const store = database.store;
  const catcher = await startMailCatcher({ mailboxDir: path.join(home, 'mailbox') });
  const mailer = createMailer({ smtpUrl: catcher.url });
  const logLines: string[] = [];
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const dataConverter = engineDataConverter(home);
  const worker = await createEngineWorker({
    connection: nativeConnection,
    dataConverter,
    namespace,
    taskQueue,
    workflowBundlePath: requireEnv('TEST_WORKFLOW_BUNDLE'),
    deps: {
      store,
      mailer,
      clock: () => new Date(),
      policyPath: POLICY_PATH,
      mailFrom: 'privacy-office@provider.test',
      log: createLogger((line) => logLines.push(line)),
      ...overrides,
    },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace, dataConverter });
  const ctx: ServiceContext = { store, client, taskQueue, clock: () => new Date(), policyPath: POLICY_PATH };
  return {
    home,
    store,
    database: database.url,
    catcher,
    client,
    ctx,
    taskQueue,
    dataConverter,
    logLines,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      mailer.close();
      await catcher.stop();
      await database.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
