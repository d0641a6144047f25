import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { DeletionState } from '../domain/deletion';
import type { DisclosureKind } from '../domain/policy';
import type { DisclosureResult, DisclosureStatus } from '../domain/record';
import type { Refusal } from '../domain/refusals';
import type { StatusView } from '../workflows/definitions';
import { cancelSignal, deletionQuery, deletionWorkflowId, statusQuery } from '../workflows/definitions';
import { aftercareWorkflowId } from '../workflows/legal-definitions';
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

/** The current view: from the running workflow, or from its result once it has ended, with any follow-up's state. */
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
      return withAcknowledgement(ctx, await withDeletion(ctx, entry.workflowId, viewOf(await handle.result())));
    case 'CANCELLED':
    case 'TERMINATED':
      return { id, kind: entry.kind, status: 'cancelled', step: 'done', fields: [] };
    default:
      return { id, kind: entry.kind, status: 'failed', step: 'done', fields: [], reason: undefined };
  }
}

const viewOf = (r: DisclosureResult): StatusView => ({ id: r.id, kind: r.kind, status: r.status, step: 'done', fields: r.fields, reason: r.reason, progress: r.progress, deletion: r.deletion });

/** The deletion follow-up of a delivered entrustment, from its own workflow (absent before it existed). */
async function followUpDeletion(ctx: ServiceContext, workflowId: string): Promise<DeletionState | undefined> {
  const handle = ctx.client.workflow.getHandle(deletionWorkflowId(workflowId));
  try {
    const { status } = await handle.describe();
    return status.name === 'RUNNING' ? await handle.query(deletionQuery) : ((await handle.result()) as DeletionState);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

async function withDeletion(ctx: ServiceContext, workflowId: string, view: StatusView): Promise<StatusView> {
  if (view.deletion === undefined) return view;
  const deletion = await followUpDeletion(ctx, workflowId);
  if (deletion === undefined) return view;
  const step =
    deletion.recordId !== undefined ? 'done' : deletion.reminders > 0 ? `deletion overdue: reminder ${deletion.reminders} sent` : 'awaiting deletion confirmation';
  return { ...view, deletion, step };
}

/**
 * `outcome`: until the disclosure has its outcome (delivered, refused, failed, cancelled, or
 * delivery uncertain), for every kind. `settled`: also until its follow-up (an entrustee's
 * deletion confirmation, a legal request's notice and review) has ended.
 */
export type WaitUntil = 'outcome' | 'settled';

/** Workflow types that ran to the end of the deletion follow-up before `handoff` existed. */
const LEGACY_ENTRUSTMENT = new Set(['surveyBatch', 'shipping']);

export async function waitForDisclosure(ctx: ServiceContext, id: string, opts: { until?: WaitUntil; pollMs?: number } = {}): Promise<DisclosureResult> {
  const { entry, handle } = await handleFor(ctx, id);
  const until = opts.until ?? 'outcome';
  const type = (await handle.describe()).type;
  if (until === 'outcome' && LEGACY_ENTRUSTMENT.has(type)) return legacyOutcome(ctx, id, handle, opts.pollMs ?? 200);
  const result = (await handle.result()) as DisclosureResult;
  if (until === 'outcome') return result;
  const followUps = [deletionWorkflowId(entry.workflowId), aftercareWorkflowId(entry.workflowId)];
  for (const followUpId of followUps) {
    try {
      await ctx.client.workflow.getHandle(followUpId).result();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  const view = await withDeletion(ctx, entry.workflowId, viewOf(result));
  return { ...result, deletion: view.deletion };
}

/** A legacy entrustment workflow ends only after deletion: its outcome is the status once no longer pending. */
async function legacyOutcome(ctx: ServiceContext, id: string, handle: WorkflowHandle, pollMs: number): Promise<DisclosureResult> {
  for (;;) {
    const view = await disclosureStatus(ctx, id);
    if (view.status !== 'pending') return { id: view.id, kind: view.kind, status: view.status, fields: view.fields, reason: view.reason, progress: view.progress, deletion: view.deletion };
    if ((await handle.describe()).status.name !== 'RUNNING') continue;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
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
