import type { DisclosureRecordInput } from './record';
import type { RecordEntry } from './handoff-flow';

/**
 * The one record builder of the handoff kinds: a decider's entry plus what only the running
 * workflow knows (its ids, the time). The idempotency key decides what a retried append returns:
 * the disclosure id for the disclosure itself, `<id>:excluded:<reason>` for customers left out of
 * a batch, `<id>:deletion` for an entrustee's deletion confirmation.
 */
export function buildRecord(entry: RecordEntry, run: { workflowId: string; runId: string; occurredAt: string }): DisclosureRecordInput {
  return {
    idempotencyKey: entry.idempotencyKey,
    entryType: entry.entryType,
    disclosureId: entry.disclosureId,
    kind: entry.kind,
    outcome: entry.outcome,
    refusal: entry.refusal,
    workflowId: run.workflowId,
    runId: run.runId,
    subjectIds: entry.subjectIds,
    recipient: entry.recipient,
    purpose: entry.purpose,
    basis: entry.basis,
    items: entry.items,
    policy: entry.policy,
    requestedBy: entry.requestedBy,
    ...(entry.actor !== undefined ? { actor: entry.actor } : {}),
    ...(entry.approvedBy !== undefined ? { approvedBy: entry.approvedBy } : {}),
    ...(entry.decidedBy !== undefined ? { decidedBy: entry.decidedBy } : {}),
    payloadDigest: entry.payloadDigest,
    messageId: entry.messageId,
    occurredAt: run.occurredAt,
    details: entry.details,
  };
}
