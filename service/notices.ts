import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { readPolicy } from '../activities/policy';
import type { Actor } from '../domain/actor';
import type { FieldName } from '../domain/fields';
import type { NoticeCause, NoticeTiming, PlannedNotice } from '../domain/notices';
import { changedItems, DEFAULT_NOTICE_TIMING, noticeIdOf, planNotices } from '../domain/notices';
import type { DisclosureRecord } from '../domain/record';
import type { Consent } from '../domain/registry';
import { Subject } from '../domain/registry';
import type { RegistryAction } from '../domain/registry-entry';
import { providerParty, registryEntry } from '../domain/registry-entry';
import { cancelSignal } from '../workflows/definitions';
import type { NotifyRecipientsInput } from '../workflows/notice-definitions';
import { noticeConfirmedUpdate, notifyWorkflowId } from '../workflows/notice-definitions';
import { checkAckToken } from './ack-token';
import type { ServiceContext } from './context';
import { InputError, parseInput } from './errors';
import { newDisclosureId } from './ids';

/** How long recipients have to confirm and how they are chased; the defaults unless the caller gives others. */
export interface NoticeOptions {
  timing?: Partial<NoticeTiming> | undefined;
}

export interface NoticesStarted {
  subjectId: string;
  cause: NoticeCause['type'];
  /** Absent when no recipient holds what changed: nothing was started. */
  batchId?: string | undefined;
  workflowId?: string | undefined;
  notices: { noticeId: string; recipientId: string; recipientName: string; items: FieldName[]; disclosureIds: string[] }[];
}

async function withdrawnConsents(ctx: Pick<ServiceContext, 'store'>, records: DisclosureRecord[]): Promise<Set<string>> {
  const ids = new Set(records.flatMap((r) => (r.basis?.type === 'consent' ? [r.basis.consentId] : [])));
  const withdrawn = new Set<string>();
  for (const id of ids) if ((await ctx.store.getConsent(id))?.withdrawnAt !== undefined) withdrawn.add(id);
  return withdrawn;
}

async function plan(ctx: Pick<ServiceContext, 'store'>, subjectId: string, cause: NoticeCause): Promise<PlannedNotice[]> {
  const records = await ctx.store.listRecords({ subjectId });
  return planNotices({ subjectId, records, withdrawnConsentIds: await withdrawnConsents(ctx, records) }, cause);
}

/** Starts one `notifyRecipients` workflow for the planned notices; none planned, none started. */
async function start(ctx: ServiceContext, subjectId: string, cause: NoticeCause, notices: PlannedNotice[], actor: Actor, opts: NoticeOptions): Promise<NoticesStarted> {
  const out: NoticesStarted = { subjectId, cause: cause.type, notices: [] };
  if (notices.length === 0) return out;
  const batchId = newDisclosureId(ctx.clock()).replace(/^D-/, 'N-');
  const timing = { ...DEFAULT_NOTICE_TIMING, ...ctx.noticeTiming, ...opts.timing };
  const input: NotifyRecipientsInput = { batchId, subjectId, cause, requestedBy: actor.name, actor, notices, timing };
  const workflowId = notifyWorkflowId(batchId);
  await ctx.client.workflow.start('notifyRecipients', { taskQueue: ctx.taskQueue, workflowId, args: [input] });
  return {
    ...out,
    batchId,
    workflowId,
    notices: notices.map((n) => ({ noticeId: noticeIdOf(batchId, n.recipient.id), recipientId: n.recipient.id, recipientName: n.recipient.name, items: n.items, disclosureIds: n.disclosureIds })),
  };
}

/**
 * The rectification or erasure itself as a registry entry naming who acted: the customer's id and
 * the items' names, never a value, and the notice batch it started.
 */
async function recordAct(ctx: ServiceContext, actor: Actor, action: RegistryAction, subjectId: string, details: Record<string, string>): Promise<string> {
  const { policy, digest } = await readPolicy(ctx.policyPath);
  const at = ctx.clock().toISOString();
  const entry = registryEntry({ action, ref: `${subjectId}:${action}:${at}`, actor, party: providerParty(policy.provider), policy: { version: policy.version, digest }, occurredAt: at, details: { subjectId, ...details } });
  return (await ctx.store.appendRecord(entry, at)).record.recordId;
}

