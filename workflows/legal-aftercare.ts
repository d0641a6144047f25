import { proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { classifyActivityError } from './failures';
import type { AftercareView, LegalAftercareInput } from './legal-aftercare-input';
import { entry, shown } from './legal-aftercare-input';
import { aftercareQuery } from './legal-definitions';
import { noReviewDue, trackReview } from './legal-review';
import { presets } from './options';

const local = proxyActivities<Activities>(presets.local);
const delivery = proxyActivities<Activities>(presets.delivery);

/**
 * What follows a legal disclosure: the customer's notice (now, at the stated date, or never)
 * and, after an emergency release, the review by a second person, with reminders to the
 * privacy office while it is overdue. Each is recorded in the ledger as its own entry.
 */
export async function legalAftercare(input: LegalAftercareInput): Promise<AftercareView> {
  const view: AftercareView = {
    notice: 'pending',
    review: input.review === undefined ? 'not required' : `due by ${shown(input, input.review.dueAt)}`,
    reviewDueAt: input.review?.dueAt,
  };
  setHandler(aftercareQuery, () => view);
  if (input.review === undefined) noReviewDue(input.disclosureId);
  await Promise.all([
    notify(input, view),
    input.review === undefined ? undefined : trackReview(input, input.review, view),
  ]);
  return view;
}

async function notify(input: LegalAftercareInput, view: AftercareView): Promise<void> {
  const { notice } = input;
  if (notice.mode === 'prohibited') {
    view.notice = 'prohibited';
    return;
  }
  if (notice.mode === 'deferred') {
    view.notice = `deferred until ${shown(input, notice.until)}`;
    const wait = Date.parse(notice.until) - Date.now();
    if (wait > 0) await sleep(wait);
  }
  const key = `${input.disclosureId}:notice`;
  const details = {
    notice: notice.mode === 'deferred' ? `deferred until ${notice.until}` : 'allowed',
    to: 'the customer',
  };
  try {
    const sent = await delivery.sendCustomerNotice({
      disclosureId: input.disclosureId,
      subjectId: input.subjectId,
      authorityName: input.authority.name,
      ground: input.ground,
      items: input.items,
      disclosedAt: input.disclosedAt,
    });
    await local.appendRecord(
      entry(input, {
        entryType: 'notice',
        idempotencyKey: key,
        messageId: sent.messageId,
        payloadDigest: sent.payloadDigest,
        details: { ...details, sentAt: sent.sentAt },
      }),
    );
    view.notice = `sent ${shown(input, sent.sentAt)}`;
  } catch (err) {
    const { refusal } = classifyActivityError(err);
    await local.appendRecord(
      entry(input, { entryType: 'notice', idempotencyKey: key, outcome: 'failed', refusal, details }),
    );
    view.notice = `failed: ${refusal.message}`;
  }
}
