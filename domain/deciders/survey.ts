import type { Actor } from '../actor';
import type { EntrustmentBasis } from '../basis';
import { LEGACY_SURVEY_ZONE, planDeletion, STRICTEST_DELETION_RULE, surveyPurposeEnd } from '../deletion';
import { checkEntrustee, LEGACY_CONTRACT_ZONE } from '../entrustment';
import type { FieldName } from '../fields';
import { selectFields } from '../field-selection';
import type { Decider, HandoffContext, HandoffEvent, RecordEntry, Step } from '../handoff-flow';
import { selectionRefusal, unexpected, unloadedRecipient, UNLOADED_POLICY, unreachable } from '../handoff-flow';
import type { RecordOutcome } from '../record';
import type { Refusal } from '../refusals';
import type { SurveyInput } from '../requests-entrustment';
import type { Partition } from '../survey';
import { groupExclusions } from '../survey';
import { samePerson } from '../approval';

interface Ready {
  input: SurveyInput;
  context: HandoffContext;
  basis: EntrustmentBasis;
  items: FieldName[];
  partition: Partition;
  checked: number;
  /** The second person who approved the batch, when it had to wait for one, and their token (or operator). */
  approvedBy?: string | undefined;
  decidedBy?: Actor | undefined;
}
type Staged = { payloadDigest: string; messageId: string; rowCount: number };
/** A second person's decision, recorded before the batch goes on (approved) or ends (rejected). */
type Decision = { approve: true } | { approve: false; refusal: Refusal };

/**
 * A survey batch handed to the contracted firm under entrustment.
 * loading → (contract in force, design in the policy) → awaiting approval (a batch above the
 * policy's threshold, or to a recently changed firm, waits for a second person: rejected or
 * timed out, it ends refused) → holding (when a dispatch delay is set)
 * → checking customers chunk by chunk (opt-outs and incomplete files excluded, one record per
 * reason) → staging one CSV → sending (the send activity checks the contract and every
 * customer's opt-out again) → done, with the deletion follow-up handed to its own workflow.
 */
export type SurveyState =
  | { at: 'loading'; input: SurveyInput; context?: HandoffContext | undefined }
  | ({ at: 'awaiting-approval' | 'holding' | 'checking' | 'recording-exclusions' | 'staging' } & Ready)
  | ({ at: 'recording-decision'; decision: Decision } & Ready)
  | ({ at: 'sending' } & Ready & { staged: Staged })
  | { at: 'done'; input: SurveyInput; outcome: RecordOutcome; progress: number };

function base(state: Exclude<SurveyState, { at: 'done' }>): Omit<RecordEntry, 'idempotencyKey' | 'entryType' | 'outcome' | 'subjectIds' | 'items'> {
  const { input, context } = state;
  const ready = 'basis' in state ? state : undefined;
  const counts: Record<string, number> = ready === undefined || unchecked(state) ? {} : { included: ready.partition.included.length, excluded: ready.partition.excluded.length };
  return {
    disclosureId: input.disclosureId,
    kind: 'survey',
    recipient: context?.recipient ?? unloadedRecipient(input.firmId, 'survey-firm'),
    purpose: input.design,
    basis: ready?.basis,
    policy: context === undefined ? UNLOADED_POLICY : { version: context.policy.version, digest: context.policy.digest },
    requestedBy: input.requestedBy,
    actor: input.actor,
    approvedBy: ready?.approvedBy === undefined ? undefined : [ready.approvedBy],
    decidedBy: ready?.decidedBy,
    details: { surveyId: input.surveyId, endsOn: input.endsOn, requested: input.subjectIds.length, ...counts },
  };
}

/** Until every customer is checked, the batch has no partition to count. */
const unchecked = (state: SurveyState): boolean =>
  state.at === 'checking' || state.at === 'holding' || state.at === 'awaiting-approval' || state.at === 'recording-decision';

/** Before the batch is checked the record covers everyone requested; after, those who would have been sent. */
const covered = (state: Exclude<SurveyState, { at: 'done' }>): string[] =>
  'partition' in state && !unchecked(state) ? state.partition.included : state.input.subjectIds;

function finish(state: SurveyState, outcome: RecordOutcome, refusal?: Refusal, subjectIds?: string[]): { state: SurveyState; step: Step } {
  if (state.at === 'done') throw new Error('a finished survey cannot finish again');
  const progress = 'checked' in state ? state.checked : 0;
  const staged = 'staged' in state ? state.staged : undefined;
  const record: RecordEntry = {
    ...base(state),
    idempotencyKey: state.input.disclosureId,
    entryType: 'disclosure',
    outcome,
    refusal,
    subjectIds: subjectIds ?? covered(state),
    // An uncertain send may have reached the firm: the record names what was staged for it.
    items: outcome === 'delivery-uncertain' && 'items' in state ? state.items : [],
    // Refused and cancelled batches sent nothing: no digest of a payload that never left.
    payloadDigest: outcome === 'refused' || outcome === 'cancelled' ? undefined : staged?.payloadDigest,
    messageId: outcome === 'delivery-uncertain' ? staged?.messageId : undefined,
  };
  return { state: { at: 'done', input: state.input, outcome, progress }, step: { type: 'finish', record } };
}