/** The items of a customer's file a rectification may set; `null` removes an item that is optional. */
const ITEM_SCHEMAS = Object.fromEntries(
  Object.entries(Subject.shape)
    .filter(([k]) => k !== 'id')
    .map(([k, schema]) => [k, k === 'name' ? schema.optional() : (schema as z.ZodType).nullable().optional()]),
);
export const SubjectChanges = z.strictObject({ id: z.string().optional(), ...ITEM_SCHEMAS });

export const RectifyInput = z.object({ subject: z.string().trim().min(1), changes: z.unknown() });

/**
 * Rectification (GDPR Art. 16 and 19; APPI Art. 34): the new values go into the registry, then
 * every recipient that holds a changed item is sent that item's new value, and nothing else.
 */
export async function rectifySubject(ctx: ServiceContext, data: unknown, actor: Actor, opts: NoticeOptions = {}): Promise<NoticesStarted & { changed: FieldName[] }> {
  const input = parseInput(RectifyInput, data);
  const changes = parseInput(SubjectChanges, input.changes, 'file');
  if (changes.id !== undefined && changes.id !== input.subject) {
    throw new InputError([{ field: 'file.id', message: `names ${String(changes.id)}, not the customer ${input.subject} being rectified` }]);
  }
  const before = await ctx.store.getSubject(input.subject);
  if (before === undefined) throw new InputError([{ field: 'subject', message: `no customer ${input.subject}` }]);
  const merged: Record<string, unknown> = { ...before };
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'id' || v === undefined) continue;
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const after = parseInput(Subject, merged, 'file');
  const changed = changedItems(before, after);
  const cause: NoticeCause = { type: 'rectification', items: changed };
  if (changed.length === 0) return { subjectId: input.subject, cause: 'rectification', notices: [], changed };
  await ctx.store.putSubjects([after]);
  const started = await start(ctx, input.subject, cause, await plan(ctx, input.subject, cause), actor, opts);
  await recordAct(ctx, actor, 'subject-rectified', input.subject, { items: changed.join(','), noticeBatch: started.batchId ?? '' });
  return { ...started, changed };
}

export const EraseInput = z.object({ subject: z.string().trim().min(1) });

/** Kinds whose running handoff for one customer stops when that customer is erased. */
const SINGLE_SUBJECT_HANDOFFS = new Set(['dealer-catalog', 'shipping']);

/**
 * Erasure on request (GDPR Art. 17 and 19; APPI Art. 35): the customer's file leaves the registry,
 * handoffs still in flight for them are cancelled, and every recipient that holds their data is
 * asked to delete it. The ledger keeps ids and item names, never a value.
 */
