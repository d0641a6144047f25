import type { FieldName } from './field-names';
import { FIELD_NAMES } from './field-names';
import type { ApprovalRule, KindRule } from './policy';
import type { Refusal } from './refusals';
import type { LegalApproval, LegalGround } from './requests-legal';

/** What the approval rules need to know about a request waiting for approval. */
export interface PendingRequest {
  ground: LegalGround;
  requestedBy: string;
  fields: readonly FieldName[];
}

export type ApprovalDecision =
  { ok: true; approvedBy: string; fields: FieldName[]; expedited: boolean } | { ok: false; refusal: Refusal };

const HOUR_MS = 60 * 60 * 1000;

/** Staff ids are compared as people read them, so "Staff:Ito " cannot pass for someone else. */
export const samePerson = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

export const isExpedited = (rule: ApprovalRule, ground: LegalGround): boolean =>
  rule.expedited?.purposes.includes(ground) === true;

/**
 * Checks the shape of an approval against the request, before any rule applies: the released
 * fields must be among those requested. A wider release is bad input, never a refusal to record.
 */
export function approvalInputProblem(request: PendingRequest, approval: LegalApproval): string | undefined {
  const extra = (approval.fields ?? []).filter((f) => !request.fields.includes(f));
  if (extra.length > 0)
    return `fields ${extra.join(', ')} were not requested (requested: ${request.fields.join(', ')})`;
  return undefined;
}

/**
 * Decides a release. The approver is never the requester, whatever their role (an admin
 * included) and whatever the ground: an emergency is released at once by a second person, and
 * a review by a third follows. The released fields default to all requested, in the canonical
 * field order.
 */
export function decideApproval(
  request: PendingRequest,
  approval: LegalApproval,
  rule: ApprovalRule,
  /** Only for replaying histories recorded while an emergency could be released by its requester. */
  opts: { legacyExpeditedSelfRelease?: boolean } = {},
): ApprovalDecision {
  const expedited = isExpedited(rule, request.ground);
  const legacyAlone = opts.legacyExpeditedSelfRelease === true && expedited && (rule.expedited?.distinctStaff ?? rule.distinctStaff) < 2;
  if (!legacyAlone && samePerson(approval.approver, request.requestedBy)) {
    return {
      ok: false,
      refusal: {
        code: 'approval-same-person',
        message: `${approval.approver} requested this disclosure and cannot also approve it; another staff member must`,
      },
    };
  }
  const problem = approvalInputProblem(request, approval);
  if (problem !== undefined) return { ok: false, refusal: { code: 'approval-fields-not-requested', message: problem } };
  const released = approval.fields ?? request.fields;
  const fields = FIELD_NAMES.filter((f) => released.includes(f));
  return { ok: true, approvedBy: approval.approver.trim(), fields, expedited };
}

/** The review of an expedited release must come from a person other than the one who released. */
export function decideReview(approvedBy: string, reviewer: string): Refusal | undefined {
  if (!samePerson(approvedBy, reviewer)) return undefined;
  return { code: 'review-same-person', message: `${reviewer} released this disclosure and cannot also review it` };
}

/** When the approval deadline falls, from the request's start; an explicit window wins over the policy. */
export const approvalWindowMs = (rule: ApprovalRule, override?: number): number =>
  override ?? rule.deadlineHours * HOUR_MS;

export const reviewWindowMs = (rule: ApprovalRule, override?: number): number =>
  override ?? (rule.expedited?.reviewWithinHours ?? rule.deadlineHours) * HOUR_MS;

export const dueAt = (from: string, windowMs: number): string => new Date(Date.parse(from) + windowMs).toISOString();

/**
 * Checks a request against the policy before anyone is asked to approve it: the ground must be
 * one the policy allows (a purpose of the legal kind), and every requested field one that the
 * policy lets that ground ask for.
 */
export function checkLegalIntake(
  rule: KindRule,
  ground: LegalGround,
  fields: readonly FieldName[],
): Refusal | undefined {
  const purpose = rule.purposes[ground];
  if (purpose === undefined || !rule.bases.includes('legal')) {
    return { code: 'basis-not-allowed', message: `the policy does not allow disclosures on the ground "${ground}"` };
  }
  const outside = fields.filter((f) => !purpose.fields.includes(f) || purpose.never.includes(f));
  if (outside.length > 0) {
    return {
      code: 'policy-fields-not-allowed',
      message: `a ${ground} may not obtain ${outside.join(', ')} under the policy`,
    };
  }
  if (rule.approval === undefined) {
    return { code: 'basis-not-allowed', message: 'the policy sets no approval rule for legal requests' };
  }
  return undefined;
}
