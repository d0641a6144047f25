import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '../domain/refusals';
import { FailureType } from '../domain/refusals';

/** The typed application failure behind an activity failure, if there is one. */
export function applicationCause(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  return undefined;
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
