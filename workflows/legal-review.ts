import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { decideReview } from '../domain/approval';
import type { EmergencyReview } from '../domain/requests-legal';
import type { AftercareView, LegalAftercareInput } from './legal-aftercare-input';
import { entry, shown } from './legal-aftercare-input';
import type { RefusedAttempt } from './legal-approval';
import { refusedByRules } from './legal-approval';
import { describeAttempts } from './legal-record';
import { reviewUpdate, UpdateFailure } from './legal-definitions';
import { presets } from './options';

const local = proxyActivities<Activities>(presets.local);
const delivery = proxyActivities<Activities>(presets.delivery);

const notApplicable = (message: string): ApplicationFailure =>
  ApplicationFailure.create({ message, type: UpdateFailure.NotApplicable, nonRetryable: true });

/** Only an expedited release is reviewed; a review sent for any other is turned away as bad input. */
export function noReviewDue(disclosureId: string): void {
  const refuse = (): never => {
    throw notApplicable(`${disclosureId} was not an emergency release; no review is due`);
  };
  setHandler(reviewUpdate, refuse, { validator: (_review) => refuse() });
}

/**
 * Waits for the review of an emergency release. Past the due time the privacy office is
 * reminded, and again every window, until someone other than the releaser records the review.
 */
export async function trackReview(
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
          throw notApplicable(`${input.disclosureId} was already reviewed`);
        }
      },
    },
  );

  let reminders = 0;
  // A timer needs a positive duration, even when the review is already due.
  let wait = Math.max(1, Date.parse(due.dueAt) - Date.now());
  while (!(await condition(() => state.review !== undefined, wait))) {
    reminders += 1;
    view.review = `overdue since ${shown(input, due.dueAt)} (${reminders} reminder(s) sent)`;
    await delivery.sendReviewReminder({
      disclosureId: input.disclosureId,
      approvedBy: due.approvedBy,
      dueAt: due.dueAt,
      reminder: reminders,
    });
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
  if (refused.length > 0) details.refusedAttempts = describeAttempts(refused);
  await local.appendRecord(
    entry(input, {
      entryType: 'review',
      idempotencyKey: `${input.disclosureId}:review`,
      approvedBy: [due.approvedBy],
      ...(review.actor !== undefined ? { actor: review.actor } : {}),
      details,
    }),
  );
  view.review = `${review.outcome} by ${review.reviewer} at ${shown(input, review.at)}`;
  view.reviewDueAt = undefined;
}
