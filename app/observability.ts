import { readFile } from 'node:fs/promises';
import type { PlainEndpoint } from '../api/observability';
import { observabilityEndpoints } from '../api/observability';
import { ackKeyFile } from '../service/ack-token';
import { checkReadiness } from '../service/readiness';
import type { Store } from '../store/store';
import { KEYS_ENV, keyFile, readKeyRing } from '../infra/keys';
import type { EngineMetrics } from '../infra/metrics';
import { createEngineMetrics, instrumentStore, storeMetricsSources } from '../infra/metrics';
import type { TemporalHealth } from './readiness-checks';
import { engineReadinessChecks } from './readiness-checks';
import type { SdkMetrics } from '../infra/sdk-metrics';

export interface Observability {
  /** The store to hand to activities and services: its ledger appends are counted and timed. */
  store: Store;
  metrics: EngineMetrics;
  endpoints: PlainEndpoint[];
  /** Where the `temporal` readiness check asks, once the process is connected. */
  setTemporal(connection: TemporalHealth): void;
}

export interface ObservabilityOptions {
  store: Store;
  database: string;
  keys: () => Promise<void>;
  sdkMetrics?: SdkMetrics | undefined;
}

/** One process's health and metrics: the instrumented store, and what `/readyz` and `/metrics` read. */
export function createObservability(opts: ObservabilityOptions): Observability {
  const metrics = createEngineMetrics(storeMetricsSources(opts.store));
  const store = instrumentStore(opts.store, metrics);
  let temporal: TemporalHealth | undefined;
  const checks = engineReadinessChecks({ temporal: () => temporal, store: opts.store, database: opts.database, keys: opts.keys });
  return {
    store,
    metrics,
    endpoints: observabilityEndpoints({ metrics, readiness: () => checkReadiness(checks), sdkMetrics: opts.sdkMetrics?.scrape }),
    setTemporal: (connection) => void (temporal = connection),
  };
}

/** The keys every engine process loads from its home: the payload key ring and the ack-link key. */
export function homeKeysLoad(home: string, env: NodeJS.ProcessEnv): () => Promise<void> {
  return async () => {
    if ((await readKeyRing(home, env)) === undefined) throw new Error(`no payload key ring: set ${KEYS_ENV} or provide ${keyFile(home)}`);
    const ack = await readFile(ackKeyFile(home), 'utf8').catch(() => '');
    if (ack.trim() === '') throw new Error(`no acknowledgement-link key at ${ackKeyFile(home)}`);
  };
}
