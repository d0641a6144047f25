import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import type { Actor } from '../domain/actor';
import type { PendingRequest } from '../domain/approval';
import { approvalInputProblem, decideApproval } from '../domain/approval';
import type { FieldName } from '../domain/fields';
import type { ApprovalRule } from '../domain/policy';
import type { Refusal } from '../domain/refusals';
import { approveUpdate, rejectUpdate, UpdateFailure } from './legal-definitions';

export type Verdict =
  | {
      type: 'approved';
      approvedBy: string;
      fields: FieldName[];
      expedited: boolean;
      authorityCheck: string;
      at: string;
      /** The token (or operator) that decided; absent in histories recorded before decisions named one. */
      actor?: Actor | undefined;
    }
  | { type: 'rejected'; rejectedBy: string; reason: string; at: string; actor?: Actor | undefined }
  | { type: 'expired'; at: string };

/** A refused attempt, kept for the record: who tried, when, and why it was refused. */
export interface RefusedAttempt {
  by: string;
  at: string;
  refusal: Refusal;
}

const notApplicable = (message: string): ApplicationFailure =>
  ApplicationFailure.create({ message, type: UpdateFailure.NotApplicable, nonRetryable: true });

export const refusedByRules = (refusal: Refusal): ApplicationFailure =>
  ApplicationFailure.create({
    message: refusal.message,
    type: UpdateFailure.Refused,
    nonRetryable: true,
    details: [refusal],
  });

/**
 * Waits for one staff decision until the deadline. Malformed approvals are turned away by the
 * validator (nothing enters history); an approval the rules refuse, such as by the requester
 * themself, is answered with the refusal, kept in `refused`, and the request keeps waiting for
 * a proper approver, because one mistaken attempt must not decide a request made under law.
 */
export async function awaitVerdict(
  disclosureId: string,
  request: PendingRequest,
  rule: ApprovalRule,
  windowMs: number,
  refused: RefusedAttempt[],
  reviewDueAt: (approvedAt: string) => string,
): Promise<Verdict> {
  // Held in an object: the handlers set it, and the compiler must not assume it stays unset.
  const state: { verdict?: Verdict } = {};
  const mustBeOpen = (): void => {
    if (state.verdict !== undefined)
      throw notApplicable(`${disclosureId} is no longer awaiting approval (${state.verdict.type})`);
  };

  setHandler(
    approveUpdate,
    (approval) => {
      const at = new Date().toISOString();
      // Histories recorded before the requester was barred from releasing an emergency replay as they ran.
      const decision = decideApproval(request, approval, rule, { legacyExpeditedSelfRelease: !patched('approval-never-by-requester') });
      if (!decision.ok) {
        refused.push({ by: approval.approver, at, refusal: decision.refusal });
        throw refusedByRules(decision.refusal);
      }
      state.verdict = { type: 'approved', ...decision, authorityCheck: approval.authorityCheck, at, actor: approval.actor };
      const due = decision.expedited ? reviewDueAt(at) : undefined;
      return {
        id: disclosureId,
        approvedBy: decision.approvedBy,
        fields: decision.fields,
        expedited: decision.expedited,
        reviewDueAt: due,
      };
    },
    {
      validator: (approval) => {
        mustBeOpen();
        const problem = approvalInputProblem(request, approval);
        if (problem !== undefined) throw notApplicable(problem);
      },
    },
  );
  setHandler(
    rejectUpdate,
    (rejection) => {
      state.verdict = {
        type: 'rejected',
        rejectedBy: rejection.by,
        reason: rejection.reason,
        at: new Date().toISOString(),
        actor: rejection.actor,
      };
      return { id: disclosureId, rejectedBy: rejection.by };
    },
    { validator: (_rejection) => mustBeOpen() },
  );

  await condition(() => state.verdict !== undefined, windowMs);
  state.verdict ??= { type: 'expired', at: new Date().toISOString() };
  return state.verdict;
}
