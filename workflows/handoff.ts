import { condition, isCancellation, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HandoffInput } from '../domain/deciders';
import { deciderFor, handoffDisclosureId } from '../domain/deciders';
import type { HandoffEvent, Step } from '../domain/handoff-flow';
import { unreachable } from '../domain/handoff-flow';
import { samePerson } from '../domain/approval';
import { buildRecord } from '../domain/handoff-record';
import type { DisclosureResult } from '../domain/record';
import type { Refusal } from '../domain/refusals';
import { deletionFollowUp } from './deletion-follow-up';
import type { StatusView } from './definitions';
import type { BatchDecision } from './definitions';
import { batchDecisionSignal, cancelSignal, deletionWorkflowId, statusQuery } from './definitions';
import { failureCause, stepFailure } from './failures';
import { FIRST_SEND_TIMEOUT_MS, localPresets, NON_RETRYABLE, presets } from './options';

const store = proxyLocalActivities<Activities>(localPresets.store);
const ledger = proxyLocalActivities<Activities>(localPresets.record);
const batch = proxyActivities<Activities>(presets.batch);
const delivery = proxyActivities<Activities>(presets.delivery);
const firstSend = proxyLocalActivities<Activities>(localPresets.firstSend);

/** The send's activities: the first try inside the workflow task, then retried for a day, or for as long as the request's timings say. */
interface Delivery {
  /** Set in the input of runs started since the first try is local; older runs replay without it. */
  firstTryLocal: boolean;
  first: typeof firstSend;
  retried: typeof delivery;
}

const deliveryFor = (input: HandoffInput): Delivery => {
  const giveUpMs = input.request.timings.deliveryGiveUpMs;
  const firstTryLocal = input.firstSend === 'local';
  if (giveUpMs === undefined) return { firstTryLocal, first: firstSend, retried: delivery };
  // A short give-up time bounds the first try too, so a silent mail server is not waited on longer than asked.
  const firstMs = Math.min(giveUpMs, FIRST_SEND_TIMEOUT_MS);
  return {
    firstTryLocal,
    first: proxyLocalActivities<Activities>({ ...localPresets.firstSend, startToCloseTimeout: firstMs }),
    retried: proxyActivities<Activities>({ ...presets.delivery, scheduleToCloseTimeout: giveUpMs }),
  };
};

/** A first try's failure that is the answer (a refusal at the re-check, a rejection), not a reason to retry. */
function isFinal(err: unknown): boolean {
  if (isCancellation(err)) return true;
  const cause = failureCause(err);
  return cause !== undefined && (cause.nonRetryable || NON_RETRYABLE.includes(cause.type ?? ''));
}

/**
 * One send: tried once as a local activity, which on the usual path (mail server up) keeps the
 * whole disclosure in one workflow task; anything it cannot settle is handed to the regular
 * delivery activity, which survives a long outage with backoff. Both go through the same
 * activity, which re-checks the basis and never sends a message the outbox marks as sent.
 */
async function sendOnce(send: Delivery, args: Parameters<Activities['sendHandoff']>[0]): ReturnType<Activities['sendHandoff']> {
  if (send.firstTryLocal) {
    try {
      return await send.first.sendHandoff(args);
    } catch (err) {
      if (isFinal(err)) throw err;
    }
  }
  return send.retried.sendHandoff(args);
}

const now = (): string => new Date().toISOString();

/** A second person's decision on a batch is recorded as an `approval` entry before the batch goes on. */
const DECISION_ENTRY_PATCH = 'batch-decision-entry';

/**
 * Every handoff kind (dealer catalog, survey, shipping) runs here: the kind's decider in
 * `domain/deciders/` says what to do next, this loop does it and reports back. Reads and
 * idempotent writes are local activities; what goes outside (SMTP) is tried once locally and
 * then retried as a regular activity, and long batch work is a regular activity. Whatever fails,
 * the decider turns it into the record the disclosure ends with.
 */
