import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { LEGACY_SURVEY_ZONE, planDeletion, STRICTEST_DELETION_RULE, surveyPurposeEnd } from '../../domain/deletion';
import { checkEntrustee, LEGACY_CONTRACT_ZONE } from '../../domain/entrustment';
import { selectFields } from '../../domain/field-selection';
import type { DisclosureResult } from '../../domain/record';
import type { Refusal } from '../../domain/refusals';
import type { SurveyInput } from '../../domain/requests-entrustment';
import type { Partition } from '../../domain/survey';
import { chunk, groupExclusions } from '../../domain/survey';
import { followUpDeletion, trackDeletion } from './deletion-follow-up';
import type { StatusView } from '../definitions';
import { cancelSignal, statusQuery } from '../definitions';
import type { RecordContext, RecordFacts } from './entrustment-record';
import { entrustmentRecord } from './entrustment-record';
import { classifyActivityError } from '../failures';
import { presets } from '../options';

const local = proxyActivities<Activities>(presets.local);
const batch = proxyActivities<Activities>(presets.batch);
const delivery = proxyActivities<Activities>(presets.delivery);

/**
 * A survey batch handed to the contracted firm under entrustment.
 * Steps: contract → survey fields → (hold) → check customers chunk by chunk (opt-outs excluded)
 * → stage one CSV → contract again → send → record → deletion follow-up.
 * History carries customer ids only; the data is read and rendered by activities.
 */
export async function surveyBatch(input: SurveyInput): Promise<DisclosureResult> {
  const total = input.subjectIds.length;
  const view: StatusView = { id: input.disclosureId, kind: 'survey', status: 'pending', step: 'started', fields: [], progress: { done: 0, total } };
  let cancelled: Refusal | undefined;
  setHandler(statusQuery, () => view);
  setHandler(cancelSignal, (refusal) => {
    cancelled ??= refusal;
  });
  const tracker = trackDeletion(view);

  const policy = await local.loadPolicy('survey');
  const recipient = await local.loadRecipient(input.firmId);
  const { workflowId, runId } = workflowInfo();
  const record: RecordContext = {
    disclosureId: input.disclosureId,
    kind: 'survey',
    workflowId,
    runId,
    recipient,
    purpose: input.design,
    policy,
    requestedBy: input.requestedBy,
    details: { surveyId: input.surveyId, endsOn: input.endsOn, requested: total },
  };
  const result = (): DisclosureResult => ({
    id: input.disclosureId,
    kind: 'survey',
    status: view.status,
    fields: view.fields,
    reason: view.reason,
    progress: view.progress,
    deletion: view.deletion,
  });
  const finish = async (facts: RecordFacts & { outcome: 'refused' | 'cancelled' | 'failed' }): Promise<DisclosureResult> => {
    view.step = 'recording';
    await local.appendRecord(entrustmentRecord(record, { key: input.disclosureId, entryType: 'disclosure' }, facts));
    Object.assign(view, { status: facts.outcome, step: 'done', reason: facts.refusal, fields: [] });
    return result();
  };

  view.step = 'checking contract';
  const decision = checkEntrustee(policy, recipient, await local.loadContract(input.firmId), new Date(), LEGACY_CONTRACT_ZONE);
  if (!decision.ok) return finish({ outcome: 'refused', refusal: decision.refusal, subjectIds: input.subjectIds });
  const basis = decision.basis;

  const selection = selectFields(policy.rule, input.design, {});
  if (!selection.ok) {
    const code = selection.code === 'unknown-purpose' ? 'policy-purpose-unknown' : 'policy-option-invalid';
    return finish({ outcome: 'refused', refusal: { code, message: selection.message }, basis, subjectIds: input.subjectIds });
  }
  const items = selection.fields;
  view.fields = items;

  if (input.timings.dispatchDelayMs > 0) {
    view.step = 'holding before dispatch';
    await condition(() => cancelled !== undefined, input.timings.dispatchDelayMs);
  }
  if (cancelled !== undefined) return finish({ outcome: 'cancelled', refusal: cancelled, basis, subjectIds: input.subjectIds });

  view.step = 'checking customers';
  const partition: Partition = { included: [], excluded: [] };
  for (const ids of chunk(input.subjectIds, input.chunkSize)) {
    const part = await batch.checkSurveyChunk({ subjectIds: ids, fields: items });
    partition.included.push(...part.included);
    partition.excluded.push(...part.excluded);
    view.progress = { done: (view.progress?.done ?? 0) + ids.length, total };
  }
  for (const group of groupExclusions(partition.excluded)) {
    const message = group.reason === 'opted-out' ? 'opted out of surveys' : "lacks the survey's fields on file";
    await local.appendRecord(
      entrustmentRecord(
        record,
        { key: `${input.disclosureId}:excluded:${group.reason}`, entryType: 'disclosure' },
        { outcome: 'refused', refusal: { code: group.reason, message: `${group.subjectIds.length} customer(s) excluded: ${message}` }, basis, subjectIds: group.subjectIds },
      ),
    );
  }
  const counts = { included: partition.included.length, excluded: partition.excluded.length };
  record.details = { ...record.details, ...counts };
  if (partition.included.length === 0) {
    const refusal: Refusal = { code: 'batch-empty', message: `none of the ${total} customer(s) can take part in survey ${input.surveyId}` };
    return finish({ outcome: 'refused', refusal, basis, subjectIds: [] });
  }

  view.step = 'staging handoff';
  let staged;
  try {
    staged = await batch.stageSurveyHandoff({
      disclosureId: input.disclosureId,
      issuedAt: new Date().toISOString(),
      purpose: input.design,
      surveyId: input.surveyId,
      endsOn: input.endsOn,
      subjectIds: partition.included,
      fields: items,
      provider: policy.provider,
      recipient,
      basis,
    });
  } catch (err) {
    const { outcome, refusal } = classifyActivityError(err);
    return finish({ outcome, refusal, basis, subjectIds: partition.included });
  }
  if (cancelled !== undefined) return finish({ outcome: 'cancelled', refusal: cancelled, basis, subjectIds: partition.included });

  view.step = 'sending';
  let sent;
  try {
    sent = await delivery.sendHandoff({ disclosureId: input.disclosureId, recheck: { type: 'entrustment', recipientId: input.firmId } });
  } catch (err) {
    const { outcome, refusal } = classifyActivityError(err);
    return finish({ outcome, refusal, basis, subjectIds: partition.included, payloadDigest: staged.payloadDigest });
  }
  const delivered = { subjectIds: partition.included, basis, items };
  view.step = 'recording';
  const { recordId } = await local.appendRecord(
    entrustmentRecord(record, { key: input.disclosureId, entryType: 'disclosure' }, {
      outcome: 'delivered',
      ...delivered,
      payloadDigest: sent.payloadDigest,
      messageId: sent.messageId,
      details: { rows: staged.rowCount },
    }),
  );
  view.status = 'delivered';

  const plan = planDeletion(policy.rule.deletion ?? STRICTEST_DELETION_RULE, surveyPurposeEnd(input.endsOn, LEGACY_SURVEY_ZONE), sent.sentAt, input.timings);
  await followUpDeletion({
    view,
    tracker,
    plan,
    record,
    delivered,
    notice: { disclosureId: input.disclosureId, recipientName: recipient.name, recipientEmail: recipient.email, contractId: basis.contractId, reference: `survey ${input.surveyId}` },
  });
  return { ...result(), recordId, messageId: sent.messageId };
}
