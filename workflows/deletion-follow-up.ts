import { ActivityFailure, allHandlersFinished, condition, isCancellation, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeletionConfirmation, DeletionState } from '../domain/deletion';
import { escalates } from '../domain/deletion';
import type { DeletionFollowUp } from '../domain/handoff-flow';
import { buildRecord } from '../domain/handoff-record';
import { deletionConfirmedUpdate, deletionQuery } from './definitions';
import { localPresets, presets } from './options';

const ledger = proxyLocalActivities<Activities>(localPresets.record);
const notices = proxyActivities<Activities>(presets.notice);

/**
 * After a handoff to an entrustee, in a workflow of its own: wait for the entrustee's deletion
 * confirmation until it is due, then remind the entrustee every interval and, from the policy's
 * count on, tell the privacy office too; record the confirmation. A reminder that cannot be sent
 * is left to the next one: chasing must never stop the confirmation from being taken.
 */
export async function deletionFollowUp(input: DeletionFollowUp): Promise<DeletionState> {
  const { plan } = input;
  const deletion: DeletionState = { dueAt: plan.dueAt, reminders: 0, escalated: false };
  let confirmation: DeletionConfirmation | undefined;
  setHandler(deletionQuery, () => deletion);
  setHandler(deletionConfirmedUpdate, async (c) => {
    confirmation ??= c;
    await condition(() => deletion.recordId !== undefined);
    return deletion;
  });
  const confirmed = (): boolean => confirmation !== undefined;

  const untilDue = Date.parse(plan.dueAt) - Date.now();
  if (untilDue > 0) await condition(confirmed, untilDue);
  while (!confirmed()) {
    const reminderNo = deletion.reminders + 1;
    deletion.reminders = reminderNo;
    const escalation = escalates(reminderNo, plan);
    for (const esc of escalation ? [false, true] : [false]) {
      try {
        await notices.sendDeletionNotice({ ...input.notice, dueAt: plan.dueAt, reminderNo, escalation: esc });
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      }
    }
    if (escalation) deletion.escalated = true;
    await condition(confirmed, plan.reminderIntervalMs);
  }

  const c = confirmation!;
  const { workflowId, runId } = workflowInfo();
  const entry = {
    ...input.record,
    idempotencyKey: `${input.disclosureId}:deletion`,
    entryType: 'deletion-confirmation' as const,
    // The entry is the confirmer's, not the requester's the disclosure record names.
    ...(c.actor !== undefined ? { actor: c.actor } : {}),
    details: { ...input.record.details, confirmedBy: c.by, confirmedAt: c.at, deletionDueAt: plan.dueAt, reminders: deletion.reminders, overdue: c.at > plan.dueAt },
  };
  const { recordId } = await ledger.appendRecord(buildRecord(entry, { workflowId, runId, occurredAt: new Date().toISOString() }));
  Object.assign(deletion, { confirmedBy: c.by, confirmedAt: c.at, recordId });
  await condition(allHandlersFinished);
  return deletion;
}
