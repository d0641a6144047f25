import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { FailureType } from '../domain/refusals';

/** Error types an activity never retries: the answer is final (a refusal, a rejection, missing data). */
export const NON_RETRYABLE: string[] = [...Object.values(FailureType), 'SubjectDataMissing', 'StoreError'];

/** How long the send's first try may take (shorter when the request's give-up time is). */
export const FIRST_SEND_TIMEOUT_MS = 60_000;

/** The one place activity timeouts and retries are set. */
export const presets = {
  /** Reads and writes of the local database and policy file. */
  local: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
  },
  /** SMTP delivery: a down mail server is retried with backoff for up to a day. */
  delivery: {
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '24 hours',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  },
  /** Work over a slice of a batch (hundreds of customers): longer, with heartbeats to spot a dead worker. */
  batch: {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
  },
  /** Reminders: tried for a while, then left to the next reminder rather than holding up a confirmation. */
  notice: {
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: '10 minutes',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
  },
} satisfies Record<string, ActivityOptions>;

/**
 * Local activities: reads and idempotent writes of the engine's own database and policy file,
 * run by the worker inside the workflow task and recorded as a marker in history. The worker
 * retries them itself (short gaps in process, longer ones on a workflow timer) for as long as
 * the schedule-to-close timeout allows.
 */
export const localPresets = {
  /** Policy, recipient, consent or contract, staging, the record append (idempotent by key). */
  store: {
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '1 hour',
    retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
  },
  /** The record append: retried until the database takes it, since every disclosure must end with a record. */
  record: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
  },
  /**
   * The send's first try, inside the workflow task: one attempt, no retry. Whatever it cannot
   * settle (the mail server down or silent, a crash) goes on as the regular delivery activity
   * with its backoff; a final answer (refused at the re-check, rejected by the server) stands.
   */
  firstSend: {
    startToCloseTimeout: FIRST_SEND_TIMEOUT_MS,
    retry: { maximumAttempts: 1, nonRetryableErrorTypes: NON_RETRYABLE },
  },
} satisfies Record<string, LocalActivityOptions>;
