import type { HandoffInput } from '../domain/deciders';
import type { EntrustmentTimings } from '../domain/requests-entrustment';
import { SurveyRequest } from '../domain/requests-entrustment';
import type { ServiceContext } from './context';
import type { Started } from './disclosures';
import { startDisclosure } from './disclosures';
import { dayIn, DEFAULT_TIME_ZONE } from '../domain/dates';
import { checkRecipient, unknownDesign, unknownSubjects } from './entrustee';
import { readPolicy } from '../activities/policy';
import type { Actor } from '../domain/actor';
import { samePerson } from '../domain/approval';
import { secondPersonRule, surveySecondPersonReason } from '../domain/second-person';
import { batchDecisionSignal } from '../workflows/definitions';
import { disclosureStatus } from './disclosures';
import { InputError, NotFoundError, parseInput, RefusedError } from './errors';
import { z } from 'zod';

export interface SurveyOptions {
  timings?: Partial<EntrustmentTimings>;
  /** How long a batch that needs a second person waits for one; the policy's setting by default. */
  approvalTimeoutMs?: number;
  /** Customers per activity; the default suits batches of any size. */
  chunkSize?: number;
}

/**
 * Validates a survey batch and starts its workflow. An unknown firm, a firm of another kind, an
 * end date already past or any unknown customer makes the whole batch bad input: nothing starts.
 * Opt-outs and the contract are the workflow's to check and record.
 */
export async function requestSurvey(ctx: ServiceContext, data: unknown, options: SurveyOptions = {}): Promise<Started & { subjects: number }> {
  const parsed = parseInput(SurveyRequest, data);
  const request = { ...parsed, subjectIds: [...new Set(parsed.subjectIds)] };
  const issues = await checkRecipient(ctx, request.firmId, 'survey-firm', 'firm');
  const zone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const today = dayIn(ctx.clock(), zone);
  if (request.endsOn < today) issues.push({ field: 'ends', message: `the survey end date ${request.endsOn} is before today (${today} in ${zone})` });
  issues.push(...(await unknownSubjects(ctx, request.subjectIds, 'subjects')));
  issues.push(...(await unknownDesign(ctx, request.design)));
  if (issues.length > 0) throw new InputError(issues);
  const secondPerson = await secondPersonFor(ctx, request.firmId, request.subjectIds.length, options);

  const started = await startDisclosure(
    ctx,
    { kind: 'survey', workflowType: 'handoff', subjectIds: request.subjectIds, recipientId: request.firmId, requestedBy: request.requestedBy },
    (id): HandoffInput => ({
      kind: 'survey',
      firstSend: 'local',
      request: {
        ...request,
        disclosureId: id,
        chunkSize: options.chunkSize ?? 5_000,
        timings: { dispatchDelayMs: 0, ...options.timings },
        ...(secondPerson !== undefined ? { secondPerson } : {}),
      },
    }),
  );
  return { ...started, subjects: request.subjectIds.length };
}

/** Whether the batch waits for a second person, by the policy's rule, and for how long at most. */
async function secondPersonFor(ctx: ServiceContext, firmId: string, customers: number, options: SurveyOptions): Promise<{ reason: string; timeoutMs: number } | undefined> {
  const rule = secondPersonRule((await readPolicy(ctx.policyPath)).policy);
  const approved = (await ctx.store.listRecipientChanges({ recipientId: firmId })).filter((c) => c.state === 'approved').map((c) => c.decidedAt ?? '');
  const lastChangedAt = approved.sort().at(-1);
  const reason = surveySecondPersonReason(rule, { customers, lastChangedAt, now: ctx.clock() });
  return reason === undefined ? undefined : { reason, timeoutMs: options.approvalTimeoutMs ?? rule.approvalTimeoutHours * 3_600_000 };
}

export const BatchRejection = z.object({ reason: z.string().trim().min(1).max(500) });

/**
 * A second person's decision on a survey batch waiting for one: an approver or admin, never the
 * staff member who requested it. The batch must be waiting; the workflow takes the first decision.
 */
async function decideBatch(ctx: ServiceContext, id: string, actor: Actor, decision: { approve: boolean; reason?: string }): Promise<{ id: string; decidedBy: string; approved: boolean }> {
  const entry = await ctx.store.getDisclosure(id);
  if (entry === undefined || entry.kind !== 'survey') throw new NotFoundError(`no survey batch ${id}`);
  if (samePerson(entry.requestedBy, actor.name)) {
    throw new RefusedError({ code: 'approval-same-person', message: `${actor.name} requested batch ${id}; a second person (an approver or admin) must decide it` });
  }
  const { status } = await disclosureStatus(ctx, id);
  if (status !== 'awaiting-approval') throw new InputError([{ field: 'id', message: `batch ${id} is not waiting for approval (it is ${status})` }]);
  await ctx.client.workflow.getHandle(entry.workflowId).signal(batchDecisionSignal, { approve: decision.approve, by: actor.name, actor, reason: decision.reason });
  return { id, decidedBy: actor.name, approved: decision.approve };
}

export const approveSurveyBatch = (ctx: ServiceContext, id: string, actor: Actor) => decideBatch(ctx, id, actor, { approve: true });

export async function rejectSurveyBatch(ctx: ServiceContext, id: string, data: unknown, actor: Actor) {
  const { reason } = parseInput(BatchRejection, data);
  return decideBatch(ctx, id, actor, { approve: false, reason });
}
