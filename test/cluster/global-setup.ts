import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTemporalCluster, type TemporalCluster } from '../support/cluster/temporal-cluster';
import { startPostgres, type TestPostgres } from '../support/postgres';

export interface ClusterRun {
  dir: string;
  pg?: TestPostgres;
  temporal?: TemporalCluster;
}

export const CLUSTER_RUN = Symbol.for('disclosure-engine.cluster-run');

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** One PostgreSQL and one mTLS Temporal server for the tier; test files read where they are from env. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-cluster-'));
  const clusterRun: ClusterRun = { dir };
  (globalThis as Record<symbol, unknown>)[CLUSTER_RUN] = clusterRun;
  try {
    clusterRun.pg = await startPostgres();
    clusterRun.temporal = await startTemporalCluster({ dir: path.join(dir, 'temporal'), pg: clusterRun.pg, log });
    const { temporal, pg } = clusterRun;
    Object.assign(process.env, {
      CLUSTER_DIR: dir,
      CLUSTER_TEMPORAL_ADDRESS: temporal.address,
      CLUSTER_TEMPORAL_NAMESPACE: temporal.namespace,
      CLUSTER_TLS_CA: temporal.certs.ca.cert,
      CLUSTER_TLS_OTHER_CA: temporal.certs.otherCa.cert,
      CLUSTER_TLS_CERT: temporal.certs.client.cert,
      CLUSTER_TLS_KEY: temporal.certs.client.key,
      CLUSTER_TLS_SERVER_NAME: temporal.certs.serverName,
      CLUSTER_PG_PORT: String(pg.port),
    });
    log(`cluster tier: PostgreSQL and Temporal ${temporal.address} (mTLS) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    // Jest skips global teardown when setup fails, so undo here.
    await clusterRun.temporal?.stop();
    await clusterRun.pg?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
