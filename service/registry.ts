import { z } from 'zod';
import { ConsentChannel, Recipient, Subject } from '../domain/registry';
import type { Consent } from '../domain/registry';
import { StoreError } from '../store/store';
import type { ServiceContext } from './context';
import { cancelForConsent } from './disclosures';
import { InputError, NotFoundError, parseInput } from './errors';
import type { NoticesStarted } from './notices';
import { notifyOnWithdrawal } from './notices';

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]);

/** Adds or updates customers; the whole batch is checked before anything is written. */
export async function addSubjects(ctx: Pick<ServiceContext, 'store'>, data: unknown): Promise<string[]> {
  const parsed = parseInput(oneOrMany(Subject), data);
  const subjects = Array.isArray(parsed) ? parsed : [parsed];
  await ctx.store.putSubjects(subjects);
  return subjects.map((s) => s.id);
}

export async function addRecipients(ctx: Pick<ServiceContext, 'store'>, data: unknown): Promise<string[]> {
  const parsed = parseInput(oneOrMany(Recipient), data);
  const recipients = Array.isArray(parsed) ? parsed : [parsed];
  await ctx.store.putRecipients(recipients);
  return recipients.map((r) => r.id);
}

export const ConsentGrantInput = z.object({
  subject: z.string().min(1),
  recipient: z.string().min(1),
  purpose: z.string().min(1),
  noticeVersion: z.string().min(1),
  channel: ConsentChannel.default('web-form'),
  grantedAt: z.iso.datetime().optional(),
});

export async function grantConsent(ctx: Pick<ServiceContext, 'store' | 'clock'>, data: unknown): Promise<Consent> {
  const input = parseInput(ConsentGrantInput, data);
  const issues = [];
  if ((await ctx.store.getSubject(input.subject)) === undefined) issues.push({ field: 'subject', message: `no customer ${input.subject}` });
  if ((await ctx.store.getRecipient(input.recipient)) === undefined) issues.push({ field: 'recipient', message: `no recipient ${input.recipient}` });
  if (issues.length > 0) throw new InputError(issues);
  return ctx.store.grantConsent({
    subjectId: input.subject,
    recipientId: input.recipient,
    purpose: input.purpose,
    noticeVersion: input.noticeVersion,
    channel: input.channel,
    grantedAt: input.grantedAt ?? ctx.clock().toISOString(),
  });
}

/**
 * Withdraws a consent and tells every disclosure still in flight on it, so that those not yet
 * sent end as cancelled (each also re-checks the consent right before sending); recipients that
 * already received data under it are asked to stop using and delete it (service/notices.ts).
 */
export async function withdrawConsent(
  ctx: ServiceContext,
  consentId: string,
): Promise<{ consent: Consent; cancelled: string[]; notices: NoticesStarted }> {
  try {
    const consent = await ctx.store.withdrawConsent(consentId, ctx.clock().toISOString());
    const cancelled = await cancelForConsent(ctx, consentId, {
      code: 'consent-withdrawn',
      message: `consent ${consentId} was withdrawn at ${consent.withdrawnAt ?? ''}`,
    });
    return { consent, cancelled, notices: await notifyOnWithdrawal(ctx, consent) };
  } catch (err) {
    if (err instanceof StoreError && err.code === 'not-found') throw new NotFoundError(err.message);
    if (err instanceof StoreError && err.code === 'conflict') throw new InputError([{ field: 'consent', message: err.message }]);
    throw err;
  }
}
