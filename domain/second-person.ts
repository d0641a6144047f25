import type { Policy } from './policy';

export const SECOND_PERSON_DEFAULTS = { surveyBatchAbove: 1_000, recipientChangedWithinDays: 30, approvalTimeoutHours: 72 } as const;

export type SecondPersonRule = { surveyBatchAbove: number; recipientChangedWithinDays: number; approvalTimeoutHours: number };

export const secondPersonRule = (policy: Pick<Policy, 'secondPerson'>): SecondPersonRule => ({ ...SECOND_PERSON_DEFAULTS, ...policy.secondPerson });

/**
 * Why a survey batch must wait for a second person, if it must: more customers than the policy's
 * threshold, or a firm whose kind, address, email or contract changed within the policy's window
 * (`lastChangedAt`: when the newest approved change took effect).
 */
export function surveySecondPersonReason(rule: SecondPersonRule, batch: { customers: number; lastChangedAt?: string | undefined; now: Date }): string | undefined {
  if (batch.customers > rule.surveyBatchAbove) return `${batch.customers} customers is above the policy's ${rule.surveyBatchAbove}`;
  if (batch.lastChangedAt !== undefined) {
    const days = (batch.now.getTime() - Date.parse(batch.lastChangedAt)) / 86_400_000;
    if (days <= rule.recipientChangedWithinDays) return `the firm's registry entry changed on ${batch.lastChangedAt}, within the policy's ${rule.recipientChangedWithinDays} days`;
  }
  return undefined;
}
