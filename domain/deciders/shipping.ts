import type { EntrustmentBasis } from '../basis';
import { planDeletion, STRICTEST_DELETION_RULE } from '../deletion';
import { checkEntrustee, LEGACY_CONTRACT_ZONE } from '../entrustment';
import type { FieldName } from '../fields';
import { selectFields } from '../field-selection';
import type { Decider, HandoffContext, HandoffEvent, RecordEntry, Step } from '../handoff-flow';
import { selectionRefusal, unexpected, unloadedRecipient, UNLOADED_POLICY, unreachable } from '../handoff-flow';
import { SHIPPING_PURPOSE } from '../purposes';
import type { RecordOutcome } from '../record';
import type { Refusal } from '../refusals';
import type { ShippingInput } from '../requests-entrustment';
import { shippingOptions } from '../shipping';

interface Ready {
  input: ShippingInput;
  context: HandoffContext;
  basis: EntrustmentBasis;
  items: FieldName[];
  options: Record<string, string>;
}
type Staged = { payloadDigest: string; messageId: string };

/**
 * One shipment's delivery data handed to the contracted carrier under entrustment.
 * loading → (contract in force; fields, phone only where the policy names the carrier) →
 * staging → holding (when a dispatch delay is set) → sending (the send activity checks the
 * contract again) → done, with the deletion follow-up handed to its own workflow.
 */
export type ShippingState =
  | { at: 'loading'; input: ShippingInput; context?: HandoffContext | undefined }
  | ({ at: 'staging' } & Ready)
  | ({ at: 'holding' } & Ready & { staged: Staged })
  | ({ at: 'sending' } & Ready & { staged: Staged })
  | { at: 'done'; input: ShippingInput; outcome: RecordOutcome; items: FieldName[] };

type Live = Exclude<ShippingState, { at: 'done' }>;

function entry(state: Live, outcome: RecordOutcome, refusal?: Refusal, sent?: Staged): RecordEntry {
  const { input, context } = state;
  const ready = 'basis' in state ? state : undefined;
  const staged = 'staged' in state ? state.staged : undefined;
  return {
    idempotencyKey: input.disclosureId,
    entryType: 'disclosure',
    disclosureId: input.disclosureId,
    kind: 'shipping',
    outcome,
    refusal,
    subjectIds: [input.subjectId],
    recipient: context?.recipient ?? unloadedRecipient(input.carrierId, 'carrier'),
    purpose: SHIPPING_PURPOSE,
    basis: ready?.basis,
    items: sent !== undefined ? (ready?.items ?? []) : [],
    policy: context === undefined ? UNLOADED_POLICY : { version: context.policy.version, digest: context.policy.digest },
    requestedBy: input.requestedBy,
    actor: input.actor,
    // Refused and cancelled handoffs sent nothing: no digest of a payload that never left.
    payloadDigest: sent?.payloadDigest ?? (outcome === 'refused' || outcome === 'cancelled' ? undefined : staged?.payloadDigest),
    messageId: sent?.messageId,
    details: { shipmentRef: input.shipmentRef, ...(ready?.options ?? {}) },
  };
}

function finish(state: Live, outcome: RecordOutcome, refusal?: Refusal): { state: ShippingState; step: Step } {
  // An uncertain send may have reached the carrier: the record names what was staged for it.
  const maybeSent = outcome === 'delivery-uncertain' && 'staged' in state ? state.staged : undefined;
  const record = entry(state, outcome, refusal, maybeSent);
  return { state: { at: 'done', input: state.input, outcome, items: record.items }, step: { type: 'finish', record } };
}

