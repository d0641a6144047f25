import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { DisclosureKind } from '../domain/policy';
import type { DisclosureResult, DisclosureStatus } from '../domain/record';
import type { Refusal } from '../domain/refusals';
import type { StatusView } from '../workflows/definitions';
import { cancelSignal, statusQuery } from '../workflows/definitions';
import type { ServiceContext } from './context';
import { NotFoundError } from './errors';
import { withAcknowledgement } from './ack-status';
import { newDisclosureId, workflowIdFor } from './ids';

export interface Started {
  id: string;
  workflowId: string;
  status: DisclosureStatus;
}

/**
 * Registers the disclosure and starts its workflow. The workflow id is derived from the
 * disclosure id, so a repeated start cannot create a second process for the same disclosure.
 */
export async function startDisclosure(
  ctx: ServiceContext,
  spec: { kind: DisclosureKind; workflowType: string; subjectIds: string[]; recipientId: string; consentId?: string | undefined; requestedBy: string; id?: string },
  input: (id: string) => unknown,
): Promise<Started> {
  const id = spec.id ?? newDisclosureId(ctx.clock());
  const workflowId = workflowIdFor(id);
  await ctx.store.registerDisclosure({
    id,
    workflowId,
    kind: spec.kind,
    subjectIds: spec.subjectIds,
    recipientId: spec.recipientId,
    consentId: spec.consentId,
    requestedBy: spec.requestedBy,
    createdAt: ctx.clock().toISOString(),
  });
  try {
    await ctx.client.workflow.start(spec.workflowType, { taskQueue: ctx.taskQueue, workflowId, args: [input(id)] });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { id, workflowId, status: 'pending' };
}

async function handleFor(ctx: ServiceContext, id: string) {
  const entry = await ctx.store.getDisclosure(id);
  if (entry === undefined) throw new NotFoundError(`no disclosure ${id}`);
  return { entry, handle: ctx.client.workflow.getHandle(entry.workflowId) };
}

/** The current view: from the running workflow, or from its result once it has ended. */
export async function disclosureStatus(ctx: ServiceContext, id: string): Promise<StatusView> {
  const { entry, handle } = await handleFor(ctx, id);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new NotFoundError(`the workflow of ${id} is not on this Temporal server`);
    throw err;
  }
  switch (description.status.name) {
    case 'RUNNING':
      return handle.query(statusQuery);
    case 'COMPLETED':
      return withAcknowledgement(ctx, viewOf(await handle.result()));
    case 'CANCELLED':
    case 'TERMINATED':
      return { id, kind: entry.kind, status: 'cancelled', step: 'done', fields: [] };
    default:
      return { id, kind: entry.kind, status: 'failed', step: 'done', fields: [], reason: undefined };
  }
}

const viewOf = (r: DisclosureResult): StatusView => ({ id: r.id, kind: r.kind, status: r.status, step: 'done', fields: r.fields, reason: r.reason, progress: r.progress, deletion: r.deletion });

export async function waitForDisclosure(ctx: ServiceContext, id: string): Promise<DisclosureResult> {
  const { handle } = await handleFor(ctx, id);
  return handle.result() as Promise<DisclosureResult>;
}

/** Tells every running disclosure that rests on a consent that the consent is gone. */
export async function cancelForConsent(ctx: ServiceContext, consentId: string, refusal: Refusal): Promise<string[]> {
  const signalled: string[] = [];
  for (const entry of await ctx.store.listDisclosures({ consentId })) {
    try {
      await ctx.client.workflow.getHandle(entry.workflowId).signal(cancelSignal, refusal);
      signalled.push(entry.id);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return signalled;
}
