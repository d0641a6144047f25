import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FieldName } from '../domain/fields';
import type { EmergencyReview, LegalApproval, LegalRejection } from '../domain/requests-legal';

/** What the approver is told at once: the release stands, with these fields. */
export interface ApprovalAnswer {
  id: string;
  approvedBy: string;
  fields: FieldName[];
  expedited: boolean;
  reviewDueAt?: string | undefined;
}

export interface ReviewAnswer {
  id: string;
  reviewedBy: string;
  outcome: EmergencyReview['outcome'];
}

/**
 * Approval, rejection and review are Updates rather than signals so that the staff member gets
 * an answer (accepted, or refused and why) instead of a silent hand-off.
 */
export const approveUpdate = defineUpdate<ApprovalAnswer, [LegalApproval]>('approve');
export const rejectUpdate = defineUpdate<{ id: string; rejectedBy: string }, [LegalRejection]>('reject');
export const reviewUpdate = defineUpdate<ReviewAnswer, [EmergencyReview]>('review');

/** Failure types an Update answers with; the service maps them to exit codes. */
export const UpdateFailure = {
  /** The rules refuse this person or this action; recorded in history. Exit 3. */
  Refused: 'ApprovalRefused',
  /** The disclosure is not at a step that takes this action, or the input does not fit it. Exit 2. */
  NotApplicable: 'NotApplicable',
} as const;

/** Where the customer notice and the emergency review stand. */
export const aftercareQuery = defineQuery<{ notice: string; review: string }>('aftercare');

/** Notice and review outlive the disclosure itself, so they run in a workflow of their own. */
export const aftercareWorkflowId = (workflowId: string): string => `${workflowId}:aftercare`;
