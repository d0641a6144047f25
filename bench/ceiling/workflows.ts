import { proxyActivities } from '@temporalio/workflow';
import { presets } from '../../workflows/options';
import type { CeilingActivities } from './activities';

const local = proxyActivities<CeilingActivities>(presets.local);
const delivery = proxyActivities<CeilingActivities>(presets.delivery);

/**
 * The shape of dealerCatalog on its delivered path: the same seven activity calls in the same
 * order with the same options, each doing nothing. Its throughput is the ceiling the engine's
 * workflow could reach on this Temporal server.
 */
export async function ceilingDealerCatalog(input: unknown): Promise<unknown> {
  await local.loadPolicy();
  await local.loadRecipient();
  await local.loadConsent();
  await local.stageHandoff();
  await local.loadConsent();
  await delivery.sendHandoff();
  await local.appendRecord();
  return input;
}

/** No activity at all: one workflow task. The limit of any durable process on this server. */
export async function ceilingEmpty(input: unknown): Promise<unknown> {
  return input;
}
