import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { dayStart, DEFAULT_TIME_ZONE, isoInZone } from '../domain/dates';
import type { CustomerNotice, LegalInput, LegalTimings } from '../domain/requests-legal';
import { EmergencyReview, LegalApproval, LegalRejection, LegalRequest } from '../domain/requests-legal';
import type { Refusal } from '../domain/refusals';
import { pendingRecipientRefusal } from '../domain/registry-entry';
import type { AftercareView } from '../workflows/legal-aftercare-input';
import {
  aftercareQuery,
  aftercareWorkflowId,
  approveUpdate,
  rejectUpdate,
  reviewUpdate,
  UpdateFailure,
} from '../workflows/legal-definitions';
import type { ServiceContext } from './context';
import type { Started } from './disclosures';
import { startDisclosure } from './disclosures';
import type { FieldIssue } from './errors';
import { InputError, NotFoundError, parseInput, RefusedError } from './errors';

/** A bare date is the first moment of that day in the zone, written with the zone's offset; a moment is kept. */
const dateOrMoment = (s: string, timeZone: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? isoInZone(dayStart(s, timeZone), timeZone, 's') : s);

/**
 * Reads the notice options people type: `allowed` (default), `prohibited`, or a date until which
 * notice is prohibited. A bare date means the start of that day in the engine's zone (DISCLOSURE_TIMEZONE).
 */
export function noticeFrom(mode: string | undefined, until: string | undefined, timeZone = DEFAULT_TIME_ZONE): CustomerNotice {
  if (until !== undefined) {
    if (mode !== undefined && mode !== 'prohibited') {
      throw new InputError([
        { field: 'notice', message: `a date until which notice is prohibited cannot go with "${mode}"` },
      ]);
    }
    return { mode: 'deferred', until: dateOrMoment(until, timeZone) };
  }
  if (mode === undefined || mode === 'allowed') return { mode: 'allowed' };
  if (mode === 'prohibited') return { mode: 'prohibited' };
  throw new InputError([{ field: 'notice', message: 'allowed or prohibited (add a date to defer it)' }]);
}

/**
 * Reads the accounting suspension options (HIPAA 164.528(a)(2)): none unless a date is given; the
 * agency defaults to the authority, the form to written, the statement to the moment of intake.
 */
export function suspensionFrom(o: {
  until?: string | undefined;
  agency?: string | undefined;
  form?: string | undefined;
  statedAt?: string | undefined;
  confirmedAt?: string | undefined;
}, timeZone = DEFAULT_TIME_ZONE): Record<string, unknown> | undefined {
  if (o.until === undefined) {
    const stray = (['agency', 'form', 'statedAt', 'confirmedAt'] as const).filter((k) => o[k] !== undefined);
    if (stray.length > 0)
      throw new InputError([{ field: 'suspension', message: `give the date the accounting is suspended until (--suspend-until) for ${stray.join(', ')}` }]);
    return undefined;
  }
  return {
    until: dateOrMoment(o.until, timeZone),
    agency: o.agency,
    form: o.form ?? 'written',
    statedAt: o.statedAt === undefined ? undefined : dateOrMoment(o.statedAt, timeZone),
    confirmedInWritingAt: o.confirmedAt === undefined ? undefined : dateOrMoment(o.confirmedAt, timeZone),
  };
}

/**
 * Validates a legal or emergency request and starts its workflow. Incomplete intake, an unknown
 * customer or authority, or a recipient that is not an authority is bad input: nothing starts.
 * The issuing official defaults to the authority's representative on file.
 */
