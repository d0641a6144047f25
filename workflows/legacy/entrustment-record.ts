import type { Basis } from '../../domain/basis';
import type { FieldName } from '../../domain/fields';
import type { DisclosureKind, PolicySlice } from '../../domain/policy';
import type { DisclosureRecordInput, RecordOutcome } from '../../domain/record';
import type { RecipientSnapshot } from '../../domain/registry';
import type { Refusal } from '../../domain/refusals';

/** What every record of one entrusted disclosure shares. */
export interface RecordContext {
  disclosureId: string;
  kind: DisclosureKind;
  workflowId: string;
  runId: string;
  recipient: RecipientSnapshot;
  purpose: string;
  policy: PolicySlice;
  requestedBy: string;
  details: Record<string, string | number | boolean>;
}

export interface RecordFacts {
  outcome: RecordOutcome;
  subjectIds: string[];
  refusal?: Refusal | undefined;
  basis?: Basis | undefined;
  items?: FieldName[] | undefined;
  payloadDigest?: string | undefined;
  messageId?: string | undefined;
  details?: Record<string, string | number | boolean> | undefined;
}

/**
 * One ledger entry. The key decides idempotency: the disclosure id for the disclosure itself,
 * `<id>:excluded:<reason>` for customers left out of a batch, `<id>:deletion` for the
 * entrustee's deletion confirmation.
 */
export function entrustmentRecord(
  ctx: RecordContext,
  entry: { key: string; entryType: DisclosureRecordInput['entryType'] },
  facts: RecordFacts,
): DisclosureRecordInput {
  return {
    idempotencyKey: entry.key,
    entryType: entry.entryType,
    disclosureId: ctx.disclosureId,
    kind: ctx.kind,
    outcome: facts.outcome,
    refusal: facts.refusal,
    workflowId: ctx.workflowId,
    runId: ctx.runId,
    subjectIds: facts.subjectIds,
    recipient: ctx.recipient,
    purpose: ctx.purpose,
    basis: facts.basis,
    items: facts.items ?? [],
    policy: { version: ctx.policy.version, digest: ctx.policy.digest },
    requestedBy: ctx.requestedBy,
    payloadDigest: facts.payloadDigest,
    messageId: facts.messageId,
    occurredAt: new Date().toISOString(),
    details: { ...ctx.details, ...facts.details },
  };
}