function afterLoad(input: ShippingInput, context: HandoffContext, now: string): { state: ShippingState; step: Step } {
  const loading: ShippingState = { at: 'loading', input, context };
  const decision = checkEntrustee(context.policy, context.recipient, context.contract, new Date(now), context.timeZone ?? LEGACY_CONTRACT_ZONE);
  if (!decision.ok) return finish(loading, 'refused', decision.refusal);
  const options = shippingOptions(context.policy.rule, input.carrierId);
  const selection = selectFields(context.policy.rule, SHIPPING_PURPOSE, options);
  if (!selection.ok) return finish({ at: 'staging', input, context, basis: decision.basis, items: [], options: {} }, 'refused', selectionRefusal(selection));
  const ready: Ready = { input, context, basis: decision.basis, items: selection.fields, options };
  return {
    state: { at: 'staging', ...ready },
    step: {
      type: 'stage',
      staging: {
        disclosureId: input.disclosureId,
        kind: 'shipping',
        purpose: SHIPPING_PURPOSE,
        issuedAt: now,
        subjectId: input.subjectId,
        fields: ready.items,
        provider: context.policy.provider,
        recipient: context.recipient,
        basis: decision.basis,
        details: { shipmentRef: input.shipmentRef },
        subjectLine: `配送先データ / Shipment ${input.shipmentRef} (${input.disclosureId})`,
        instructions: decision.basis.instructions,
      },
    },
  };
}

const send = (state: Ready & { staged: Staged }): { state: ShippingState; step: Step } => ({
  state: { ...state, at: 'sending' },
  step: { type: 'send', disclosureId: state.input.disclosureId, recheck: { type: 'entrustment', recipientId: state.input.carrierId } },
});

function delivered(state: Extract<ShippingState, { at: 'sending' }>, sent: Extract<HandoffEvent, { type: 'sent' }>): { state: ShippingState; step: Step } {
  const { input, context, basis } = state;
  const record = entry(state, 'delivered', undefined, sent);
  // The carrier's purpose ends with delivery, which the engine does not see: the window counts from the handoff.
  const plan = planDeletion(context.policy.rule.deletion ?? STRICTEST_DELETION_RULE, sent.sentAt, sent.sentAt, input.timings);
  const { idempotencyKey: _k, entryType: _t, ...confirmation } = record;
  const followUp = {
    disclosureId: input.disclosureId,
    plan,
    record: { ...confirmation, payloadDigest: undefined, messageId: undefined },
    notice: { disclosureId: input.disclosureId, recipientName: context.recipient.name, recipientEmail: context.recipient.email, contractId: basis.contractId, reference: `shipment ${input.shipmentRef}` },
  };
  return { state: { at: 'done', input, outcome: 'delivered', items: state.items }, step: { type: 'finish', record, followUp } };
}

export const shippingDecider: Decider<ShippingInput, ShippingState> = {
  initial: (input) => ({ at: 'loading', input }),

  decide(state, event: HandoffEvent) {
    if (state.at === 'done') throw new Error(`shipment ${state.input.disclosureId} is done; ${event.type} came after`);
    if (event.type === 'step-failed') return finish(state, event.outcome, event.refusal);
    if (event.type === 'cancelled') return finish(state, 'cancelled', event.refusal);
    switch (state.at) {
      case 'loading':
        if (event.type === 'started') return { state, step: { type: 'load', request: { kind: 'shipping', recipientId: state.input.carrierId, contract: true } } };
        if (event.type === 'loaded') return afterLoad(state.input, event.context, event.now);
        break;
      case 'staging':
        if (event.type === 'staged') {
          const staged = { payloadDigest: event.payloadDigest, messageId: event.messageId };
          const hold = state.input.timings.dispatchDelayMs;
          if (hold > 0) return { state: { ...state, at: 'holding', staged }, step: { type: 'hold', ms: hold } };
          return send({ ...state, staged });
        }
        break;
      case 'holding':
        if (event.type === 'held') return send(state);
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
    const fields = 'items' in state ? state.items : [];
    const step = { loading: 'checking contract', staging: 'staging handoff', holding: 'holding before dispatch', sending: 'sending', done: 'done' }[state.at];
    return { step, fields };
  },
};
