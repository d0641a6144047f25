import type { Client } from '@temporalio/client';
import type { EngineConfig } from '../infra/config';
import { connectClient } from '../infra/temporal-client';
import type { ServiceContext } from '../service/context';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import type { CliEnv } from './command';

export interface ManagedEnv extends CliEnv {
  close(): Promise<void>;
}

/** Opens the database and the Temporal connection only when a command first needs them. */
export function createEnv(config: EngineConfig, json: boolean, stderr: (line: string) => void): ManagedEnv {
  let store: Promise<Store> | undefined;
  let client: Promise<Client> | undefined;
  const isTty = process.stderr.isTTY === true;
  const env: ManagedEnv = {
    config,
    json,
    stderr,
    store: () => (store ??= openStore(config.database)),
    client: () => (client ??= connectClient(config)),
    async context(): Promise<ServiceContext> {
      return { store: await env.store(), client: await env.client(), taskQueue: config.taskQueue, clock: () => new Date() };
    },
    progress(label, total) {
      const quiet = json || !isTty;
      let last = -1;
      return {
        tick(done) {
          const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
          if (quiet || pct === last) return;
          last = pct;
          process.stderr.write(`\r${label} ${done}/${total} (${pct}%)`);
        },
        done() {
          if (!quiet) process.stderr.write('\n');
        },
      };
    },
    interrupted: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
    async close() {
      if (store !== undefined) await (await store).close();
      if (client !== undefined) await (await client).connection.close();
    },
  };
  return env;
}
