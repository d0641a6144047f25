import { workflowInfo } from '@temporalio/workflow';
import { DEFAULT_TIME_ZONE, formatForPeople } from '../domain/dates';
import type { FieldName } from '../domain/fields';
import type { DisclosureRecordInput } from '../domain/record';
import type { RecipientSnapshot } from '../domain/registry';
import type { CustomerNotice, LegalGround } from '../domain/requests-legal';

export interface LegalAftercareInput {
  disclosureId: string;
  subjectId: string;
  authority: RecipientSnapshot;
  ground: LegalGround;
  documentRef: string;
  items: FieldName[];
  disclosedAt: string;
  notice: CustomerNotice;
  /** Set for an expedited (emergency) release: who released it, and by when another person must review it. */
  review?: { approvedBy: string; dueAt: string; remindEveryMs: number } | undefined;
  policy: { version: string; digest: string };
  requestedBy: string;
  /**
   * DISCLOSURE_TIMEZONE at intake, the zone of the dates in the lines people read (the workflow
   * never reads the environment). Absent in aftercare started before it was passed: those lines
   * are in the default zone.
   */
  timeZone?: string | undefined;
}

/** Where notice and review stand, as lines for people; `reviewDueAt` is the review's due instant (ISO) while one is awaited. */
export interface AftercareView {
  notice: string;
  review: string;
  reviewDueAt?: string | undefined;
}

/** A ledger entry that follows a legal disclosure (notice, review), tied to this workflow run. */
export function entry(
  input: LegalAftercareInput,
  over: Partial<DisclosureRecordInput> & Pick<DisclosureRecordInput, 'entryType' | 'idempotencyKey'>,
): DisclosureRecordInput {
  const { workflowId, runId } = workflowInfo();
  return {
    disclosureId: input.disclosureId,
    kind: 'legal',
    outcome: 'delivered',
    workflowId,
    runId,
    subjectIds: [input.subjectId],
    recipient: input.authority,
    purpose: input.ground,
    items: [],
    policy: input.policy,
    requestedBy: input.requestedBy,
    occurredAt: new Date().toISOString(),
    ...over,
  };
}

/** A moment as the aftercare's lines show it: local time in the request's zone. */
export const shown = (input: LegalAftercareInput, iso: string): string => formatForPeople(iso, 'en', input.timeZone ?? DEFAULT_TIME_ZONE);
