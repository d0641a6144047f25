import type { BasisDecision, EntrustmentBasis } from './basis';
import { checkContract, checkRecipientKind } from './basis';
import type { PolicySlice } from './policy';
import type { Contract, RecipientSnapshot } from './registry';

/**
 * The zone contract days were judged in before the zone was part of a handoff's context: UTC.
 * Histories recorded then replay with it (their loaded context carries no zone).
 */
export const LEGACY_CONTRACT_ZONE = 'UTC';

/**
 * An entrustee may receive data only if the policy allows entrustment for this kind, the
 * recipient is of the kind the policy names, and its contract is in force and supervised.
 */
export function checkEntrustee(
  policy: PolicySlice,
  recipient: RecipientSnapshot,
  contract: Contract | undefined,
  now: Date,
  timeZone: string,
): BasisDecision<EntrustmentBasis> {
  if (!policy.rule.bases.includes('entrustment')) {
    return { ok: false, refusal: { code: 'basis-not-allowed', message: `policy ${policy.version} does not allow entrustment for ${policy.kind}` } };
  }
  const wrongKind = checkRecipientKind(recipient, policy.rule.recipientKind);
  if (wrongKind !== undefined) return { ok: false, refusal: wrongKind };
  return checkContract(contract, now, policy.supervisionWindowDays, timeZone);
}
