import { checkConsent, checkContract } from '../domain/basis';
import type { Refusal } from '../domain/refusals';
import type { ActivityDeps } from './deps';
import { readPolicy } from './policy';

/** What to check again at the moment of sending, by reference; the activity reads current data. */
export type BasisRecheck =
  | { type: 'consent'; consentId: string; subjectId: string; recipientId: string; purpose: string }
  | { type: 'entrustment'; recipientId: string }
  | { type: 'legal' };

export async function recheckBasis(
  deps: Pick<ActivityDeps, 'store' | 'policyPath'>,
  check: BasisRecheck,
  now: Date,
): Promise<Refusal | undefined> {
  switch (check.type) {
    case 'consent': {
      const consent = await deps.store.getConsent(check.consentId);
      const decision = checkConsent(consent, check, now);
      return decision.ok ? undefined : decision.refusal;
    }
    case 'entrustment': {
      const recipient = await deps.store.getRecipient(check.recipientId);
      const { policy } = await readPolicy(deps.policyPath);
      const decision = checkContract(recipient?.contract, now, policy.supervisionWindowDays);
      return decision.ok ? undefined : decision.refusal;
    }
    case 'legal':
      // The release was approved inside the workflow; nothing outside it can revoke it.
      return undefined;
  }
}
