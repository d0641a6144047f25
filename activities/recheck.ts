import { checkConsent, checkContract } from '../domain/basis';
import { DEFAULT_TIME_ZONE } from '../domain/dates';
import type { BasisRecheck } from '../domain/handoff-flow';
import type { Refusal } from '../domain/refusals';
import { pendingRecipientRefusal } from '../domain/registry-entry';
import type { ActivityDeps } from './deps';
import { readPolicy } from './policy';

export type { BasisRecheck } from '../domain/handoff-flow';

/** The survey customers still in a batch who have opted out since it was checked; the first few are named. */
async function optedOutSince(deps: Pick<ActivityDeps, 'store'>, disclosureId: string, excluded: readonly string[]): Promise<Refusal | undefined> {
  const entry = await deps.store.getDisclosure(disclosureId);
  const left = new Set(excluded);
  const still = (entry?.subjectIds ?? []).filter((id) => !left.has(id));
  const subjects = await deps.store.getSubjects(still);
  const optedOut = still.filter((id) => {
    const subject = subjects.get(id);
    return subject === undefined || subject.surveyOptOut;
  });
  if (optedOut.length === 0) return undefined;
  const named = optedOut.slice(0, 10).join(', ') + (optedOut.length > 10 ? ` and ${optedOut.length - 10} more` : '');
  return { code: 'opted-out', message: `${optedOut.length} customer(s) in the batch opted out of surveys (or left the file) after it was checked: ${named}` };
}

/** The basis as it stands now, read from the database: what the send activity checks right before sending. */
export async function recheckBasis(
  deps: Pick<ActivityDeps, 'store' | 'policyPath' | 'timeZone'>,
  check: BasisRecheck,
  now: Date,
  disclosureId: string,
): Promise<Refusal | undefined> {
  if (check.type !== 'legal') {
    const [pending] = await deps.store.listRecipientChanges({ recipientId: check.recipientId, pending: true });
    if (pending !== undefined) return pendingRecipientRefusal(check.recipientId, pending.id);
  }
  switch (check.type) {
    case 'consent': {
      const consent = await deps.store.getConsent(check.consentId);
      const decision = checkConsent(consent, check, now);
      return decision.ok ? undefined : decision.refusal;
    }
    case 'entrustment':
    case 'survey': {
      const recipient = await deps.store.getRecipient(check.recipientId);
      const { policy } = await readPolicy(deps.policyPath);
      const decision = checkContract(recipient?.contract, now, policy.supervisionWindowDays, deps.timeZone ?? DEFAULT_TIME_ZONE);
      if (!decision.ok) return decision.refusal;
      return check.type === 'survey' ? optedOutSince(deps, disclosureId, check.excludedSubjectIds) : undefined;
    }
    case 'legal':
      // The release was approved inside the workflow; nothing outside it can revoke it.
      return undefined;
  }
}
