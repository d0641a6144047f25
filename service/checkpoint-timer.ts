import type { Logger } from '../infra/logger';
import type { LedgerKeyPaths } from '../infra/signing-key';
import { loadLedgerKey } from '../infra/signing-key';
import type { Store } from '../store/store';
import { createCheckpoint } from './ledger';

export interface CheckpointTimerOptions {
  store: Store;
  keyPaths: LedgerKeyPaths;
  intervalMs: number;
  log: Logger;
  clock?: () => Date;
}

/**
 * Signs the ledger head every interval while the engine runs, and once more on stop, so that at
 * most one interval of records is ever without a signed checkpoint. A tampered chain is refused
 * and logged as an error, never signed.
 */
export function startCheckpointTimer(opts: CheckpointTimerOptions): { stop(): Promise<void> } {
  const clock = opts.clock ?? (() => new Date());
  let running: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> =>
    (running = running.then(async () => {
      try {
        const key = loadLedgerKey(opts.keyPaths, { create: true })!;
        const { created, checkpoint } = await createCheckpoint(opts.store, key, clock());
        if (created && checkpoint !== undefined) opts.log.info('ledger checkpoint signed', { checkpoint: checkpoint.id, seq: checkpoint.seq });
      } catch (err) {
        opts.log.error('ledger checkpoint failed', { error: (err as Error).message });
      }
    }));
  const timer = setInterval(() => void tick(), opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await tick();
    },
  };
}
