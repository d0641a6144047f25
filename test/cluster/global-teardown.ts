import { rm } from 'node:fs/promises';
import { CLUSTER_RUN, type ClusterRun } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const clusterRun = (globalThis as Record<symbol, unknown>)[CLUSTER_RUN] as ClusterRun | undefined;
  if (!clusterRun) return;
  await clusterRun.temporal?.stop();
  await clusterRun.pg?.stop();
  await rm(clusterRun.dir, { recursive: true, force: true });
}
