/**
 * Every reason the engine refuses or stops a disclosure. Each code is stable: it is stored in
 * the ledger and counted in reports, so codes are added, never renamed.
 */
export const REFUSAL_CODES = [
  'consent-missing',
  'consent-withdrawn',
  'consent-other-subject',
  'consent-other-recipient',
  'consent-other-purpose',
  'consent-not-yet-given',
  'recipient-wrong-kind',
  'contract-missing',
  'contract-not-in-force',
  'supervision-overdue',
  'opted-out',
  'policy-purpose-unknown',
  'policy-option-invalid',
  'approval-rejected',
  'approval-expired',
  'approval-same-person',
  'basis-not-allowed',
  'subject-data-missing',
  'delivery-rejected',
  'approval-fields-not-requested',
  'review-same-person',
  'policy-fields-not-allowed',
  'batch-empty',
  'not-found',
  'policy-invalid',
  'delivery-timeout',
  'delivery-uncertain',
  'unexpected-failure',
  'subject-erased',
  'recipient-pending',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  message: string;
}

/**
 * Failure type names carried by non-retryable activity failures, so that a workflow can tell
 * a refusal (record it, send nothing) from an outage (retry).
 */
export const FailureType = {
  BasisRefused: 'BasisRefused',
  InvalidRecipient: 'InvalidRecipient',
  NotFound: 'NotFound',
  DeliveryRejected: 'DeliveryRejected',
  PolicyInvalid: 'PolicyInvalid',
  /** A send was started before and its SMTP outcome is unknown; never retried, never a refusal. */
  DeliveryUncertain: 'DeliveryUncertain',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];
