import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ProbeActivities } from './activities';

const regular = proxyActivities<ProbeActivities>({ startToCloseTimeout: '10s' });
const noEager = proxyActivities<ProbeActivities>({ startToCloseTimeout: '10s', allowEagerDispatch: false });
const local = proxyLocalActivities<ProbeActivities>({ startToCloseTimeout: '10s' });

/** No activity at all: one workflow task, the least any durable process costs on this server. */
export async function probeEmpty(): Promise<void> {}

/** One regular no-op activity. */
export async function probeOneRegular(): Promise<void> {
  await regular.noop();
}

/** One regular no-op activity that the server must dispatch through matching (never eagerly). */
export async function probeOneRegularNoEager(): Promise<void> {
  await noEager.noop();
}

/** Seven regular no-op activities, as dealerCatalog made before its reshaping. */
export async function probeSevenRegular(): Promise<void> {
  for (let i = 0; i < 7; i++) await regular.noop();
}

/** One local no-op activity: a marker in history, no task round trip through the server. */
export async function probeOneLocal(): Promise<void> {
  await local.noop();
}
