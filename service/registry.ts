import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { readPolicy } from '../activities/policy';
import type { Actor } from '../domain/actor';
import { canonicalJson } from '../domain/canonical';
import type { RegistryAction } from '../domain/registry-entry';
import { claimedGrantProblem, DEFAULT_CONSENT_BACKDATE_DAYS } from '../domain/consent-evidence';
import { changedFields, decisionRefusal, needsSecondPerson, providerParty, registryEntry } from '../domain/registry-entry';
import { ConsentChannel, Recipient, snapshotRecipient, Subject } from '../domain/registry';
import type { Consent } from '../domain/registry';
import type { ProviderParty } from '../domain/record';
import type { RecipientSnapshot } from '../domain/registry';
import { sha256Hex } from '../store/chain';
import type { RecipientChange } from '../store/store';
import { StoreError } from '../store/store';
import type { ServiceContext } from './context';
import { cancelForConsent } from './disclosures';
import { InputError, NotFoundError, parseInput, RefusedError } from './errors';
import type { NoticesStarted } from './notices';
import { notifyOnWithdrawal } from './notices';

type RegistryContext = Pick<ServiceContext, 'store' | 'clock' | 'policyPath'>;

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]);

/** Appends the ledger entry of one registry write, under the policy in force, naming who acted. */
async function record(
  ctx: RegistryContext,
  actor: Actor,
  e: { action: RegistryAction; ref: string; party?: RecipientSnapshot; details?: Record<string, string | number | boolean> },
): Promise<string> {
  const { policy, digest } = await readPolicy(ctx.policyPath);
  const party: RecipientSnapshot | ProviderParty = e.party ?? providerParty(policy.provider);
  const { record: appended } = await ctx.store.appendRecord(
    registryEntry({ ...e, party, actor, policy: { version: policy.version, digest }, occurredAt: ctx.clock().toISOString() }),
    ctx.clock().toISOString(),
  );
  return appended.recordId;
}

const conflict = (field: string) => (err: unknown): never => {
  if (err instanceof StoreError && err.code === 'not-found') throw new NotFoundError(err.message);
  if (err instanceof StoreError && err.code === 'conflict') throw new InputError([{ field, message: err.message }]);
  throw err;
};

/** Adds or updates customers; the whole batch is checked before anything is written. */
export async function addSubjects(ctx: RegistryContext, data: unknown, actor: Actor): Promise<string[]> {
  const parsed = parseInput(oneOrMany(Subject), data);
  const subjects = Array.isArray(parsed) ? parsed : [parsed];
  await ctx.store.putSubjects(subjects);
  const ids = subjects.map((s) => s.id);
  await record(ctx, actor, { action: 'subjects-written', ref: `subjects:${randomUUID()}`, details: { count: ids.length, idsDigest: `sha256:${sha256Hex(canonicalJson(ids))}` } });
  return ids;
}

export interface RecipientsAdded {
  /** In force at once: nothing a second person must see changed (name, representative, phone). */
  added: string[];
  /** New recipients and changes of kind, address, email or contract, waiting for a second person. */
  pending: { changeId: string; recipientId: string; changed: string[] }[];
}

/**
 * Adds or updates recipients. A new recipient, or a change to where and how data reaches one
 * (kind, address, email, contract), is filed as a proposal a second person decides; until then
 * the recipient receives nothing. The whole batch is checked before anything is written.
 */
export async function addRecipients(ctx: RegistryContext, data: unknown, actor: Actor): Promise<RecipientsAdded> {
  const parsed = parseInput(oneOrMany(Recipient), data);
  const recipients = Array.isArray(parsed) ? parsed : [parsed];
  const plans = [];
  for (const r of recipients) {
    const [waiting] = await ctx.store.listRecipientChanges({ recipientId: r.id, pending: true });
    if (waiting !== undefined) throw new InputError([{ field: 'id', message: `recipient ${r.id} has change ${waiting.id} pending; approve or reject it first` }]);
    const current = await ctx.store.getRecipient(r.id);
    plans.push({ r, current, guarded: needsSecondPerson(current, r) });
  }
  const result: RecipientsAdded = { added: [], pending: [] };
  for (const { r, current, guarded } of plans) {
    const changed = changedFields(current, r);
    if (!guarded) {
      await ctx.store.putRecipients([r]);
      await record(ctx, actor, { action: 'recipient-written', ref: `recipient:${r.id}:${randomUUID()}`, party: snapshotRecipient(r), details: { recipientId: r.id, changed: changed.join(',') } });
      result.added.push(r.id);
      continue;
    }
    const change = await ctx.store.proposeRecipientChange({ recipient: r, proposedBy: actor, proposedAt: ctx.clock().toISOString() }).catch(conflict('id'));
    await record(ctx, actor, { action: 'recipient-proposed', ref: change.id, party: snapshotRecipient(r), details: { recipientId: r.id, changed: changed.join(',') } });
    result.pending.push({ changeId: change.id, recipientId: r.id, changed });
  }
  return result;
}

export interface PendingChange extends RecipientChange {
  /** Which fields differ from the recipient in force (every field for a new recipient). */
  changed: string[];
}

/** The recipient changes waiting for a second person, oldest first. */
export async function pendingRecipientChanges(ctx: Pick<ServiceContext, 'store'>): Promise<PendingChange[]> {
  const changes = await ctx.store.listRecipientChanges({ pending: true });
  return Promise.all(changes.map(async (c) => ({ ...c, changed: changedFields(await ctx.store.getRecipient(c.recipient.id), c.recipient) })));
}

export const RejectInput = z.object({ reason: z.string().trim().min(1).max(500) });

