import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import type { DisclosureRecord } from '../domain/record';
import type { AcknowledgementInput } from '../workflows/acknowledgement';
import { acknowledgementKey } from '../workflows/acknowledgement';
import { checkAckToken } from './ack-token';
import type { ServiceContext } from './context';

export const ackWorkflowIdFor = (disclosureId: string): string => `ack-${disclosureId}`;

export type AckRefusal = 'forged' | 'expired' | 'already-acknowledged' | 'not-delivered' | 'wrong-recipient' | 'unknown-disclosure';

export type AckOutcome =
  | { ok: true; disclosureId: string; recordId: string; acknowledgedAt: string }
  | { ok: false; reason: AckRefusal; message: string; disclosureId?: string | undefined };

export async function acknowledgementOf(ctx: Pick<ServiceContext, 'store'>, disclosureId: string): Promise<DisclosureRecord | undefined> {
  const records = await ctx.store.listRecords({ disclosureId });
  return records.find((r) => r.idempotencyKey === acknowledgementKey(disclosureId));
}

/**
 * Records that a recipient received a handoff: checked here first so that a refused attempt
 * starts nothing, then written by the `acknowledgement` workflow. The workflow id is derived
 * from the disclosure and is reused only after a failed run, so two acknowledgements race to one record.
 */
export async function acknowledge(
  ctx: ServiceContext,
  request: { disclosureId: string; recipientId: string; via: AcknowledgementInput['via']; actor?: Actor | undefined },
): Promise<AckOutcome> {
  const { disclosureId, recipientId } = request;
  const refuse = (reason: AckRefusal, message: string): AckOutcome => ({ ok: false, reason, message, disclosureId });
  const entry = await ctx.store.getDisclosure(disclosureId);
  if (entry === undefined) return refuse('unknown-disclosure', `no disclosure ${disclosureId}`);
  if (entry.recipientId !== recipientId) return refuse('wrong-recipient', `${recipientId} is not the recipient of ${disclosureId}`);
  const records = await ctx.store.listRecords({ disclosureId });
  if (!records.some((r) => r.entryType === 'disclosure' && r.outcome === 'delivered')) {
    return refuse('not-delivered', `disclosure ${disclosureId} has not been delivered`);
  }
  const already = records.find((r) => r.idempotencyKey === acknowledgementKey(disclosureId));
  if (already !== undefined) return refuse('already-acknowledged', `already acknowledged at ${already.occurredAt} (${already.recordId})`);

  const input: AcknowledgementInput = { disclosureId, recipientId, via: request.via, actor: request.actor };
  let recordId: string;
  try {
    const handle = await ctx.client.workflow.start('acknowledgement', {
      taskQueue: ctx.taskQueue,
      workflowId: ackWorkflowIdFor(disclosureId),
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      args: [input],
    });
    ({ recordId } = (await handle.result()) as { recordId: string });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return refuse('already-acknowledged', `${disclosureId} was already acknowledged`);
    if (err instanceof WorkflowFailedError) return refuse('not-delivered', err.cause?.message ?? err.message);
    throw err;
  }
  const record = await acknowledgementOf(ctx, disclosureId);
  return { ok: true, disclosureId, recordId, acknowledgedAt: record?.occurredAt ?? ctx.clock().toISOString() };
}

export type AckPreview = { ok: true; handoff: HandoffView } | { ok: false; reason: AckRefusal; message: string; acknowledgedAt?: string | undefined };

/**
 * What the confirmation page shows for a link, changing nothing: the same checks as
 * `acknowledge` (genuine, unexpired, this recipient's, delivered, not yet acknowledged).
 */
export async function previewAck(ctx: ServiceContext, key: Buffer, token: string): Promise<AckPreview> {
  const check = checkAckToken(key, token, ctx.clock());
  if (!check.ok) return { ok: false, reason: check.reason, message: check.message };
  const { disclosureId, recipientId } = check.claims;
  const entry = await ctx.store.getDisclosure(disclosureId);
  if (entry === undefined) return { ok: false, reason: 'unknown-disclosure', message: `no disclosure ${disclosureId}` };
  if (entry.recipientId !== recipientId) return { ok: false, reason: 'wrong-recipient', message: `${recipientId} is not the recipient of ${disclosureId}` };
  const [handoff] = await listHandoffs(ctx, { disclosureId, recipientId });
  if (handoff === undefined) return { ok: false, reason: 'not-delivered', message: `disclosure ${disclosureId} has not been delivered` };
  if (handoff.acknowledgedAt !== undefined) {
    return { ok: false, reason: 'already-acknowledged', message: `already acknowledged at ${handoff.acknowledgedAt}`, acknowledgedAt: handoff.acknowledgedAt };
  }
  return { ok: true, handoff };
}

/**
 * The link in the handoff: only a genuine, unexpired token reaches `acknowledge`. No API token
 * acts here, so the entry names the recipient the link was issued to.
 */
export async function acknowledgeWithToken(ctx: ServiceContext, key: Buffer, token: string): Promise<AckOutcome> {
  const check = checkAckToken(key, token, ctx.clock());
  if (!check.ok) return { ok: false, reason: check.reason, message: check.message };
  const { disclosureId, recipientId } = check.claims;
  return acknowledge(ctx, { disclosureId, recipientId, via: 'link', actor: { name: recipientId, via: 'link' } });
}

export interface HandoffView {
  disclosureId: string;
  kind: DisclosureRecord['kind'];
  recipientId: string;
  recipientName: string;
  items: DisclosureRecord['items'];
  deliveredAt: string;
  recordId: string;
  messageId?: string | undefined;
  acknowledgedAt?: string | undefined;
}

/** Delivered handoffs, each with its acknowledgement when there is one. */
export async function listHandoffs(
  ctx: Pick<ServiceContext, 'store'>,
  filter: { recipientId?: string | undefined; unacknowledged?: boolean | undefined; disclosureId?: string | undefined } = {},
): Promise<HandoffView[]> {
  const records = await ctx.store.listRecords({ recipientId: filter.recipientId, disclosureId: filter.disclosureId });
  const acks = new Map(records.filter((r) => r.entryType === 'acknowledgement').map((r) => [r.disclosureId, r.occurredAt]));
  return records
    .filter((r) => r.entryType === 'disclosure' && r.outcome === 'delivered')
    .map((r) => ({
      disclosureId: r.disclosureId,
      kind: r.kind,
      recipientId: r.recipient.id,
      recipientName: r.recipient.name,
      items: r.items,
      deliveredAt: r.occurredAt,
      recordId: r.recordId,
      messageId: r.messageId,
      acknowledgedAt: acks.get(r.disclosureId),
    }))
    .filter((h) => filter.unacknowledged !== true || h.acknowledgedAt === undefined);
}
