import { ParentClosePolicy, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { approvalWindowMs, checkLegalIntake, dueAt, reviewWindowMs } from '../domain/approval';
import type { LegalBasis } from '../domain/basis';
import { checkRecipientKind } from '../domain/basis';
import type { FieldName } from '../domain/fields';
import type { DisclosureRecordInput, DisclosureResult, RecordOutcome } from '../domain/record';
import type { Refusal } from '../domain/refusals';
import type { CustomerNotice, LegalInput } from '../domain/requests-legal';
import type { StatusView } from './definitions';
import { statusQuery } from './definitions';
import { classifyActivityError } from './failures';
import { legalAftercare } from './legal-aftercare';
import type { RefusedAttempt, Verdict } from './legal-approval';
import { awaitVerdict } from './legal-approval';
import { aftercareWorkflowId } from './legal-definitions';
import { presets } from './options';

const local = proxyActivities<Activities>(presets.local);
const delivery = proxyActivities<Activities>(presets.delivery);

export const describeNotice = (n: CustomerNotice): string => (n.mode === 'deferred' ? `deferred until ${n.until}` : n.mode);

const describeAttempts = (attempts: RefusedAttempt[]): string =>
  attempts.map((a) => `${a.at} ${a.by}: ${a.refusal.code}`).join('; ');

interface Ending {
  refusal?: Refusal;
  basis?: LegalBasis;
  items?: FieldName[];
  approvedBy?: string[];
  payloadDigest?: string;
  messageId?: string;
  details?: Record<string, string | number | boolean>;
}

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

  const finish = async (outcome: RecordOutcome, end: Ending): Promise<DisclosureResult> => {
    view.step = 'recording';
    const details: Record<string, string | number | boolean> = {
      ground: input.ground,
      documentRef: input.documentRef,
      issuingOfficial: input.issuingOfficial,
      justification: input.justification,
      notice: describeNotice(input.notice),
      ...end.details,
    };
    if (refusedAttempts.length > 0) details.refusedAttempts = describeAttempts(refusedAttempts);
    const record: DisclosureRecordInput = {
      idempotencyKey: input.disclosureId,
      entryType: 'disclosure',
      disclosureId: input.disclosureId,
      kind: 'legal',
      outcome,
      refusal: end.refusal,
      workflowId,
      runId,
      subjectIds: [input.subjectId],
      recipient: authority,
      purpose: input.ground,
      basis: end.basis,
      items: end.items ?? [],
      requestedItems: input.fields,
      policy: { version: policy.version, digest: policy.digest },
      requestedBy: input.requestedBy,
      approvedBy: end.approvedBy,
      payloadDigest: end.payloadDigest,
      messageId: end.messageId,
      occurredAt: new Date().toISOString(),
      details,
    };
    const { recordId } = await local.appendRecord(record);
    Object.assign(view, { status: outcome, step: 'done', reason: end.refusal, fields: end.items ?? [] });
    return { id: input.disclosureId, kind: 'legal', status: outcome, fields: view.fields, reason: end.refusal, recordId, messageId: end.messageId };
  };

  const refusal = checkRecipientKind(authority, policy.rule.recipientKind) ?? checkLegalIntake(policy.rule, input.ground, input.fields);
  const rule = policy.rule.approval;
  if (refusal !== undefined || rule === undefined) {
    return finish('refused', { refusal: refusal ?? { code: 'basis-not-allowed', message: 'no approval rule in the policy' } });
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
  const result = await finish('delivered', { ...approved, items: verdict.fields, payloadDigest: sent.payloadDigest, messageId: sent.messageId });
  await startAftercare(input, verdict, authority, policy, sent.sentAt, reviewWindow);
  return result;
}

function unapproved(verdict: Exclude<Verdict, { type: 'approved' }>): Ending {
  if (verdict.type === 'expired') {
    return { refusal: { code: 'approval-expired', message: `no staff member approved the request before the deadline (${verdict.at})` } };
  }
  return {
    refusal: { code: 'approval-rejected', message: `rejected by ${verdict.rejectedBy}: ${verdict.reason}` },
    details: { rejectedBy: verdict.rejectedBy, rejectedAt: verdict.at },
  };
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
        review: verdict.expedited ? { approvedBy: verdict.approvedBy, dueAt: dueAt(verdict.at, reviewWindow), remindEveryMs: reviewWindow } : undefined,
        policy: { version: policy.version, digest: policy.digest },
        requestedBy: input.requestedBy,
      },
    ],
  });
}
