import { Client, Connection } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../infra/config';
import { CLIENT_MAX_RECEIVE_BYTES } from '../infra/temporal-client';
import { engineDataConverter } from '../infra/data-converter';
import type { MailCatcher } from '../infra/mail-catcher';
import { startMailCatcher } from '../infra/mail-catcher';
import { createKeySet, writeKeySet } from '../infra/provision';
import type { DevServer } from '../infra/temporal-server';
import { resolveTemporalBinary, startDevServer } from '../infra/temporal-server';
import type { ServiceContext } from '../service/context';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import type { WorkerProcess } from './child';
import { startWorkerProcess } from './child';

export const ENGINE_QUEUE = 'bench-disclosures';
export const CEILING_QUEUE = 'bench-ceiling';

/** The embedded engine as `disclosure up` runs it, with the worker in a process of its own. */
export interface Stack {
  home: string;
  binary: string;
  server: DevServer;
  catcher: MailCatcher;
  /** The bench's own connection to the engine's database (the CLI and API open it the same way). */
  store: Store;
  client: Client;
  /** A client without the engine's payload codec, for the ceiling workflow: Temporal alone. */
  plainClient: Client;
  ctx: ServiceContext;
  engineWorker: WorkerProcess;
  ceilingWorker?: WorkerProcess | undefined;
  profileDir?: string | undefined;
  stop(): Promise<void>;
}

export async function startStack(opts: { ceiling: boolean; profile: boolean; say: (line: string) => void }): Promise<Stack> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-bench-'));
  const stops: (() => Promise<void>)[] = [async () => rm(home, { recursive: true, force: true })];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const binary = await resolveTemporalBinary({ log: opts.say });
    const server = await startDevServer({ binary, dbFile: path.join(home, 'temporal.db'), logFile: path.join(home, 'temporal.log'), headless: true });
    stops.push(() => server.stop());
    const catcher = await startMailCatcher({ mailboxDir: path.join(home, 'mailbox') });
    stops.push(() => catcher.stop());
    // Provisioned once, as `disclosure init --keys-dir` does: a deployment's processes create none.
    await writeKeySet(path.join(home, 'keys'), createKeySet());
    const database = path.join(home, 'disclosure.db');
    const store = await openStore(database, { schema: 'migrate' });
    stops.push(() => store.close());

    const env = {
      ...process.env,
      DISCLOSURE_HOME: home,
      DISCLOSURE_DB: database,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: server.namespace,
      SMTP_URL: catcher.url,
      DISCLOSURE_TASK_QUEUE: ENGINE_QUEUE,
      BENCH_TASK_QUEUE: CEILING_QUEUE,
    };
    // Outside the home folder, which is removed at the end, so the profiles can be read again.
    const profileDir = opts.profile ? await mkdtemp(path.join(os.tmpdir(), 'disclosure-bench-profile-')) : undefined;
    opts.say('starting the engine worker (loads the prebuilt workflow bundle, or bundles the workflows)…');
    const engineWorker = await startWorkerProcess({
      script: path.resolve(__dirname, '..', 'cli', 'main.js'),
      args: ['worker'],
      env,
      ready: /worker running on queue/,
      logFile: path.join(home, 'engine-worker.log'),
      nodeOptions: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    });
    stops.push(() => engineWorker.stop());
    let ceilingWorker: WorkerProcess | undefined;
    if (opts.ceiling) {
      opts.say('starting the ceiling worker…');
      ceilingWorker = await startWorkerProcess({
        script: path.resolve(__dirname, 'ceiling', 'worker-main.js'),
        env,
        ready: /ceiling worker running/,
        logFile: path.join(home, 'ceiling-worker.log'),
      });
      stops.push(() => ceilingWorker!.stop());
    }

    const connection = await Connection.connect({ address: server.address, channelArgs: { 'grpc.max_receive_message_length': CLIENT_MAX_RECEIVE_BYTES } });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: server.namespace, dataConverter: engineDataConverter(home) });
    const plainClient = new Client({ connection, namespace: server.namespace });
    const ctx: ServiceContext = { store, client, taskQueue: ENGINE_QUEUE, clock: () => new Date(), policyPath: loadConfig().policyPath };
    return { home, binary, server, catcher, store, client, plainClient, ctx, engineWorker, ceilingWorker, profileDir, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
