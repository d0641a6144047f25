import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { Refusal } from '../domain/refusals';
import { FailureType } from '../domain/refusals';

/** The typed application failure behind an activity failure, if there is one. */
export function applicationCause(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  return undefined;
}

/** The typed application failure a step failed with: a local activity's arrives as itself, a regular one's as the cause. */
export function failureCause(err: unknown): ApplicationFailure | undefined {
  return err instanceof ApplicationFailure ? err : applicationCause(err);
}

/** Turns a failed activity into the refusal or failure the record should carry, or rethrows. */
export function classifyActivityError(err: unknown): { outcome: 'refused' | 'failed'; refusal: Refusal } {
  const cause = applicationCause(err);
  if (cause === undefined) throw err;
  switch (cause.type) {
    case FailureType.BasisRefused:
      return { outcome: 'refused', refusal: cause.details?.[0] as Refusal };
    case FailureType.InvalidRecipient:
      return { outcome: 'refused', refusal: { code: 'recipient-wrong-kind', message: cause.message } };
    case 'SubjectDataMissing':
      return { outcome: 'failed', refusal: { code: 'subject-data-missing', message: cause.message } };
    case FailureType.DeliveryRejected:
      return { outcome: 'failed', refusal: { code: 'delivery-rejected', message: cause.message } };
    default:
      throw err;
  }
}

export interface StepFailure {
  outcome: 'refused' | 'failed' | 'delivery-uncertain';
  refusal: Refusal;
}

/**
 * Any failure of a step as what the record carries; never rethrows, so every disclosure ends
 * with a record. Refusals are refusals; a send with no known outcome is uncertain; everything
 * else, unknown failures and faults in the engine included, is a failure with its reason.
 */
export function stepFailure(err: unknown): StepFailure {
  const cause = failureCause(err);
  switch (cause?.type) {
    case FailureType.BasisRefused:
      return { outcome: 'refused', refusal: cause.details?.[0] as Refusal };
    case FailureType.InvalidRecipient:
      return { outcome: 'refused', refusal: { code: 'recipient-wrong-kind', message: cause.message } };
    case 'SubjectDataMissing':
      return { outcome: 'failed', refusal: { code: 'subject-data-missing', message: cause.message } };
    case FailureType.DeliveryRejected:
      return { outcome: 'failed', refusal: { code: 'delivery-rejected', message: cause.message } };
    case FailureType.DeliveryUncertain:
      return { outcome: 'delivery-uncertain', refusal: { code: 'delivery-uncertain', message: cause.message } };
    case FailureType.NotFound:
      return { outcome: 'failed', refusal: { code: 'not-found', message: cause.message } };
    case FailureType.PolicyInvalid:
      return { outcome: 'failed', refusal: { code: 'policy-invalid', message: cause.message } };
  }
  // Out of time: the last attempt timed out, or it failed when no retry fitted in the time left.
  if (err instanceof ActivityFailure && (err.cause instanceof TimeoutFailure || err.retryState === 'TIMEOUT')) {
    const code = err.activityType === 'sendHandoff' ? 'delivery-timeout' : 'unexpected-failure';
    return { outcome: 'failed', refusal: { code, message: `${err.activityType} gave up: ${err.cause?.message ?? err.message}` } };
  }
  const message = err instanceof Error ? `${err.name}: ${err.cause instanceof Error ? err.cause.message : err.message}` : String(err);
  return { outcome: 'failed', refusal: { code: 'unexpected-failure', message } };
}