export async function handoff(input: HandoffInput): Promise<DisclosureResult> {
  const id = handoffDisclosureId(input);
  const decider = deciderFor(input);
  const send = deliveryFor(input);
  const view: StatusView = { id, kind: input.kind, status: 'pending', step: 'started', fields: [] };
  let cancelled: Refusal | undefined;
  setHandler(statusQuery, () => view);
  setHandler(cancelSignal, (refusal) => {
    cancelled ??= refusal;
  });
  // The first decision by someone other than the requester counts; the service refuses the requester's own.
  let decision: BatchDecision | undefined;
  setHandler(batchDecisionSignal, (d) => {
    if (decision === undefined && !samePerson(d.by, input.request.requestedBy)) decision = d;
  });

  const run = async (step: Exclude<Step, { type: 'finish' }>): Promise<HandoffEvent> => {
    try {
      if (step.type === 'await-approval') return await awaitDecision(step.timeoutMs);
      return await perform(step, () => cancelled, send);
    } catch (err) {
      if (isCancellation(err)) throw err;
      if (step.type === 'send') return sendFailure(id, err);
      return { type: 'step-failed', ...stepFailure(err), now: now() };
    }
  };

  const awaitDecision = async (timeoutMs: number): Promise<HandoffEvent> => {
    view.status = 'awaiting-approval';
    const decided = await condition(() => decision !== undefined || cancelled !== undefined, timeoutMs);
    view.status = 'pending';
    if (cancelled !== undefined) return { type: 'cancelled', refusal: cancelled, now: now() };
    if (!decided || decision === undefined) return { type: 'approval-timed-out', now: now() };
    // Runs from before the decision had a ledger entry of its own replay without one.
    const recorded = { actor: decision.actor, record: patched(DECISION_ENTRY_PATCH) };
    return decision.approve
      ? { type: 'approved', by: decision.by, ...recorded, now: now() }
      : { type: 'rejected', by: decision.by, reason: decision.reason ?? '', ...recorded, now: now() };
  };

  let state = decider.state;
  let event: HandoffEvent = { type: 'started', now: now() };
  for (;;) {
    let next: { state: unknown; step: Step };
    try {
      next = decider.decide(state, event);
    } catch (err) {
      next = decider.decide(state, { type: 'step-failed', ...stepFailure(err), now: now() });
    }
    state = next.state;
    Object.assign(view, decider.describe(state));
    if (next.step.type === 'finish') return finish(view, next.step);
    event = await run(next.step);
  }
}

async function perform(step: Exclude<Step, { type: 'finish' | 'await-approval' }>, cancelled: () => Refusal | undefined, send: Delivery): Promise<HandoffEvent> {
  switch (step.type) {
    case 'load':
      return { type: 'loaded', context: await store.loadHandoffContext(step.request), now: now() };
    case 'check-subjects':
      return { type: 'subjects-checked', partition: await batch.checkSurveyChunk({ subjectIds: step.subjectIds, fields: step.fields }), now: now() };
    case 'record': {
      const { workflowId, runId } = workflowInfo();
      for (const entry of step.entries) await ledger.appendRecord(buildRecord(entry, { workflowId, runId, occurredAt: now() }));
      return { type: 'recorded', now: now() };
    }
    case 'stage':
      return { type: 'staged', ...(await store.stageHandoff(step.staging)), now: now() };
    case 'stage-batch':
      return { type: 'staged', ...(await batch.stageSurveyHandoff(step.staging)), now: now() };
    case 'hold': {
      await condition(() => cancelled() !== undefined, step.ms);
      const refusal = cancelled();
      return refusal !== undefined ? { type: 'cancelled', refusal, now: now() } : { type: 'held', now: now() };
    }
    case 'send': {
      const refusal = cancelled();
      if (refusal !== undefined) return { type: 'cancelled', refusal, now: now() };
      const sent = await sendOnce(send, { disclosureId: step.disclosureId, recheck: step.recheck });
      return { type: 'sent', payloadDigest: sent.payloadDigest, messageId: sent.messageId, sentAt: sent.sentAt, now: now() };
    }
    default:
      return unreachable(step);
  }
}

/**
 * A send that ended without an answer the workflow understands (a timeout, an unknown error):
 * the outbox says whether the mail server took the message, may have, or never saw it.
 */
async function sendFailure(disclosureId: string, err: unknown): Promise<HandoffEvent> {
  const known = stepFailure(err);
  if (known.refusal.code !== 'delivery-timeout' && known.refusal.code !== 'unexpected-failure') return { type: 'step-failed', ...known, now: now() };
  const where = await store.handoffSendState(disclosureId);
  switch (where.state) {
    case 'sent':
      return { type: 'sent', payloadDigest: where.sent.payloadDigest, messageId: where.sent.messageId, sentAt: where.sent.sentAt, now: now() };
    case 'attempted': {
      const message = `a send started at ${where.attemptedAt} has no known outcome (${known.refusal.message})`;
      return { type: 'step-failed', outcome: 'delivery-uncertain', refusal: { code: 'delivery-uncertain', message }, now: now() };
    }
    case 'not-staged':
    case 'not-started':
      return { type: 'step-failed', ...known, now: now() };
    default:
      return unreachable(where);
  }
}

async function finish(view: StatusView, step: Extract<Step, { type: 'finish' }>): Promise<DisclosureResult> {
  const { workflowId, runId } = workflowInfo();
  view.step = 'recording';
  const { recordId } = await ledger.appendRecord(buildRecord(step.record, { workflowId, runId, occurredAt: now() }));
  const { record, followUp } = step;
  if (followUp !== undefined) {
    await startChild(deletionFollowUp, { workflowId: deletionWorkflowId(workflowId), parentClosePolicy: ParentClosePolicy.ABANDON, args: [followUp] });
    view.deletion = { dueAt: followUp.plan.dueAt, reminders: 0, escalated: false };
  }
  Object.assign(view, { status: record.outcome, step: followUp === undefined ? 'done' : 'awaiting deletion confirmation', fields: record.items, reason: record.refusal });
  return { id: view.id, kind: view.kind, status: view.status, fields: view.fields, reason: view.reason, progress: view.progress, deletion: view.deletion, recordId, messageId: record.messageId };
}