/** A second person (registrar or admin, never the proposer) puts a proposed recipient in force. */
export async function approveRecipientChange(ctx: RegistryContext, id: string, actor: Actor): Promise<RecipientChange> {
  const found = await ctx.store.getRecipientChange(id);
  if (found === undefined) throw new NotFoundError(`no recipient change ${id}`);
  const refused = decisionRefusal(found.proposedBy, actor);
  if (refused !== undefined) throw new RefusedError({ code: 'approval-same-person', message: refused });
  const change = await ctx.store.decideRecipientChange(id, { approve: true, by: actor, at: ctx.clock().toISOString() }).catch(conflict('change'));
  await record(ctx, actor, { action: 'recipient-approved', ref: change.id, party: snapshotRecipient(change.recipient), details: { recipientId: change.recipient.id, proposedBy: found.proposedBy.name } });
  return change;
}

/** Rejects a proposal (its author may withdraw it this way); the recipient in force stays as it was. */
export async function rejectRecipientChange(ctx: RegistryContext, id: string, data: unknown, actor: Actor): Promise<RecipientChange> {
  const { reason } = parseInput(RejectInput, data);
  const change = await ctx.store.decideRecipientChange(id, { approve: false, by: actor, at: ctx.clock().toISOString(), reason }).catch(conflict('change'));
  await record(ctx, actor, { action: 'recipient-rejected', ref: change.id, party: snapshotRecipient(change.recipient), details: { recipientId: change.recipient.id, reason } });
  return change;
}

export const ConsentGrantInput = z.object({
  subject: z.string().min(1),
  recipient: z.string().min(1),
  purpose: z.string().min(1),
  noticeVersion: z.string().min(1),
  channel: ConsentChannel.default('web-form'),
  /** When the customer gave it, if earlier than now: recorded as claimed, within the policy's window only. */
  grantedAt: z.iso.datetime().optional(),
  /** Where the evidence is kept (form submission id, scanned paper, call recording); required with grantedAt. */
  evidenceRef: z.string().trim().min(1).max(200).optional(),
});

/** The recipient in force, else the one proposed (a customer may consent to a dealer still being set up). */
async function consentRecipient(ctx: RegistryContext, id: string): Promise<Recipient | undefined> {
  return (await ctx.store.getRecipient(id)) ?? (await ctx.store.listRecipientChanges({ recipientId: id, pending: true }))[0]?.recipient;
}

export async function grantConsent(ctx: RegistryContext, data: unknown, actor: Actor): Promise<Consent> {
  const input = parseInput(ConsentGrantInput, data);
  const issues = [];
  const recipient = await consentRecipient(ctx, input.recipient);
  if ((await ctx.store.getSubject(input.subject)) === undefined) issues.push({ field: 'subject', message: `no customer ${input.subject}` });
  if (recipient === undefined) issues.push({ field: 'recipient', message: `no recipient ${input.recipient}` });
  const receivedAt = ctx.clock();
  if (input.grantedAt !== undefined) {
    const { policy } = await readPolicy(ctx.policyPath);
    const problem = claimedGrantProblem(input.grantedAt, receivedAt, policy.consentBackdateDays ?? DEFAULT_CONSENT_BACKDATE_DAYS);
    if (problem !== undefined) issues.push({ field: 'grantedAt', message: problem });
    if (input.evidenceRef === undefined) issues.push({ field: 'evidenceRef', message: 'a consent given earlier than it is entered needs a reference to its evidence' });
  }
  if (issues.length > 0 || recipient === undefined) throw new InputError(issues);
  const consent = await ctx.store.grantConsent({
    subjectId: input.subject,
    recipientId: input.recipient,
    purpose: input.purpose,
    noticeVersion: input.noticeVersion,
    channel: input.channel,
    grantedAt: input.grantedAt ?? receivedAt.toISOString(),
    enteredBy: actor,
    receivedAt: receivedAt.toISOString(),
    evidenceRef: input.evidenceRef,
    grantedAtClaimed: input.grantedAt !== undefined,
  });
  await record(ctx, actor, {
    action: 'consent-granted',
    ref: consent.id,
    party: snapshotRecipient(recipient),
    details: { consentId: consent.id, purpose: consent.purpose, channel: consent.channel, grantedAtClaimed: input.grantedAt !== undefined, ...(input.evidenceRef !== undefined ? { evidenceRef: input.evidenceRef } : {}) },
  });
  return consent;
}

/**
 * Withdraws a consent and tells every disclosure still in flight on it, so that those not yet
 * sent end as cancelled (each also re-checks the consent right before sending); recipients that
 * already received data under it are asked to stop using and delete it (service/notices.ts).
 */
export async function withdrawConsent(
  ctx: ServiceContext,
  consentId: string,
  actor: Actor,
): Promise<{ consent: Consent; cancelled: string[]; notices: NoticesStarted }> {
  const consent = await ctx.store.withdrawConsent(consentId, ctx.clock().toISOString()).catch(conflict('consent'));
  const recipient = await consentRecipient(ctx, consent.recipientId);
  await record(ctx, actor, {
    action: 'consent-withdrawn',
    ref: `${consent.id}:withdrawal`,
    ...(recipient !== undefined ? { party: snapshotRecipient(recipient) } : {}),
    details: { consentId: consent.id },
  });
  const cancelled = await cancelForConsent(ctx, consentId, {
    code: 'consent-withdrawn',
    message: `consent ${consentId} was withdrawn at ${consent.withdrawnAt ?? ''}`,
  });
  return { consent, cancelled, notices: await notifyOnWithdrawal(ctx, consent, actor) };
}
