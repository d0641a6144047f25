import type { ConsentBasis } from '../basis';
import { checkConsent, checkRecipientKind } from '../basis';
import type { FieldName } from '../fields';
import { selectFields } from '../field-selection';
import type { Decider, HandoffContext, HandoffEvent, RecordEntry, Step } from '../handoff-flow';
import { selectionRefusal, unexpected, unloadedRecipient, UNLOADED_POLICY, unreachable } from '../handoff-flow';
import { DEALER_CATALOG_PURPOSE } from '../purposes';
import type { RecordOutcome } from '../record';
import type { Refusal } from '../refusals';
import type { DealerCatalogInput } from '../requests';

interface Ready {
  input: DealerCatalogInput;
  context: HandoffContext;
  basis: ConsentBasis;
  items: FieldName[];
}
interface Staged {
  payloadDigest: string;
  messageId: string;
}

/**
 * A customer's catalog request passed to the dealer they selected, on their consent.
 * loading → (recipient is a dealer, consent fits, minimum fields) → staging → holding (when a
 * dispatch delay is set) → sending (the send activity checks the consent again) → done.
 */
export type DealerState =
  | { at: 'loading'; input: DealerCatalogInput; context?: HandoffContext | undefined }
  | ({ at: 'staging' } & Ready)
  | ({ at: 'holding' } & Ready & { staged: Staged })
  | ({ at: 'sending' } & Ready & { staged: Staged })
  | { at: 'done'; input: DealerCatalogInput; outcome: RecordOutcome };

const request = (input: DealerCatalogInput) => ({ subjectId: input.subjectId, recipientId: input.dealerId, purpose: DEALER_CATALOG_PURPOSE });

type Live = Exclude<DealerState, { at: 'done' }>;

function entry(state: Live, outcome: RecordOutcome, extra: { refusal?: Refusal; staged?: Staged } = {}): RecordEntry {
  const { input } = state;
  const ready = 'basis' in state ? state : undefined;
  const context = state.context;
  // The recipient holds the data, or may: the record names what was (or may have been) sent.
  const delivered = outcome === 'delivered' || outcome === 'delivery-uncertain';
  return {
    idempotencyKey: input.disclosureId,
    entryType: 'disclosure',
    disclosureId: input.disclosureId,
    kind: 'dealer-catalog',
    outcome,
    refusal: extra.refusal,
    subjectIds: [input.subjectId],
    recipient: context?.recipient ?? unloadedRecipient(input.dealerId, 'dealer'),
    purpose: DEALER_CATALOG_PURPOSE,
    basis: ready?.basis,
    items: delivered ? (ready?.items ?? []) : [],
    policy: context === undefined ? UNLOADED_POLICY : { version: context.policy.version, digest: context.policy.digest },
    requestedBy: input.requestedBy,
    actor: input.actor,
    // Refused and cancelled handoffs sent nothing: no digest of a payload that never left.
    payloadDigest: outcome === 'refused' || outcome === 'cancelled' ? undefined : extra.staged?.payloadDigest,
    messageId: delivered ? extra.staged?.messageId : undefined,
    details: { catalog: input.catalog, contact: input.contact, handover: input.handover },
  };
}

const finish = (state: Live, outcome: RecordOutcome, extra: { refusal?: Refusal; staged?: Staged } = {}) => ({
  state: { at: 'done', input: state.input, outcome } as DealerState,
  step: { type: 'finish', record: entry(state, outcome, extra) } as Step,
});

function afterLoad(input: DealerCatalogInput, context: HandoffContext, now: string): { state: DealerState; step: Step } {
  const loading: DealerState = { at: 'loading', input, context };
  const wrongKind = checkRecipientKind(context.recipient, context.policy.rule.recipientKind);
  if (wrongKind !== undefined) return finish(loading, 'refused', { refusal: wrongKind });
  const consent = checkConsent(context.consent, request(input), new Date(now));
  if (!consent.ok) return finish(loading, 'refused', { refusal: consent.refusal });
  const selection = selectFields(context.policy.rule, DEALER_CATALOG_PURPOSE, { contact: input.contact, handover: input.handover });
  if (!selection.ok) return finish({ at: 'staging', input, context, basis: consent.basis, items: [] }, 'refused', { refusal: selectionRefusal(selection) });
  const ready: Ready = { input, context, basis: consent.basis, items: selection.fields };
  return {
    state: { at: 'staging', ...ready },
    step: {
      type: 'stage',
      staging: {
        disclosureId: input.disclosureId,
        kind: 'dealer-catalog',
        purpose: DEALER_CATALOG_PURPOSE,
        issuedAt: now,
        subjectId: input.subjectId,
        fields: ready.items,
        provider: context.policy.provider,
        recipient: context.recipient,
        basis: consent.basis,
        details: { catalog: input.catalog },
        subjectLine: `カタログ請求のご連絡 / Catalog request ${input.disclosureId}`,
      },
    },
  };
}

const send = (ready: Ready, staged: Staged): { state: DealerState; step: Step } => ({
  state: { ...ready, at: 'sending', staged },
  step: { type: 'send', disclosureId: ready.input.disclosureId, recheck: { type: 'consent', consentId: ready.basis.consentId, ...request(ready.input) } },
});

export const dealerCatalogDecider: Decider<DealerCatalogInput, DealerState> = {
  initial: (input) => ({ at: 'loading', input }),

  decide(state, event: HandoffEvent) {
    if (state.at === 'done') throw new Error(`catalog request ${state.input.disclosureId} is done; ${event.type} came after`);
    const staged = 'staged' in state ? state.staged : undefined;
    if (event.type === 'step-failed') return finish(state, event.outcome, { refusal: event.refusal, ...(staged ? { staged } : {}) });
    if (event.type === 'cancelled') return finish(state, 'cancelled', { refusal: event.refusal });
    switch (state.at) {
      case 'loading':
        if (event.type === 'started') return { state, step: { type: 'load', request: { kind: 'dealer-catalog', recipientId: state.input.dealerId, consent: { consentId: state.input.consentId, subjectId: state.input.subjectId, purpose: DEALER_CATALOG_PURPOSE } } } };
        if (event.type === 'loaded') return afterLoad(state.input, event.context, event.now);
        break;
      case 'staging':
        if (event.type === 'staged') {
          const ref = { payloadDigest: event.payloadDigest, messageId: event.messageId };
          const hold = state.input.timings.dispatchDelayMs;
          if (hold > 0) return { state: { ...state, at: 'holding', staged: ref }, step: { type: 'hold', ms: hold } };
          return send(state, ref);
        }
        break;
      case 'holding':
        if (event.type === 'held') return send(state, state.staged);
        break;
      case 'sending':
        if (event.type === 'sent') return finish(state, 'delivered', { staged: { payloadDigest: event.payloadDigest, messageId: event.messageId } });
        break;
      default:
        return unreachable(state);
    }
    return finish(state, 'failed', { refusal: unexpected(state.at, event), ...(staged ? { staged } : {}) });
  },

  describe(state) {
    const fields = state.at === 'done' || state.at === 'loading' ? [] : state.items;
    const step = { loading: 'checking consent', staging: 'staging handoff', holding: 'holding before dispatch', sending: 'sending', done: 'done' }[state.at];
    return { step, fields };
  },
};
