import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../activities';
import type { HandoffInput } from '../../../domain/deciders';

const regular = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

/**
 * The generic handoff changed without `patched()`: it reads its context with a regular activity
 * instead of a local one. Replaying a history the real workflow wrote must fail at once.
 */
export async function handoff(input: HandoffInput): Promise<void> {
  await regular.loadHandoffContext({ kind: input.kind, recipientId: 'R-ANY' });
}
