import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { planDeletion, STRICTEST_DELETION_RULE } from '../../domain/deletion';
import { checkEntrustee, LEGACY_CONTRACT_ZONE } from '../../domain/entrustment';
import { selectFields } from '../../domain/field-selection';
import type { DisclosureResult } from '../../domain/record';
import type { Refusal } from '../../domain/refusals';
import type { ShippingInput } from '../../domain/requests-entrustment';
import { SHIPPING_PURPOSE } from '../../domain/purposes';
import { shippingOptions } from '../../domain/shipping';
import { followUpDeletion, trackDeletion } from './deletion-follow-up';
import type { StatusView } from '../definitions';
import { cancelSignal, statusQuery } from '../definitions';
import type { RecordContext, RecordFacts } from './entrustment-record';
import { entrustmentRecord } from './entrustment-record';
import { classifyActivityError } from '../failures';
import { presets } from '../options';

const local = proxyActivities<Activities>(presets.local);
const delivery = proxyActivities<Activities>(presets.delivery);

/**
 * One shipment's delivery data handed to the contracted carrier under entrustment.
 * Steps: contract → fields (phone only where the policy names the carrier) → stage → (hold)
 * → contract again → send → record → deletion follow-up.
 */
export async function shipping(input: ShippingInput): Promise<DisclosureResult> {
  const view: StatusView = { id: input.disclosureId, kind: 'shipping', status: 'pending', step: 'started', fields: [] };
  let cancelled: Refusal | undefined;
  setHandler(statusQuery, () => view);
  setHandler(cancelSignal, (refusal) => {
    cancelled ??= refusal;
  });
  const tracker = trackDeletion(view);

  const policy = await local.loadPolicy('shipping');
  const recipient = await local.loadRecipient(input.carrierId);
  const { workflowId, runId } = workflowInfo();
  const subjectIds = [input.subjectId];
  const record: RecordContext = {
    disclosureId: input.disclosureId,
    kind: 'shipping',
    workflowId,
    runId,
    recipient,
    purpose: SHIPPING_PURPOSE,
    policy,
    requestedBy: input.requestedBy,
    details: { shipmentRef: input.shipmentRef },
  };
  const result = (): DisclosureResult => ({ id: input.disclosureId, kind: 'shipping', status: view.status, fields: view.fields, reason: view.reason, deletion: view.deletion });
  const finish = async (facts: Omit<RecordFacts, 'subjectIds'> & { outcome: 'refused' | 'cancelled' | 'failed' }): Promise<DisclosureResult> => {
    view.step = 'recording';
    await local.appendRecord(entrustmentRecord(record, { key: input.disclosureId, entryType: 'disclosure' }, { ...facts, subjectIds }));
    Object.assign(view, { status: facts.outcome, step: 'done', reason: facts.refusal, fields: [] });
    return result();
  };

  view.step = 'checking contract';
  const decision = checkEntrustee(policy, recipient, await local.loadContract(input.carrierId), new Date(), LEGACY_CONTRACT_ZONE);
  if (!decision.ok) return finish({ outcome: 'refused', refusal: decision.refusal });
  const basis = decision.basis;

  const options = shippingOptions(policy.rule, input.carrierId);
  const selection = selectFields(policy.rule, SHIPPING_PURPOSE, options);
  if (!selection.ok) {
    const code = selection.code === 'unknown-purpose' ? 'policy-purpose-unknown' : 'policy-option-invalid';
    return finish({ outcome: 'refused', refusal: { code, message: selection.message }, basis });
  }
  const items = selection.fields;
  view.fields = items;
  record.details = { ...record.details, ...options };

  view.step = 'staging handoff';
  try {
    await local.stageHandoff({
      disclosureId: input.disclosureId,
      kind: 'shipping',
      purpose: SHIPPING_PURPOSE,
      issuedAt: new Date().toISOString(),
      subjectId: input.subjectId,
      fields: items,
      provider: policy.provider,
      recipient,
      basis,
      details: { shipmentRef: input.shipmentRef },
      subjectLine: `配送先データ / Shipment ${input.shipmentRef} (${input.disclosureId})`,
      instructions: basis.instructions,
    });
  } catch (err) {
    const { outcome, refusal } = classifyActivityError(err);
    return finish({ outcome, refusal, basis });
  }

  if (input.timings.dispatchDelayMs > 0) {
    view.step = 'holding before dispatch';
    await condition(() => cancelled !== undefined, input.timings.dispatchDelayMs);
  }
  if (cancelled !== undefined) return finish({ outcome: 'cancelled', refusal: cancelled, basis });

  view.step = 'sending';
  let sent;
  try {
    sent = await delivery.sendHandoff({ disclosureId: input.disclosureId, recheck: { type: 'entrustment', recipientId: input.carrierId } });
  } catch (err) {
    const { outcome, refusal } = classifyActivityError(err);
    return finish({ outcome, refusal, basis });
  }
  const delivered = { subjectIds, basis, items };
  view.step = 'recording';
  const { recordId } = await local.appendRecord(
    entrustmentRecord(record, { key: input.disclosureId, entryType: 'disclosure' }, {
      outcome: 'delivered',
      ...delivered,
      payloadDigest: sent.payloadDigest,
      messageId: sent.messageId,
    }),
  );
  view.status = 'delivered';

  // The carrier's purpose ends with delivery, which the engine does not see: the window counts from the handoff.
  const plan = planDeletion(policy.rule.deletion ?? STRICTEST_DELETION_RULE, sent.sentAt, sent.sentAt, input.timings);
  await followUpDeletion({
    view,
    tracker,
    plan,
    record,
    delivered,
    notice: { disclosureId: input.disclosureId, recipientName: recipient.name, recipientEmail: recipient.email, contractId: basis.contractId, reference: `shipment ${input.shipmentRef}` },
  });
  return { ...result(), recordId, messageId: sent.messageId };
}
