import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { DeletionState } from '../domain/deletion';
import { DeletionConfirmationRequest } from '../domain/requests-entrustment';
import type { StatusView } from '../workflows/definitions';
import { deletionConfirmedUpdate, deletionWorkflowId } from '../workflows/definitions';
import type { ServiceContext } from './context';
import { disclosureStatus } from './disclosures';
import { InputError, NotFoundError, parseInput } from './errors';

const ENTRUSTED = new Set(['survey', 'shipping']);

export interface DeletionConfirmed {
  id: string;
  deletion: DeletionState;
  /** True when the confirmation was already on record and nothing new was written. */
  alreadyConfirmed: boolean;
}

/** The confirmation already in the ledger, for a repeated confirm after the workflow ended. */
async function recordedConfirmation(ctx: ServiceContext, id: string): Promise<DeletionConfirmed | undefined> {
  const records = await ctx.store.listRecords({ disclosureId: id });
  const r = records.find((x) => x.entryType === 'deletion-confirmation');
  if (r === undefined) return undefined;
  const d = r.details ?? {};
  return {
    id,
    alreadyConfirmed: true,
    deletion: {
      dueAt: String(d.deletionDueAt ?? ''),
      reminders: Number(d.reminders ?? 0),
      escalated: false,
      confirmedBy: String(d.confirmedBy ?? ''),
      confirmedAt: String(d.confirmedAt ?? ''),
      recordId: r.recordId,
    },
  };
}

/**
 * The workflow that takes the confirmation: the disclosure's deletion follow-up, or for a
 * disclosure started before follow-ups ran on their own, the disclosure's workflow itself.
 */
async function deletionHandle(ctx: ServiceContext, workflowId: string): Promise<WorkflowHandle> {
  const followUp = ctx.client.workflow.getHandle(deletionWorkflowId(workflowId));
  try {
    await followUp.describe();
    return followUp;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return ctx.client.workflow.getHandle(workflowId);
    throw err;
  }
}

/**
 * An entrustee's deletion confirmation, passed to the disclosure's follow-up workflow, which records it.
 * Confirming a disclosure that handed nothing over, or one of another kind, is bad input.
 */
export async function confirmDeletion(ctx: ServiceContext, data: unknown): Promise<DeletionConfirmed> {
  const request = parseInput(DeletionConfirmationRequest, data);
  const id = request.disclosureId;
  const entry = await ctx.store.getDisclosure(id);
  if (entry === undefined) throw new NotFoundError(`no disclosure ${id}`);
  if (!ENTRUSTED.has(entry.kind)) {
    throw new InputError([{ field: 'ID', message: `${id} is a ${entry.kind} disclosure; only survey and shipping disclosures confirm deletion` }]);
  }
  const handle = await deletionHandle(ctx, entry.workflowId);
  const running = (await handle.describe()).status.name === 'RUNNING';
  if (!running) {
    const done = await recordedConfirmation(ctx, id);
    if (done !== undefined) return done;
    throw new InputError([{ field: 'ID', message: `${id} handed no data over (see disclosure status ${id}); there is nothing to delete` }]);
  }
  try {
    const deletion = await handle.executeUpdate(deletionConfirmedUpdate, { args: [{ by: request.by, at: ctx.clock().toISOString(), actor: request.actor }] });
    return { id, deletion, alreadyConfirmed: false };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new InputError([{ field: 'ID', message: err.cause?.message ?? err.message }]);
    if (err instanceof WorkflowNotFoundError) {
      const done = await recordedConfirmation(ctx, id);
      if (done !== undefined) return done;
    }
    throw err;
  }
}

/**
 * Waits until a disclosure has handed its data over or ended, whichever comes first, by its
 * status: the same point `wait` returns at, for callers that want the status view.
 */
export async function waitForHandoff(ctx: ServiceContext, id: string, opts: { pollMs?: number; timeoutMs?: number } = {}): Promise<StatusView> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const view = await disclosureStatus(ctx, id);
    if (view.status !== 'pending') return view;
    if (Date.now() > deadline) throw new Error(`${id} is still pending (step: ${view.step})`);
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 200));
  }
}
