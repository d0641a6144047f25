import { ActivityFailure, allHandlersFinished, condition, isCancellation, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NoticeEntryType, PlannedNotice } from '../domain/notices';
import type { DisclosureRecordInput, RecordOutcome } from '../domain/record';
import type { NoticeConfirmation, NoticeState, NotifyRecipientsInput } from './notice-definitions';
import { noticeConfirmedUpdate, noticesQuery } from './notice-definitions';
import { stepFailure } from './failures';
import { localPresets, presets } from './options';

const store = proxyLocalActivities<Activities>(localPresets.store);
const ledger = proxyLocalActivities<Activities>(localPresets.record);
const delivery = proxyActivities<Activities>(presets.delivery);
const reminders = proxyActivities<Activities>(presets.notice);

const now = (): string => new Date().toISOString();

/**
 * Tells the recipients that hold a customer's data of a rectification, an erasure or a withdrawn
 * consent (who is told what: domain/notices.ts). Each recipient's notice is staged (the values
 * are read in the activity, never carried here), sent, recorded, and then followed up like an
 * entrustee's deletion: wait for the confirmation until due, then remind every interval and,
 * from the Nth reminder on, tell the privacy office too. Every step is a ledger entry.
 */
export async function notifyRecipients(input: NotifyRecipientsInput): Promise<{ batchId: string; notices: NoticeState[] }> {
  const startedAt = now();
  const dueAt = new Date(Date.parse(startedAt) + input.timing.confirmWithinMs).toISOString();
  const states: NoticeState[] = input.notices.map((n) => ({
    noticeId: `${input.batchId}.${n.recipient.id}`,
    recipientId: n.recipient.id,
    items: n.items,
    status: 'pending',
    dueAt,
    reminders: 0,
    escalated: false,
  }));
  const confirmations = new Map<string, NoticeConfirmation>();
  const stateOf = (noticeId: string): NoticeState | undefined => states.find((s) => s.noticeId === noticeId);
  setHandler(noticesQuery, () => states);
  setHandler(
    noticeConfirmedUpdate,
    async (c) => {
      const s = stateOf(c.noticeId)!;
      if (!confirmations.has(c.noticeId)) confirmations.set(c.noticeId, c);
      await condition(() => s.recordId !== undefined || s.status === 'failed');
      return s;
    },
    {
      validator: (c) => {
        const s = stateOf(c.noticeId);
        if (s === undefined) throw new Error(`no notice ${c.noticeId} in ${input.batchId}`);
        if (s.status === 'failed') throw new Error(`notice ${c.noticeId} was never sent`);
      },
    },
  );

  const policy = await store.noticePolicyRef();
  const { workflowId, runId } = workflowInfo();
  const append = (n: PlannedNotice, s: NoticeState, entryType: NoticeEntryType, key: string, extra: Partial<DisclosureRecordInput> & { outcome?: RecordOutcome } = {}) =>
    ledger.appendRecord({
      idempotencyKey: key,
      entryType,
      disclosureId: s.noticeId,
      kind: n.kind,
      outcome: 'delivered',
      workflowId,
      runId,
      subjectIds: [input.subjectId],
      recipient: n.recipient,
      purpose: n.purpose,
      items: n.items,
      policy,
      requestedBy: input.requestedBy,
      actor: input.actor,
      occurredAt: now(),
      ...extra,
      details: {
        cause: input.cause.type,
        refersTo: n.disclosureIds.join(','),
        records: n.recordIds.join(','),
        dueAt,
        ...(input.cause.type === 'withdrawal' ? { consentId: input.cause.consentId } : {}),
        ...extra.details,
      },
    });

  const follow = async (n: PlannedNotice, s: NoticeState): Promise<void> => {
    let sent;
    try {
      await store.stageRecipientNotice({ noticeId: s.noticeId, subjectId: input.subjectId, cause: input.cause, recipient: n.recipient, items: n.items, disclosureIds: n.disclosureIds, dueAt });
      const consentIds = input.cause.type === 'rectification' ? n.consentIds : [];
      sent = await delivery.sendRecipientNotice({ noticeId: s.noticeId, consentIds });
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = stepFailure(err);
      await append(n, s, 'recipient-notice', s.noticeId, { outcome: failure.outcome, refusal: failure.refusal });
      Object.assign(s, { status: 'failed', reason: failure.refusal });
      return;
    }
    await append(n, s, 'recipient-notice', s.noticeId, { payloadDigest: sent.payloadDigest, messageId: sent.messageId, occurredAt: sent.sentAt });
    Object.assign(s, { status: 'sent', sentAt: sent.sentAt });

    const confirmed = (): boolean => confirmations.has(s.noticeId);
    const untilDue = Date.parse(dueAt) - Date.now();
    if (untilDue > 0) await condition(confirmed, untilDue);
    while (!confirmed()) {
      const reminderNo = s.reminders + 1;
      s.reminders = reminderNo;
      const escalation = reminderNo >= input.timing.escalateAfterReminders;
      for (const esc of escalation ? [false, true] : [false]) {
        try {
          const mail = await reminders.sendNoticeReminder({ noticeId: s.noticeId, recipient: n.recipient, cause: input.cause.type, disclosureIds: n.disclosureIds, dueAt, reminderNo, escalation: esc });
          const type = esc ? 'recipient-notice-escalation' : 'recipient-notice-reminder';
          await append(n, s, type, `${s.noticeId}:${esc ? 'escalation' : 'reminder'}:${reminderNo}`, {
            items: [],
            messageId: mail.messageId,
            payloadDigest: mail.payloadDigest,
            occurredAt: mail.sentAt,
            details: { reminderNo },
          });
          if (esc) s.escalated = true;
        } catch (err) {
          // A reminder that cannot be sent is left to the next one; chasing never blocks the confirmation.
          if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
        }
      }
      await condition(confirmed, input.timing.reminderIntervalMs);
    }
    const c = confirmations.get(s.noticeId)!;
    const { recordId } = await append(n, s, 'recipient-notice-confirmation', `${s.noticeId}:confirmed`, {
      items: [],
      occurredAt: c.at,
      details: { via: c.via, confirmedAt: c.at, reminders: s.reminders, overdue: c.at > dueAt },
    });
    Object.assign(s, { status: 'confirmed', confirmedAt: c.at, recordId });
  };

  await Promise.all(input.notices.map((n, i) => follow(n, states[i]!)));
  await condition(allHandlersFinished);
  return { batchId: input.batchId, notices: states };
}
