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
export function createEnv(config: EngineConfig, json: boolean, stderr: (line: string) => void, vars: NodeJS.ProcessEnv = process.env): ManagedEnv {
  let store: Promise<Store> | undefined;
  let client: Promise<Client> | undefined;
  const isTty = process.stderr.isTTY === true;
  const env: ManagedEnv = {
    config,
    vars,
    json,
    stderr,
    store: () => (store ??= openStore(config.database, { timeZone: config.timeZone })),
    client: () => (client ??= connectClient(config, vars)),
    async context(): Promise<ServiceContext> {
      return { store: await env.store(), client: await env.client(), taskQueue: config.taskQueue, clock: () => new Date(), policyPath: config.policyPath, timeZone: config.timeZone };
    },
    progress: (label, total) => progressBar(label, total, json || !isTty),
    interrupted: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
    /** A connection that never opened has already been reported by the command that needed it. */
    async close() {
      await store?.then((s) => s.close(), () => undefined);
      await client?.then((c) => c.connection.close(), () => undefined);
    },
  };
  return env;
}

const BAR_WIDTH = 30;

/** A bar redrawn in place on stderr; silent with --json or when stderr is not a terminal. */
export function progressBar(label: string, total: number, quiet: boolean, write = (t: string) => void process.stderr.write(t)) {
  let last = '';
  return {
    tick(done: number) {
      if (quiet) return;
      const ratio = total <= 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * BAR_WIDTH);
      const line = `\r${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%`;
      if (line === last) return;
      last = line;
      write(line);
    },
    done() {
      if (!quiet && last !== '') write('\n');
    },
  };
}
