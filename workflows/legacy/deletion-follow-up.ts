import { ActivityFailure, allHandlersFinished, condition, isCancellation, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { DeletionNoticeInput } from '../../activities/entrustment';
import type { DeletionConfirmation, DeletionPlan, DeletionState } from '../../domain/deletion';
import { escalates } from '../../domain/deletion';
import type { StatusView } from '../definitions';
import { deletionConfirmedUpdate } from '../definitions';
import type { RecordContext, RecordFacts } from './entrustment-record';
import { entrustmentRecord } from './entrustment-record';
import { presets } from '../options';

const local = proxyActivities<Activities>(presets.local);
const notices = proxyActivities<Activities>(presets.notice);

export interface DeletionTracker {
  confirmation(): DeletionConfirmation | undefined;
}

/**
 * Accepts the entrustee's deletion confirmation once the data has gone out (view.deletion set).
 * The update returns after the confirmation is in the ledger, so the caller gets its record id.
 */
export function trackDeletion(view: StatusView): DeletionTracker {
  let confirmation: DeletionConfirmation | undefined;
  setHandler(
    deletionConfirmedUpdate,
    async (c) => {
      confirmation ??= c;
      await condition(() => view.deletion?.recordId !== undefined);
      return view.deletion!;
    },
    {
      validator: (_c: DeletionConfirmation) => {
        if (view.deletion === undefined) {
          throw new Error(`${view.id} has not handed any data over (status ${view.status}, step ${view.step}); there is nothing to delete`);
        }
      },
    },
  );
  return { confirmation: () => confirmation };
}

/**
 * Waits for the confirmation until it is due, then reminds the entrustee every interval and,
 * from the policy's count on, tells the privacy office too. A reminder that cannot be sent is
 * left to the next one: chasing must never stop the confirmation from being taken.
 */
async function awaitDeletion(
  view: StatusView & { deletion: DeletionState },
  tracker: DeletionTracker,
  plan: DeletionPlan,
  notice: Omit<DeletionNoticeInput, 'reminderNo' | 'escalation' | 'dueAt'>,
): Promise<DeletionConfirmation> {
  const confirmed = (): boolean => tracker.confirmation() !== undefined;
  const untilDue = Date.parse(plan.dueAt) - Date.now();
  if (untilDue > 0) await condition(confirmed, untilDue);
  while (!confirmed()) {
    const reminderNo = view.deletion.reminders + 1;
    view.deletion.reminders = reminderNo;
    view.step = `deletion overdue: reminder ${reminderNo} sent`;
    const escalation = escalates(reminderNo, plan);
    for (const esc of escalation ? [false, true] : [false]) {
      try {
        await notices.sendDeletionNotice({ ...notice, dueAt: plan.dueAt, reminderNo, escalation: esc });
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
        view.step = `deletion overdue: reminder ${reminderNo} could not be sent`;
      }
    }
    if (escalation) view.deletion.escalated = true;
    await condition(confirmed, plan.reminderIntervalMs);
  }
  return tracker.confirmation()!;
}

/**
 * After a handoff to an entrustee: wait for its deletion confirmation (chasing it when overdue)
 * and record it. The disclosure stays `delivered` meanwhile; its workflow ends only here, so
 * `disclosure wait` returns once deletion is confirmed.
 */
export async function followUpDeletion(args: {
  view: StatusView;
  tracker: DeletionTracker;
  plan: DeletionPlan;
  record: RecordContext;
  delivered: Pick<RecordFacts, 'subjectIds' | 'basis' | 'items'>;
  notice: Omit<DeletionNoticeInput, 'reminderNo' | 'escalation' | 'dueAt'>;
}): Promise<DeletionState> {
  const { plan } = args;
  const view = Object.assign(args.view, { deletion: { dueAt: plan.dueAt, reminders: 0, escalated: false } });
  view.step = 'awaiting deletion confirmation';
  const confirmation = await awaitDeletion(view, args.tracker, plan, args.notice);
  view.step = 'recording deletion confirmation';
  const { recordId } = await local.appendRecord(
    entrustmentRecord(
      args.record,
      { key: `${args.record.disclosureId}:deletion`, entryType: 'deletion-confirmation' },
      {
        outcome: 'delivered',
        ...args.delivered,
        details: {
          confirmedBy: confirmation.by,
          confirmedAt: confirmation.at,
          deletionDueAt: plan.dueAt,
          reminders: view.deletion.reminders,
          overdue: confirmation.at > plan.dueAt,
        },
      },
    ),
  );
  view.deletion = { ...view.deletion, confirmedBy: confirmation.by, confirmedAt: confirmation.at, recordId };
  view.step = 'done';
  await condition(allHandlersFinished);
  return view.deletion;
}
