import { ApplicationFailure, condition, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { decideReview } from '../domain/approval';
import type { FieldName } from '../domain/fields';
import type { DisclosureRecordInput } from '../domain/record';
import type { RecipientSnapshot } from '../domain/registry';
import type { CustomerNotice, EmergencyReview, LegalGround } from '../domain/requests-legal';
import { classifyActivityError } from './failures';
import type { RefusedAttempt } from './legal-approval';
import { refusedByRules } from './legal-approval';
import { aftercareQuery, reviewUpdate, UpdateFailure } from './legal-definitions';
import { presets } from './options';

const local = proxyActivities<Activities>(presets.local);
const delivery = proxyActivities<Activities>(presets.delivery);

export interface LegalAftercareInput {
  disclosureId: string;
  subjectId: string;
  authority: RecipientSnapshot;
  ground: LegalGround;
  documentRef: string;
  items: FieldName[];
  disclosedAt: string;
  notice: CustomerNotice;
  /** Set for an expedited (emergency) release: who released it, and by when another person must review it. */
  review?: { approvedBy: string; dueAt: string; remindEveryMs: number } | undefined;
  policy: { version: string; digest: string };
  requestedBy: string;
}

export interface AftercareView {
  notice: string;
  review: string;
}

/**
 * What follows a legal disclosure: the customer's notice (now, at the stated date, or never)
 * and, after an emergency release, the review by a second person, with reminders to the
 * privacy office while it is overdue. Each is recorded in the ledger as its own entry.
 */
export async function legalAftercare(input: LegalAftercareInput): Promise<AftercareView> {
  const view: AftercareView = { notice: 'pending', review: input.review === undefined ? 'not required' : `due by ${input.review.dueAt}` };
  setHandler(aftercareQuery, () => view);
  await Promise.all([notify(input, view), input.review === undefined ? undefined : trackReview(input, input.review, view)]);
  return view;
}

function entry(input: LegalAftercareInput, over: Partial<DisclosureRecordInput> & Pick<DisclosureRecordInput, 'entryType' | 'idempotencyKey'>): DisclosureRecordInput {
  const { workflowId, runId } = workflowInfo();
  return {
    disclosureId: input.disclosureId,
    kind: 'legal',
    outcome: 'delivered',
    workflowId,
    runId,
    subjectIds: [input.subjectId],
    recipient: input.authority,
    purpose: input.ground,
    items: [],
    policy: input.policy,
    requestedBy: input.requestedBy,
    occurredAt: new Date().toISOString(),
    ...over,
  };
}

async function notify(input: LegalAftercareInput, view: AftercareView): Promise<void> {
  const { notice } = input;
  if (notice.mode === 'prohibited') {
    view.notice = 'prohibited';
    return;
  }
  if (notice.mode === 'deferred') {
    view.notice = `deferred until ${notice.until}`;
    const wait = Date.parse(notice.until) - Date.now();
    if (wait > 0) await sleep(wait);
  }
  const key = `${input.disclosureId}:notice`;
  const details = { notice: notice.mode === 'deferred' ? `deferred until ${notice.until}` : 'allowed', to: 'the customer' };
  try {
    const sent = await delivery.sendCustomerNotice({
      disclosureId: input.disclosureId,
      subjectId: input.subjectId,
      authorityName: input.authority.name,
      ground: input.ground,
      items: input.items,
      disclosedAt: input.disclosedAt,
    });
    await local.appendRecord(entry(input, { entryType: 'notice', idempotencyKey: key, messageId: sent.messageId, payloadDigest: sent.payloadDigest, details: { ...details, sentAt: sent.sentAt } }));
    view.notice = `sent ${sent.sentAt}`;
  } catch (err) {
    const { refusal } = classifyActivityError(err);
    await local.appendRecord(entry(input, { entryType: 'notice', idempotencyKey: key, outcome: 'failed', refusal, details }));
    view.notice = `failed: ${refusal.message}`;
  }
}

async function trackReview(
  input: LegalAftercareInput,
  due: NonNullable<LegalAftercareInput['review']>,
  view: AftercareView,
): Promise<void> {
  const state: { review?: EmergencyReview & { at: string } } = {};
  const refused: RefusedAttempt[] = [];
  setHandler(
    reviewUpdate,
    (review) => {
      const at = new Date().toISOString();
      const refusal = decideReview(due.approvedBy, review.reviewer);
      if (refusal !== undefined) {
        refused.push({ by: review.reviewer, at, refusal });
        throw refusedByRules(refusal);
      }
      state.review = { ...review, at };
      return { id: input.disclosureId, reviewedBy: review.reviewer, outcome: review.outcome };
    },
    {
      validator: (_review) => {
        if (state.review !== undefined) {
          throw ApplicationFailure.create({ message: `${input.disclosureId} was already reviewed`, type: UpdateFailure.NotApplicable, nonRetryable: true });
        }
      },
    },
  );

  let reminders = 0;
  // A timer needs a positive duration, even when the review is already due.
  let wait = Math.max(1, Date.parse(due.dueAt) - Date.now());
  while (!(await condition(() => state.review !== undefined, wait))) {
    reminders += 1;
    view.review = `overdue since ${due.dueAt} (${reminders} reminder(s) sent)`;
    await delivery.sendReviewReminder({ disclosureId: input.disclosureId, approvedBy: due.approvedBy, dueAt: due.dueAt, reminder: reminders });
    wait = due.remindEveryMs;
  }
  const review = state.review as EmergencyReview & { at: string };
  const details: Record<string, string | number | boolean> = {
    reviewedBy: review.reviewer,
    reviewOutcome: review.outcome,
    reviewNotes: review.notes,
    reviewedAt: review.at,
    dueAt: due.dueAt,
    overdue: review.at > due.dueAt,
    reminders,
  };
  if (refused.length > 0) details.refusedAttempts = refused.map((a) => `${a.at} ${a.by}: ${a.refusal.code}`).join('; ');
  await local.appendRecord(entry(input, { entryType: 'review', idempotencyKey: `${input.disclosureId}:review`, approvedBy: [due.approvedBy], details }));
  view.review = `${review.outcome} by ${review.reviewer} at ${review.at}`;
}