export async function requestLegal(
  ctx: ServiceContext,
  data: Record<string, unknown>,
  timings: LegalTimings = {},
): Promise<Started> {
  const issues: FieldIssue[] = [];
  const authorityId = typeof data.authorityId === 'string' ? data.authorityId : undefined;
  const authority = authorityId === undefined ? undefined : await ctx.store.getRecipient(authorityId);
  const suspension = data.suspension as Record<string, unknown> | undefined;
  const request = parseInput(LegalRequest, {
    ...data,
    issuingOfficial: data.issuingOfficial ?? authority?.representative,
    suspension:
      suspension === undefined
        ? undefined
        : { ...suspension, agency: suspension.agency ?? authority?.name, statedAt: suspension.statedAt ?? ctx.clock().toISOString() },
  });
  if ((await ctx.store.getSubject(request.subjectId)) === undefined)
    issues.push({ field: 'subject', message: `no customer ${request.subjectId}` });
  if (authority === undefined) issues.push({ field: 'authority', message: `no recipient ${request.authorityId}` });
  else if (authority.kind !== 'authority')
    issues.push({ field: 'authority', message: `${request.authorityId} is a ${authority.kind}, not an authority` });
  if (request.notice.mode === 'deferred' && Date.parse(request.notice.until) <= ctx.clock().getTime()) {
    issues.push({
      field: 'notice',
      message: `the date until which notice is prohibited (${request.notice.until}) has passed; use allowed`,
    });
  }
  if (request.suspension !== undefined && Date.parse(request.suspension.until) <= ctx.clock().getTime()) {
    issues.push({
      field: 'suspension.until',
      message: `the date the accounting is suspended until (${request.suspension.until}) has passed`,
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  // An authority whose address or email a second person has not approved yet receives nothing.
  const [pending] = await ctx.store.listRecipientChanges({ recipientId: request.authorityId, pending: true });
  if (pending !== undefined) throw new RefusedError(pendingRecipientRefusal(request.authorityId, pending.id));

  return startDisclosure(
    ctx,
    {
      kind: 'legal',
      workflowType: 'legalRequest',
      subjectIds: [request.subjectId],
      recipientId: request.authorityId,
      requestedBy: request.requestedBy,
    },
    (id): LegalInput => ({ ...request, disclosureId: id, timings, timeZone: ctx.timeZone ?? DEFAULT_TIME_ZONE }),
  );
}

async function legalWorkflowId(ctx: ServiceContext, id: string): Promise<string> {
  const entry = await ctx.store.getDisclosure(id);
  if (entry === undefined) throw new NotFoundError(`no disclosure ${id}`);
  if (entry.kind !== 'legal')
    throw new InputError([
      { field: 'ID', message: `${id} is a ${entry.kind} disclosure; only legal requests are approved or reviewed` },
    ]);
  return entry.workflowId;
}

/** Turns an Update's answer into the engine's errors: refused by the rules (3), not applicable now (2). */
async function update<T>(id: string, step: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === UpdateFailure.Refused)
      throw new RefusedError(cause.details?.[0] as Refusal);
    if (cause instanceof ApplicationFailure && cause.type === UpdateFailure.NotApplicable)
      throw new InputError([{ field: 'ID', message: cause.message }]);
    if (err instanceof WorkflowNotFoundError)
      throw new InputError([
        { field: 'ID', message: `${id} is not ${step}: it has ended (see disclosure status ${id})` },
      ]);
    throw err;
  }
}

/** A second staff member verifies the authority and releases some or all of the requested fields. */
export async function approveLegal(ctx: ServiceContext, id: string, data: unknown) {
  const approval = parseInput(LegalApproval, data);
  const handle = ctx.client.workflow.getHandle(await legalWorkflowId(ctx, id));
  return update(id, 'awaiting approval', () => handle.executeUpdate(approveUpdate, { args: [approval] }));
}

export async function rejectLegal(ctx: ServiceContext, id: string, data: unknown) {
  const rejection = parseInput(LegalRejection, data);
  const handle = ctx.client.workflow.getHandle(await legalWorkflowId(ctx, id));
  return update(id, 'awaiting approval', () => handle.executeUpdate(rejectUpdate, { args: [rejection] }));
}

/** The review after an emergency release, by someone other than the person who released. */
export async function reviewLegal(ctx: ServiceContext, id: string, data: unknown) {
  const review = parseInput(EmergencyReview, data);
  const handle = ctx.client.workflow.getHandle(aftercareWorkflowId(await legalWorkflowId(ctx, id)));
  return update(id, 'awaiting a review', () => handle.executeUpdate(reviewUpdate, { args: [review] }));
}

/** Where the customer notice and the emergency review stand; undefined when neither was due. */
export async function legalAftercare(ctx: ServiceContext, id: string): Promise<AftercareView | undefined> {
  const handle = ctx.client.workflow.getHandle(aftercareWorkflowId(await legalWorkflowId(ctx, id)));
  try {
    return await handle.query(aftercareQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