const checkNext = (ready: Ready): { state: SurveyState; step: Step } => {
  const { subjectIds, chunkSize } = ready.input;
  if (ready.checked < subjectIds.length) {
    const ids = subjectIds.slice(ready.checked, ready.checked + chunkSize);
    return { state: { ...ready, at: 'checking' }, step: { type: 'check-subjects', subjectIds: ids, fields: ready.items, done: ready.checked } };
  }
  const state: SurveyState = { ...ready, at: 'recording-exclusions' };
  const entries = groupExclusions(ready.partition.excluded).map((group): RecordEntry => {
    const message = group.reason === 'opted-out' ? 'opted out of surveys' : "lacks the survey's fields on file";
    return {
      ...base({ ...ready, at: 'checking' }),
      idempotencyKey: `${ready.input.disclosureId}:excluded:${group.reason}`,
      entryType: 'disclosure',
      outcome: 'refused',
      refusal: { code: group.reason, message: `${group.subjectIds.length} customer(s) excluded: ${message}` },
      subjectIds: group.subjectIds,
      items: [],
    };
  });
  return { state, step: { type: 'record', entries } };
};

function stage(ready: Ready, now: string): { state: SurveyState; step: Step } {
  const { input, context } = ready;
  if (ready.partition.included.length === 0) {
    const refusal: Refusal = { code: 'batch-empty', message: `none of the ${input.subjectIds.length} customer(s) can take part in survey ${input.surveyId}` };
    return finish({ ...ready, at: 'staging' }, 'refused', refusal, []);
  }
  return {
    state: { ...ready, at: 'staging' },
    step: {
      type: 'stage-batch',
      staging: {
        disclosureId: input.disclosureId,
        issuedAt: now,
        purpose: input.design,
        surveyId: input.surveyId,
        endsOn: input.endsOn,
        subjectIds: ready.partition.included,
        fields: ready.items,
        provider: context.policy.provider,
        recipient: context.recipient,
        basis: ready.basis,
      },
    },
  };
}

function afterLoad(input: SurveyInput, context: HandoffContext, now: string): { state: SurveyState; step: Step } {
  const loading: SurveyState = { at: 'loading', input, context };
  const decision = checkEntrustee(context.policy, context.recipient, context.contract, new Date(now), context.timeZone ?? LEGACY_CONTRACT_ZONE);
  if (!decision.ok) return finish(loading, 'refused', decision.refusal);
  const selection = selectFields(context.policy.rule, input.design, {});
  const ready: Ready = { input, context, basis: decision.basis, items: selection.ok ? selection.fields : [], partition: { included: [], excluded: [] }, checked: 0 };
  if (!selection.ok) return finish({ ...ready, at: 'holding' }, 'refused', selectionRefusal(selection));
  if (input.secondPerson !== undefined) return { state: { ...ready, at: 'awaiting-approval' }, step: { type: 'await-approval', timeoutMs: input.secondPerson.timeoutMs } };
  return afterApproval(ready);
}

/**
 * The decision's own ledger entry: who decided (their token in `actor`), approved or rejected,
 * and why the batch needed a second person. It discloses nothing and names no customer.
 */
function decisionEntry(ready: Ready, event: Extract<HandoffEvent, { type: 'approved' | 'rejected' }>): RecordEntry {
  const { actor: _requester, approvedBy: _a, details, ...rest } = base({ ...ready, at: 'awaiting-approval' });
  return {
    ...rest,
    ...(event.actor !== undefined ? { actor: event.actor } : {}),
    ...(event.type === 'approved' ? { approvedBy: [event.by] } : {}),
    idempotencyKey: `${ready.input.disclosureId}:batch-decision`,
    entryType: 'approval',
    outcome: 'recorded',
    subjectIds: [],
    items: [],
    details: {
      ...details,
      decision: event.type,
      decidedBy: event.by,
      secondPersonReason: ready.input.secondPerson?.reason ?? '',
      ...(event.type === 'rejected' ? { reason: event.reason } : {}),
    },
  };
}

function decided(waiting: Ready, event: Extract<HandoffEvent, { type: 'approved' | 'rejected' }>): { state: SurveyState; step: Step } {
  const decision: Decision =
    event.type === 'approved' ? { approve: true } : { approve: false, refusal: { code: 'approval-rejected', message: `rejected by ${event.by}: ${event.reason}` } };
  const ready: Ready = event.type === 'approved' ? { ...waiting, approvedBy: event.by, decidedBy: event.actor } : { ...waiting, decidedBy: event.actor };
  if (event.record === true) return { state: { ...ready, at: 'recording-decision', decision }, step: { type: 'record', entries: [decisionEntry(ready, event)] } };
  return decision.approve ? afterApproval(ready) : finish({ ...ready, at: 'awaiting-approval' }, 'refused', decision.refusal);
}

