import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DisclosureRecordInput } from '../domain/record';
import type { Store } from '../store/store';

/**
 * The engine's own metrics (prom-client), per process: what this process appended to the ledger
 * and how long that took, and two gauges read from the database at scrape time.
 */
export interface EngineMetrics {
  registry: Registry;
  /** Counts a record this process appended (not one it found already there). */
  recordAppended(input: DisclosureRecordInput): void;
  /** Starts timing one ledger append; call the result when it is done. */
  appendTimer(): () => void;
}

export interface MetricsSources {
  /** Staged handoffs not yet accepted by the SMTP server. */
  outboxBacklog(): Promise<number>;
  /** When the newest signed checkpoint was signed (ISO) and by which key, if there is one. */
  lastCheckpoint(): Promise<{ signedAt: string; keyId: string } | undefined>;
  clock?: () => Date;
}

export function createEngineMetrics(sources: MetricsSources): EngineMetrics {
  const clock = sources.clock ?? (() => new Date());
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const disclosures = new Counter({
    name: 'disclosure_disclosures_total',
    help: 'Disclosure records appended by this process, by disclosure kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'disclosure_refusals_total',
    help: 'Refused or stopped disclosures recorded by this process, by refusal code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const appendSeconds = new Histogram({
    name: 'disclosure_ledger_append_seconds',
    help: 'Time to append one record to the ledger (including finding an existing one on retry).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'disclosure_checkpoint_age_seconds',
    help: 'Seconds since the newest signed ledger checkpoint, by the id of the key that signed it; absent while there is none.',
    labelNames: ['key_id'] as const,
    registers: [registry],
    async collect() {
      const last = await sources.lastCheckpoint();
      this.reset();
      if (last !== undefined) this.set({ key_id: last.keyId }, (clock().getTime() - Date.parse(last.signedAt)) / 1000);
    },
  });
  new Gauge({
    name: 'disclosure_outbox_backlog',
    help: 'Handoffs staged in the outbox and not yet accepted by the SMTP server.',
    registers: [registry],
    async collect() {
      this.set(await sources.outboxBacklog());
    },
  });
  return {
    registry,
    recordAppended(input) {
      if (input.entryType !== 'disclosure') return;
      disclosures.inc({ kind: input.kind, outcome: input.outcome });
      if (input.refusal !== undefined) refusals.inc({ code: input.refusal.code });
    },
    appendTimer: () => appendSeconds.startTimer(),
  };
}

/** Gauges read from the engine's database. */
export const storeMetricsSources = (store: Store): MetricsSources => ({
  outboxBacklog: () => store.outboxBacklog(),
  lastCheckpoint: () => store.lastCheckpoint(),
});

/**
 * The store with every ledger append timed and counted. Everything else passes through; the
 * store itself stays free of metrics.
 */
export function instrumentStore(store: Store, metrics: EngineMetrics): Store {
  const appendRecord: Store['appendRecord'] = async (input, recordedAt) => {
    const done = metrics.appendTimer();
    try {
      const result = await store.appendRecord(input, recordedAt);
      if (result.created) metrics.recordAppended(input);
      return result;
    } finally {
      done();
    }
  };
  return new Proxy(store, {
    get: (target, prop, receiver) => (prop === 'appendRecord' ? appendRecord : Reflect.get(target, prop, receiver)),
  });
}
