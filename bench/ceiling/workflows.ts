import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { localPresets, presets } from '../../workflows/options';
import type { CeilingActivities } from './activities';

const store = proxyLocalActivities<CeilingActivities>(localPresets.store);
const ledger = proxyLocalActivities<CeilingActivities>(localPresets.record);
const delivery = proxyActivities<CeilingActivities>(presets.delivery);

/**
 * The shape of the handoff workflow on a dealer catalog request's delivered path: the same
 * activity calls in the same order with the same options (the reads and the staging local, the
 * send regular, the record local), each doing nothing. Its throughput is the ceiling the engine's
 * workflow could reach on this Temporal server.
 */
export async function ceilingDealerCatalog(input: unknown): Promise<unknown> {
  await store.loadHandoffContext();
  await store.stageHandoff();
  await delivery.sendHandoff();
  await ledger.appendRecord();
  return input;
}

/** No activity at all: one workflow task. The limit of any durable process on this server. */
export async function ceilingEmpty(input: unknown): Promise<unknown> {
  return input;
}
