import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import './test-runtime';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { ActivityDeps } from '../../activities';
import { engineDataConverter } from '../../infra/data-converter';
import { createLogger } from '../../infra/logger';
import type { MailCatcher } from '../../infra/mail-catcher';
import { startMailCatcher } from '../../infra/mail-catcher';
import { createMailer } from '../../infra/mailer';
import type { ServiceContext } from '../../service/context';
import type { Store } from '../../store/store';
import { createEngineWorker } from '../../workers/worker';
import { openHarnessStore } from './harness-store';

export { runtimeLogLines } from './test-runtime';

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
