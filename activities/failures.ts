import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { Refusal } from '../domain/refusals';
import { FailureType } from '../domain/refusals';

/**
 * A refusal found by an activity: never retried, carried to the workflow as details. Benign: a
 * refusal is the engine working as meant, so the SDK does not log it as a warning.
 */
export const basisRefused = (refusal: Refusal): ApplicationFailure =>
  ApplicationFailure.create({
    message: refusal.message,
    type: FailureType.BasisRefused,
    nonRetryable: true,
    details: [refusal],
    category: ApplicationFailureCategory.BENIGN,
  });

export const notFound = (message: string): ApplicationFailure =>
  ApplicationFailure.create({ message, type: FailureType.NotFound, nonRetryable: true });

export const invalidRecipient = (message: string): ApplicationFailure =>
  ApplicationFailure.create({ message, type: FailureType.InvalidRecipient, nonRetryable: true, category: ApplicationFailureCategory.BENIGN });
