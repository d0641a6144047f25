import type { Logger } from '../infra/logger';
import type { LedgerKeyPaths } from '../infra/signing-key';
import { loadLedgerKey } from '../infra/signing-key';
import type { Checkpoint, Store } from '../store/store';
import { createCheckpoint } from './ledger';
import type { Witness } from './witness';

export interface CheckpointTimerOptions {
  store: Store;
  keyPaths: LedgerKeyPaths;
  /** Sign at least this often while records are unsigned. */
  intervalMs: number;
  /** Sign as soon as this many records are unsigned. */
  everyRecords?: number | undefined;
  /** How often the head is looked at for the record count (default: a second, or the interval if shorter). */
  pollMs?: number | undefined;
  /** Gets a copy of each checkpoint; when it cannot be reached signing goes on, and it is sent what it lacks later. */
  witness?: Witness | undefined;
  log: Logger;
  clock?: () => Date;
}

/**
 * Signs the ledger head once `everyRecords` records or `intervalMs` have passed since the last
 * signature, whichever comes first, and once more on stop, so that the unsigned tail an intruder
 * could rewrite stays short. The records since the last checkpoint are verified before each
 * signature: a tampered chain is refused and logged as an error, never signed.
 *
 * The first signature checks every checkpoint; after that, while the checkpoint this timer
 * last signed is still the newest and unchanged, only the records since it are read and checked
 * (createCheckpoint's `after`), so the cost of each signature does not grow with the ledger.
 * `ledger verify` checks the whole chain and every checkpoint.
 */
export function startCheckpointTimer(opts: CheckpointTimerOptions): { stop(): Promise<void> } {
  const clock = opts.clock ?? (() => new Date());
  const everyRecords = opts.everyRecords ?? 100;
  let signedSeq: number | undefined;
  let trusted: Checkpoint | undefined;
  let signedAt = clock().getTime();
  let running: Promise<void> = Promise.resolve();
  const sign = (): Promise<void> =>
    (running = running.then(async () => {
      try {
        const key = loadLedgerKey(opts.keyPaths, { create: true })!;
        const { created, checkpoint, witnessProblem } = await createCheckpoint(opts.store, key, clock(), {
          witness: opts.witness,
          after: trusted,
        });
        trusted = checkpoint;
        signedSeq = checkpoint?.seq ?? 0;
        signedAt = clock().getTime();
        if (created && checkpoint !== undefined)
          opts.log.info('ledger checkpoint signed', { checkpoint: checkpoint.id, seq: checkpoint.seq });
        if (witnessProblem !== undefined) opts.log.warn('ledger checkpoint not witnessed', { checkpoint: checkpoint?.id, error: witnessProblem });
      } catch (err) {
        // Whatever failed, the next attempt checks every checkpoint again.
        trusted = undefined;
        opts.log.error('ledger checkpoint failed', { error: (err as Error).message });
      }
    }));
  const due = async (): Promise<boolean> => {
    const head = (await opts.store.ledgerHead())?.seq ?? 0;
    if (signedSeq === undefined) return head > 0;
    if (head <= signedSeq) return false;
    return head - signedSeq >= everyRecords || clock().getTime() - signedAt >= opts.intervalMs;
  };
  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      if (await due()) await sign();
    } catch (err) {
      opts.log.error('ledger checkpoint failed', { error: (err as Error).message });
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), opts.pollMs ?? Math.min(1000, opts.intervalMs));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await sign();
    },
  };
}
