import { ParentClosePolicy, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { approvalWindowMs, checkLegalIntake, dueAt, reviewWindowMs } from '../domain/approval';
import type { LegalBasis } from '../domain/basis';
import { checkRecipientKind } from '../domain/basis';
import type { DisclosureResult, RecordOutcome } from '../domain/record';
import type { LegalInput } from '../domain/requests-legal';
import type { StatusView } from './definitions';
import { statusQuery } from './definitions';
import { classifyActivityError } from './failures';
import { legalAftercare } from './legal-aftercare';
import type { RefusedAttempt, Verdict } from './legal-approval';
import { awaitVerdict } from './legal-approval';
import { aftercareWorkflowId } from './legal-definitions';
import type { Ending } from './legal-record';
import { legalRecord, unapproved } from './legal-record';
import { presets } from './options';

const local = proxyActivities<Activities>(presets.local);
const delivery = proxyActivities<Activities>(presets.delivery);

/**
 * A request from a court, the police or another public body, or an emergency, answered without
 * the customer's consent (APPI Art. 27(1)). Steps: intake against the policy → wait for a
 * second staff member to verify the authority and narrow the fields (or reject; or the deadline
 * passes) → stage exactly the released fields → send → record requested versus disclosed →
 * hand notice and any emergency review to the aftercare workflow.
 */
export async function legalRequest(input: LegalInput): Promise<DisclosureResult> {
  const view: StatusView = { id: input.disclosureId, kind: 'legal', status: 'pending', step: 'started', fields: [] };
  setHandler(statusQuery, () => view);
  const refusedAttempts: RefusedAttempt[] = [];

  const policy = await local.loadPolicy('legal');
  const authority = await local.loadRecipient(input.authorityId);
  const { workflowId, runId } = workflowInfo();
  const recordContext = { input, authority, policy, workflowId, runId, refusedAttempts };

  const finish = async (outcome: RecordOutcome, end: Ending): Promise<DisclosureResult> => {
    view.step = 'recording';
    const record = legalRecord(recordContext, outcome, end, new Date().toISOString());
    const { recordId } = await local.appendRecord(record);
    Object.assign(view, { status: outcome, step: 'done', reason: end.refusal, fields: end.items ?? [] });
    return {
      id: input.disclosureId,
      kind: 'legal',
      status: outcome,
      fields: view.fields,
      reason: end.refusal,
      recordId,
      messageId: end.messageId,
    };
  };

  const refusal =
    checkRecipientKind(authority, policy.rule.recipientKind) ??
    checkLegalIntake(policy.rule, input.ground, input.fields);
  const rule = policy.rule.approval;
  if (refusal !== undefined || rule === undefined) {
    return finish('refused', {
      refusal: refusal ?? { code: 'basis-not-allowed', message: 'no approval rule in the policy' },
    });
  }

  view.status = 'awaiting-approval';
  view.step = 'awaiting approval';
  const reviewWindow = reviewWindowMs(rule, input.timings.reviewWindowMs);
  const verdict = await awaitVerdict(
    input.disclosureId,
    { ground: input.ground, requestedBy: input.requestedBy, fields: input.fields },
    rule,
    approvalWindowMs(rule, input.timings.approvalWindowMs),
    refusedAttempts,
    (at) => dueAt(at, reviewWindow),
  );
  view.status = 'pending';
  if (verdict.type !== 'approved') return finish('refused', unapproved(verdict));

  const basis: LegalBasis = {
    type: 'legal',
    ground: input.ground,
    documentRef: input.documentRef,
    authorityVerification: `${verdict.authorityCheck} (${verdict.approvedBy}, ${verdict.at})`,
  };
  const approved: Ending = {
    basis,
    approvedBy: [verdict.approvedBy],
    decidedBy: verdict.actor,
    details: { expedited: verdict.expedited, approvedAt: verdict.at },
  };
  view.fields = verdict.fields;
  let sent;
  try {
    view.step = 'staging handoff';
    await local.stageHandoff({
      disclosureId: input.disclosureId,
      kind: 'legal',
      purpose: input.ground,
      issuedAt: new Date().toISOString(),
      subjectId: input.subjectId,
      fields: verdict.fields,
      provider: policy.provider,
      recipient: authority,
      basis,
      details: { documentRef: input.documentRef, issuingOfficial: input.issuingOfficial },
      subjectLine: `法令に基づく照会への回答 / Response to request ${input.documentRef} (${input.disclosureId})`,
    });
    view.step = 'sending';
    sent = await delivery.sendHandoff({ disclosureId: input.disclosureId, recheck: { type: 'legal' } });
  } catch (err) {
    const failed = classifyActivityError(err);
    return finish(failed.outcome, { ...approved, refusal: failed.refusal });
  }
  const result = await finish('delivered', {
    ...approved,
    items: verdict.fields,
    payloadDigest: sent.payloadDigest,
    messageId: sent.messageId,
  });
  await startAftercare(input, verdict, authority, policy, sent.sentAt, reviewWindow);
  return result;
}

/** Notice and the emergency review may take days; they continue after this workflow has ended. */
async function startAftercare(
  input: LegalInput,
  verdict: Extract<Verdict, { type: 'approved' }>,
  authority: Awaited<ReturnType<Activities['loadRecipient']>>,
  policy: Awaited<ReturnType<Activities['loadPolicy']>>,
  disclosedAt: string,
  reviewWindow: number,
): Promise<void> {
  if (input.notice.mode === 'prohibited' && !verdict.expedited) return;
  await startChild(legalAftercare, {
    workflowId: aftercareWorkflowId(workflowInfo().workflowId),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        disclosureId: input.disclosureId,
        subjectId: input.subjectId,
        authority,
        ground: input.ground,
        documentRef: input.documentRef,
        items: verdict.fields,
        disclosedAt,
        notice: input.notice,
        review: verdict.expedited
          ? { approvedBy: verdict.approvedBy, dueAt: dueAt(verdict.at, reviewWindow), remindEveryMs: reviewWindow }
          : undefined,
        policy: { version: policy.version, digest: policy.digest },
        requestedBy: input.requestedBy,
        timeZone: input.timeZone,
      },
    ],
  });
}