function afterApproval(ready: Ready): { state: SurveyState; step: Step } {
  const hold = ready.input.timings.dispatchDelayMs;
  if (hold > 0) return { state: { ...ready, at: 'holding' }, step: { type: 'hold', ms: hold } };
  return checkNext(ready);
}

function delivered(state: Extract<SurveyState, { at: 'sending' }>, sent: Extract<HandoffEvent, { type: 'sent' }>): { state: SurveyState; step: Step } {
  const { input, context, basis } = state;
  const record: RecordEntry = {
    ...base(state),
    idempotencyKey: input.disclosureId,
    entryType: 'disclosure',
    outcome: 'delivered',
    subjectIds: state.partition.included,
    items: state.items,
    payloadDigest: sent.payloadDigest,
    messageId: sent.messageId,
  };
  record.details = { ...record.details, rows: state.staged.rowCount };
  const plan = planDeletion(context.policy.rule.deletion ?? STRICTEST_DELETION_RULE, surveyPurposeEnd(input.endsOn, context.timeZone ?? LEGACY_SURVEY_ZONE), sent.sentAt, input.timings);
  const { idempotencyKey: _k, entryType: _t, ...confirmation } = record;
  const followUp = {
    disclosureId: input.disclosureId,
    plan,
    record: { ...confirmation, payloadDigest: undefined, messageId: undefined, details: base(state).details },
    notice: { disclosureId: input.disclosureId, recipientName: context.recipient.name, recipientEmail: context.recipient.email, contractId: basis.contractId, reference: `survey ${input.surveyId}` },
  };
  return { state: { at: 'done', input, outcome: 'delivered', progress: state.checked }, step: { type: 'finish', record, followUp } };
}

export const surveyDecider: Decider<SurveyInput, SurveyState> = {
  initial: (input) => ({ at: 'loading', input }),

  decide(state, event: HandoffEvent) {
    if (state.at === 'done') throw new Error(`survey ${state.input.disclosureId} is done; ${event.type} came after`);
    if (event.type === 'step-failed') return finish(state, event.outcome, event.refusal);
    if (event.type === 'cancelled') return finish(state, 'cancelled', event.refusal);
    switch (state.at) {
      case 'loading':
        if (event.type === 'started') return { state, step: { type: 'load', request: { kind: 'survey', recipientId: state.input.firmId, contract: true } } };
        if (event.type === 'loaded') return afterLoad(state.input, event.context, event.now);
        break;
      case 'awaiting-approval':
        if (event.type === 'approved') {
          if (samePerson(event.by, state.input.requestedBy)) return finish(state, 'refused', { code: 'approval-same-person', message: `${event.by} requested this batch and cannot approve it` });
          return decided(state, event);
        }
        if (event.type === 'rejected') return decided(state, event);
        if (event.type === 'approval-timed-out') {
          return finish(state, 'refused', { code: 'approval-expired', message: `no second person approved the batch in time (${state.input.secondPerson?.reason ?? 'second person required'})` });
        }
        break;
      case 'recording-decision':
        if (event.type === 'recorded') {
          const { at: _at, decision, ...ready } = state;
          return decision.approve ? afterApproval(ready) : finish(state, 'refused', decision.refusal);
        }
        break;
      case 'holding':
        if (event.type === 'held') return checkNext(state);
        break;
      case 'checking':
        if (event.type === 'subjects-checked') {
          const partition = { included: [...state.partition.included, ...event.partition.included], excluded: [...state.partition.excluded, ...event.partition.excluded] };
          const checked = Math.min(state.checked + state.input.chunkSize, state.input.subjectIds.length);
          return checkNext({ ...state, partition, checked });
        }
        break;
      case 'recording-exclusions':
        if (event.type === 'recorded') return stage(state, event.now);
        break;
      case 'staging':
        if (event.type === 'staged') {
          const staged = { payloadDigest: event.payloadDigest, messageId: event.messageId, rowCount: event.rowCount ?? state.partition.included.length };
          const excludedSubjectIds = state.partition.excluded.map((e) => e.subjectId);
          return { state: { ...state, at: 'sending', staged }, step: { type: 'send', disclosureId: state.input.disclosureId, recheck: { type: 'survey', recipientId: state.input.firmId, excludedSubjectIds } } };
        }
        break;
      case 'sending':
        if (event.type === 'sent') return delivered(state, event);
        break;
      default:
        return unreachable(state);
    }
    return finish(state, 'failed', unexpected(state.at, event));
  },

  describe(state) {
    const total = state.input.subjectIds.length;
    if (state.at === 'done') return { step: 'done', fields: [], progress: { done: state.progress, total } };
    const fields = 'items' in state ? state.items : [];
    const done = 'checked' in state ? state.checked : 0;
    const step = { loading: 'checking contract', 'awaiting-approval': 'waiting for a second person', 'recording-decision': 'recording the second person\'s decision', holding: 'holding before dispatch', checking: 'checking customers', 'recording-exclusions': 'recording exclusions', staging: 'staging handoff', sending: 'sending' }[state.at];
    return { step, fields, progress: { done, total } };
  },
};
