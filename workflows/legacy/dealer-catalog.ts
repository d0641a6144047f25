import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { Basis } from '../../domain/basis';
import { checkConsent, checkRecipientKind } from '../../domain/basis';
import type { FieldName } from '../../domain/fields';
import { selectFields } from '../../domain/field-selection';
import type { DisclosureRecordInput, DisclosureResult, RecordOutcome } from '../../domain/record';
import type { Refusal } from '../../domain/refusals';
import type { DealerCatalogInput } from '../../domain/requests';
import { DEALER_CATALOG_PURPOSE } from '../../domain/purposes';
import type { StatusView } from '../definitions';
import { cancelSignal, statusQuery } from '../definitions';
import { classifyActivityError } from '../failures';
import { presets } from '../options';

const local = proxyActivities<Activities>(presets.local);
const delivery = proxyActivities<Activities>(presets.delivery);

/**
 * A customer's catalog request passed to the dealer they selected, on their consent.
 * Steps: consent → minimum fields → stage → (hold) → consent again → send → record.
 */
export async function dealerCatalog(input: DealerCatalogInput): Promise<DisclosureResult> {
  const view: StatusView = { id: input.disclosureId, kind: 'dealer-catalog', status: 'pending', step: 'started', fields: [] };
  let cancelled: Refusal | undefined;
  setHandler(statusQuery, () => view);
  setHandler(cancelSignal, (refusal) => {
    cancelled ??= refusal;
  });

  const policy = await local.loadPolicy('dealer-catalog');
  const recipient = await local.loadRecipient(input.dealerId);
  const { workflowId, runId } = workflowInfo();
  const request = { subjectId: input.subjectId, recipientId: input.dealerId, purpose: DEALER_CATALOG_PURPOSE };

  const finish = async (
    outcome: RecordOutcome,
    extra: { refusal?: Refusal; basis?: Basis; items?: FieldName[]; payloadDigest?: string; messageId?: string },
  ): Promise<DisclosureResult> => {
    view.step = 'recording';
    const record: DisclosureRecordInput = {
      idempotencyKey: input.disclosureId,
      entryType: 'disclosure',
      disclosureId: input.disclosureId,
      kind: 'dealer-catalog',
      outcome,
      refusal: extra.refusal,
      workflowId,
      runId,
      subjectIds: [input.subjectId],
      recipient,
      purpose: DEALER_CATALOG_PURPOSE,
      basis: extra.basis,
      items: extra.items ?? [],
      policy: { version: policy.version, digest: policy.digest },
      requestedBy: input.requestedBy,
      payloadDigest: extra.payloadDigest,
      messageId: extra.messageId,
      occurredAt: new Date().toISOString(),
      details: { catalog: input.catalog, contact: input.contact, handover: input.handover },
    };
    const { recordId } = await local.appendRecord(record);
    view.status = outcome;
    view.step = 'done';
    view.reason = extra.refusal;
    view.fields = extra.items ?? [];
    return { id: input.disclosureId, kind: 'dealer-catalog', status: outcome, fields: view.fields, reason: extra.refusal, recordId, messageId: extra.messageId };
  };

  const wrongKind = checkRecipientKind(recipient, policy.rule.recipientKind);
  if (wrongKind !== undefined) return finish('refused', { refusal: wrongKind });

  view.step = 'checking consent';
  const consent = input.consentId !== undefined
    ? await local.loadConsent(input.consentId)
    : await local.findActiveConsent(input.subjectId, input.dealerId, DEALER_CATALOG_PURPOSE);
  const decision = checkConsent(consent, request, new Date());
  if (!decision.ok) return finish('refused', { refusal: decision.refusal });
  const basis = decision.basis;

  const selection = selectFields(policy.rule, DEALER_CATALOG_PURPOSE, { contact: input.contact, handover: input.handover });
  if (!selection.ok) {
    const code = selection.code === 'unknown-purpose' ? 'policy-purpose-unknown' : 'policy-option-invalid';
    return finish('refused', { refusal: { code, message: selection.message }, basis });
  }
  const items = selection.fields;
  view.fields = items;

  view.step = 'staging handoff';
  let staged;
  try {
    staged = await local.stageHandoff({
      disclosureId: input.disclosureId,
      kind: 'dealer-catalog',
      purpose: DEALER_CATALOG_PURPOSE,
      issuedAt: new Date().toISOString(),
      subjectId: input.subjectId,
      fields: items,
      provider: policy.provider,
      recipient,
      basis,
      details: { catalog: input.catalog },
      subjectLine: `カタログ請求のご連絡 / Catalog request ${input.disclosureId}`,
    });
  } catch (err) {
    const { outcome, refusal } = classifyActivityError(err);
    return finish(outcome, { refusal, basis });
  }

  if (input.timings.dispatchDelayMs > 0) {
    view.step = 'holding before dispatch';
    await condition(() => cancelled !== undefined, input.timings.dispatchDelayMs);
  }
  if (cancelled !== undefined) return finish('cancelled', { refusal: cancelled, basis });

  view.step = 'checking consent again';
  const again = checkConsent(await local.loadConsent(basis.consentId), request, new Date());
  if (!again.ok) return finish('refused', { refusal: again.refusal, basis });

  view.step = 'sending';
  try {
    const sent = await delivery.sendHandoff({
      disclosureId: input.disclosureId,
      recheck: { type: 'consent', consentId: basis.consentId, ...request },
    });
    return finish('delivered', { basis, items, payloadDigest: sent.payloadDigest, messageId: sent.messageId });
  } catch (err) {
    const { outcome, refusal } = classifyActivityError(err);
    return finish(outcome, { refusal, basis, payloadDigest: staged.payloadDigest });
  }
}
