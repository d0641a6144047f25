import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../../activities';
import type { NotifyRecipientsInput } from '../../../../workflows/notice-definitions';

const regular = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

/**
 * notifyRecipients changed without `patched()`: it reads the policy version with a regular
 * activity instead of a local one. Replaying a history the real workflow wrote must fail.
 */
export async function notifyRecipients(input: NotifyRecipientsInput): Promise<void> {
  await regular.noticePolicyRef();
  await regular.stageRecipientNotice({ noticeId: `${input.batchId}.x`, subjectId: input.subjectId, cause: input.cause, recipient: input.notices[0]!.recipient, items: [], disclosureIds: [], dueAt: '' });
}
