import type { Actor } from '../domain/actor';
import type { LegalBasis } from '../domain/basis';
import { describeNotice, suspensionDetails } from '../domain/legal-notice';
import type { FieldName } from '../domain/fields';
import type { PolicySlice } from '../domain/policy';
import type { DisclosureRecordInput, RecordOutcome } from '../domain/record';
import type { RecipientSnapshot } from '../domain/registry';
import type { Refusal } from '../domain/refusals';
import type { LegalInput } from '../domain/requests-legal';
import type { RefusedAttempt, Verdict } from './legal-approval';

/** How a legal request ended, beyond what the request itself says. */
export interface Ending {
  refusal?: Refusal;
  basis?: LegalBasis;
  items?: FieldName[];
  approvedBy?: string[];
  /** The token (or operator) that approved or rejected it. */
  decidedBy?: Actor | undefined;
  payloadDigest?: string;
  messageId?: string;
  details?: Record<string, string | number | boolean>;
}

export { describeNotice };

export const describeAttempts = (attempts: RefusedAttempt[]): string =>
  attempts.map((a) => `${a.at} ${a.by}: ${a.refusal.code}`).join('; ');

/** A request nobody approved: rejected by a staff member, or left until the deadline passed. */
export function unapproved(verdict: Exclude<Verdict, { type: 'approved' }>): Ending {
  if (verdict.type === 'expired') {
    return {
      refusal: {
        code: 'approval-expired',
        message: `no staff member approved the request before the deadline (${verdict.at})`,
      },
    };
  }
  return {
    refusal: { code: 'approval-rejected', message: `rejected by ${verdict.rejectedBy}: ${verdict.reason}` },
    details: { rejectedBy: verdict.rejectedBy, rejectedAt: verdict.at },
    decidedBy: verdict.actor,
  };
}

export interface RecordContext {
  input: LegalInput;
  authority: RecipientSnapshot;
  policy: PolicySlice;
  workflowId: string;
  runId: string;
  refusedAttempts: RefusedAttempt[];
}

/**
 * The one record of a legal request, delivered or not: requested versus disclosed fields, the
 * document, who signed it, both staff members, and every refused attempt to approve it.
 */
export function legalRecord(c: RecordContext, outcome: RecordOutcome, end: Ending, at: string): DisclosureRecordInput {
  const { input } = c;
  const details: Record<string, string | number | boolean> = {
    ground: input.ground,
    documentRef: input.documentRef,
    issuingOfficial: input.issuingOfficial,
    justification: input.justification,
    notice: describeNotice(input.notice),
    ...suspensionDetails(input.suspension),
    ...end.details,
  };
  if (c.refusedAttempts.length > 0) details.refusedAttempts = describeAttempts(c.refusedAttempts);
  return {
    idempotencyKey: input.disclosureId,
    entryType: 'disclosure',
    disclosureId: input.disclosureId,
    kind: 'legal',
    outcome,
    refusal: end.refusal,
    workflowId: c.workflowId,
    runId: c.runId,
    subjectIds: [input.subjectId],
    recipient: c.authority,
    purpose: input.ground,
    basis: end.basis,
    items: end.items ?? [],
    requestedItems: input.fields,
    policy: { version: c.policy.version, digest: c.policy.digest },
    requestedBy: input.requestedBy,
    ...(input.actor !== undefined ? { actor: input.actor } : {}),
    approvedBy: end.approvedBy,
    ...(end.decidedBy !== undefined ? { decidedBy: end.decidedBy } : {}),
    payloadDigest: end.payloadDigest,
    messageId: end.messageId,
    occurredAt: at,
    details,
  };
}
