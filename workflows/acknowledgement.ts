import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Actor } from '../domain/actor';
import type { DisclosureRecordInput } from '../domain/record';
import { presets } from './options';

const local = proxyActivities<Activities>(presets.local);

export interface AcknowledgementInput {
  disclosureId: string;
  recipientId: string;
  /** How the recipient acknowledged: the link in the message, or the API or console with its own token. */
  via: 'link' | 'api' | 'console';
  /** The recipient's token, or for the link the recipient it was issued to; absent in older histories. */
  actor?: Actor | undefined;
}

export const acknowledgementKey = (disclosureId: string): string => `${disclosureId}:ack`;

/**
 * A recipient confirms it received a handoff. Its own short workflow, so the delivery workflow
 * still ends at delivery while the acknowledgement gets a history an auditor can replay; the
 * ledger entry's idempotency key makes a second acknowledgement a no-op.
 */
export async function acknowledgement(input: AcknowledgementInput): Promise<{ recordId: string }> {
  const delivered = await local.loadDeliveredRecord(input.disclosureId);
  if (delivered.recipient.id !== input.recipientId) {
    throw ApplicationFailure.nonRetryable(`${input.recipientId} is not the recipient of ${input.disclosureId}`, 'WrongRecipient');
  }
  const { workflowId, runId } = workflowInfo();
  const record: DisclosureRecordInput = {
    idempotencyKey: acknowledgementKey(input.disclosureId),
    entryType: 'acknowledgement',
    disclosureId: input.disclosureId,
    kind: delivered.kind,
    outcome: delivered.outcome,
    workflowId,
    runId,
    subjectIds: delivered.subjectIds,
    recipient: delivered.recipient,
    purpose: delivered.purpose,
    basis: delivered.basis,
    // Nothing new was disclosed: the items stay with the delivery record this one refers to.
    items: [],
    policy: delivered.policy,
    requestedBy: delivered.requestedBy,
    ...(input.actor !== undefined ? { actor: input.actor } : {}),
    payloadDigest: delivered.payloadDigest,
    messageId: delivered.messageId,
    occurredAt: new Date().toISOString(),
    details: { acknowledges: delivered.recordId, via: input.via },
  };
  const { recordId } = await local.appendRecord(record);
  return { recordId };
}
