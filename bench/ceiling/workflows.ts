import { proxyLocalActivities } from '@temporalio/workflow';
import { localPresets } from '../../workflows/options';
import type { CeilingActivities } from './activities';

const store = proxyLocalActivities<CeilingActivities>(localPresets.store);
const ledger = proxyLocalActivities<CeilingActivities>(localPresets.record);
const firstSend = proxyLocalActivities<CeilingActivities>(localPresets.firstSend);

/**
 * The shape of the handoff workflow on a dealer catalog request's delivered path: the same
 * activity calls in the same order with the same options (the reads, the staging, the send's
 * first try and the record, all local), each doing nothing. Its throughput is the ceiling the engine's
 * workflow could reach on this Temporal server.
 */
export async function ceilingDealerCatalog(input: unknown): Promise<unknown> {
  await store.loadHandoffContext();
  await store.stageHandoff();
  await firstSend.sendHandoff();
  await ledger.appendRecord();
  return input;
}

/** No activity at all: one workflow task. The limit of any durable process on this server. */
export async function ceilingEmpty(input: unknown): Promise<unknown> {
  return input;
}