export async function eraseSubject(ctx: ServiceContext, data: unknown, actor: Actor, opts: NoticeOptions = {}): Promise<NoticesStarted & { cancelled: string[] }> {
  const input = parseInput(EraseInput, data);
  if ((await ctx.store.getSubject(input.subject)) === undefined) throw new InputError([{ field: 'subject', message: `no customer ${input.subject} in the registry` }]);
  const cause: NoticeCause = { type: 'erasure' };
  const notices = await plan(ctx, input.subject, cause);
  await ctx.store.eraseSubject(input.subject);
  const cancelled: string[] = [];
  for (const entry of await ctx.store.listDisclosures({ subjectId: input.subject })) {
    if (!SINGLE_SUBJECT_HANDOFFS.has(entry.kind) || entry.subjectIds.length !== 1) continue;
    try {
      await ctx.client.workflow.getHandle(entry.workflowId).signal(cancelSignal, { code: 'subject-erased', message: `customer ${input.subject} was erased on request` });
      cancelled.push(entry.id);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  const started = await start(ctx, input.subject, cause, notices, actor, opts);
  await recordAct(ctx, actor, 'subject-erased', input.subject, { cancelled: cancelled.join(','), noticeBatch: started.batchId ?? '' });
  return { ...started, cancelled };
}

/** A consent withdrawn after delivery: the recipients that received data under it are asked to stop using and delete it. */
export async function notifyOnWithdrawal(ctx: ServiceContext, consent: Consent, actor: Actor, opts: NoticeOptions = {}): Promise<NoticesStarted> {
  const cause: NoticeCause = { type: 'withdrawal', consentId: consent.id };
  return start(ctx, consent.subjectId, cause, await plan(ctx, consent.subjectId, cause), actor, opts);
}

export type NoticeRefusal = 'forged' | 'expired' | 'wrong-recipient' | 'unknown-notice' | 'not-sent' | 'already-confirmed';

export interface NoticeView {
  noticeId: string;
  cause: string;
  recipientId: string;
  recipientName: string;
  items: FieldName[];
  disclosureIds: string[];
  sentAt: string;
  dueAt: string;
  confirmedAt?: string | undefined;
}

export type NoticePreview = { ok: true; notice: NoticeView } | { ok: false; reason: NoticeRefusal; message: string; confirmedAt?: string | undefined };
export type NoticeOutcome = { ok: true; noticeId: string; recordId: string; confirmedAt: string } | { ok: false; reason: NoticeRefusal; message: string; confirmedAt?: string | undefined };

/** A notice as its ledger entries state it; checks that it went to this recipient. */
async function findNotice(ctx: Pick<ServiceContext, 'store'>, noticeId: string, recipientId: string): Promise<{ ok: true; sent: DisclosureRecord; view: NoticeView } | Extract<NoticePreview, { ok: false }>> {
  const records = await ctx.store.listRecords({ disclosureId: noticeId });
  const sent = records.find((r) => r.entryType === 'recipient-notice');
  if (sent === undefined) return { ok: false, reason: 'unknown-notice', message: `no notice ${noticeId}` };
  if (sent.recipient.id !== recipientId) return { ok: false, reason: 'wrong-recipient', message: `${recipientId} is not the recipient of ${noticeId}` };
  if (sent.outcome !== 'delivered') return { ok: false, reason: 'not-sent', message: `notice ${noticeId} was not sent (${sent.refusal?.code ?? sent.outcome})` };
  const confirmed = records.find((r) => r.entryType === 'recipient-notice-confirmation');
  const view: NoticeView = {
    noticeId,
    cause: String(sent.details?.cause ?? ''),
    recipientId,
    recipientName: sent.recipient.name,
    items: sent.items,
    disclosureIds: String(sent.details?.refersTo ?? '').split(',').filter((s) => s !== ''),
    sentAt: sent.occurredAt,
    dueAt: String(sent.details?.dueAt ?? ''),
    confirmedAt: confirmed?.occurredAt,
  };
  if (confirmed !== undefined) return { ok: false, reason: 'already-confirmed', message: `already confirmed at ${confirmed.occurredAt} (${confirmed.recordId})`, confirmedAt: confirmed.occurredAt };
  return { ok: true, sent, view };
}

/** What the confirmation page shows for a link, changing nothing. */
export async function previewNotice(ctx: ServiceContext, key: Buffer, token: string): Promise<NoticePreview> {
  const check = checkAckToken(key, token, ctx.clock(), 'notice');
  if (!check.ok) return { ok: false, reason: check.reason, message: check.message };
  const found = await findNotice(ctx, check.claims.disclosureId, check.claims.recipientId);
  return found.ok ? { ok: true, notice: found.view } : found;
}

/** The recipient confirms it acted on a notice: checked here, then recorded once by the notice's workflow. */
export async function confirmNotice(ctx: ServiceContext, request: { noticeId: string; recipientId: string; via: 'link' | 'api' }): Promise<NoticeOutcome> {
  const found = await findNotice(ctx, request.noticeId, request.recipientId);
  if (!found.ok) return found;
  const c = { noticeId: request.noticeId, via: request.via, at: ctx.clock().toISOString() };
  try {
    const state = await ctx.client.workflow.getHandle(found.sent.workflowId).executeUpdate(noticeConfirmedUpdate, { args: [c] });
    if (state.recordId === undefined) return { ok: false, reason: 'not-sent', message: `notice ${request.noticeId} could not be sent (${state.reason?.code ?? state.status})` };
    return { ok: true, noticeId: request.noticeId, recordId: state.recordId, confirmedAt: state.confirmedAt ?? c.at };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { ok: false, reason: 'not-sent', message: err.cause?.message ?? err.message };
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const again = await findNotice(ctx, request.noticeId, request.recipientId);
    return again.ok ? { ok: false, reason: 'not-sent', message: `the follow-up of ${request.noticeId} is no longer running` } : again;
  }
}

/** The link in the notice: only a genuine, unexpired notice token reaches `confirmNotice`. */
export async function confirmNoticeWithToken(ctx: ServiceContext, key: Buffer, token: string): Promise<NoticeOutcome> {
  const check = checkAckToken(key, token, ctx.clock(), 'notice');
  if (!check.ok) return { ok: false, reason: check.reason, message: check.message };
  return confirmNotice(ctx, { noticeId: check.claims.disclosureId, recipientId: check.claims.recipientId, via: 'link' });
}
