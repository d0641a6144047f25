import { ApplicationFailure } from '@temporalio/common';
import { art30RecordOf } from '../domain/art30';
import type { HandoffStaging } from '../domain/handoff-flow';
import type { HandoffPayload } from '../domain/handoff';
import { projectSubject } from '../domain/handoff';
import { FailureType } from '../domain/refusals';
import { isPermanentSmtpError } from '../infra/mailer';
import { sendAttemptedAt } from '../store/store';
import { composeHandoff } from './compose';
import type { ActivityDeps } from './deps';
import type { BasisRecheck } from './recheck';
import { purposeStatementFor } from './policy';
import { recheckBasis } from './recheck';
import { basisRefused, notFound } from './failures';

export type StageHandoffInput = HandoffStaging;

/** What goes back into workflow history: identifiers and digests, never the data. */
export interface StagedRef {
  messageId: string;
  payloadDigest: string;
}

export interface SendHandoffInput {
  disclosureId: string;
  recheck: BasisRecheck;
}

export interface SentRef extends StagedRef {
  sentAt: string;
  smtpResponse: string;
}

export function createHandoffActivities(deps: ActivityDeps) {
  const { store, mailer, clock, log } = deps;
  return {
    /** Loads the customer, keeps only the selected items and stages the rendered message. */
    async stageHandoff(input: StageHandoffInput): Promise<StagedRef> {
      const existing = await store.getHandoff(input.disclosureId);
      if (existing !== undefined) return { messageId: existing.messageId, payloadDigest: existing.payloadDigest };
      const subject = await store.getSubject(input.subjectId);
      if (subject === undefined) throw notFound(`no customer ${input.subjectId}`);
      const projected = projectSubject(subject, input.fields);
      if (!projected.ok) {
        throw ApplicationFailure.create({
          message: `customer ${input.subjectId} has no ${projected.missing.join(', ')} on file`,
          type: 'SubjectDataMissing',
          nonRetryable: true,
          details: [projected.missing],
        });
      }
      const payload: HandoffPayload = {
        disclosureId: input.disclosureId,
        kind: input.kind,
        purpose: input.purpose,
        purposeStatement: await purposeStatementFor(deps.policyPath, input.kind, input.purpose),
        issuedAt: input.issuedAt,
        provider: input.provider,
        recipient: input.recipient,
        basis: input.basis,
        items: input.fields,
        subjects: [projected.data],
        details: input.details,
        ...(input.instructions !== undefined ? { instructions: input.instructions } : {}),
      };
      const art30Record = art30RecordOf(payload);
      if (art30Record !== undefined) payload.art30Record = art30Record;
      const composed = await composeHandoff(payload, {
        from: deps.mailFrom,
        to: input.recipient.email,
        subject: input.subjectLine,
        ackUrl: deps.ackLink?.(input.disclosureId, input.recipient.id),
        timeZone: deps.timeZone,
      });
      const staged = await store.stageHandoff({
        disclosureId: input.disclosureId,
        from: deps.mailFrom,
        to: input.recipient.email,
        ...composed,
      });
      log.info('handoff staged', { disclosureId: input.disclosureId, items: input.fields.join(',') });
      return { messageId: staged.messageId, payloadDigest: staged.payloadDigest };
    },

    /**
     * Checks the basis once more and sends the staged bytes. A message already accepted is not
     * sent again, so a retry after a crash between "accepted" and "recorded" is harmless. Once a
     * send has been started its outcome may be unknown: a later attempt that finds the basis gone
     * reports the delivery as uncertain (the recipient may hold the data), never as a refusal.
     */
    async sendHandoff(input: SendHandoffInput): Promise<SentRef> {
      const staged = await store.getHandoff(input.disclosureId);
      if (staged === undefined) throw notFound(`nothing staged for ${input.disclosureId}`);
      const done = (sentAt: string, smtpResponse: string): SentRef => ({
        messageId: staged.messageId,
        payloadDigest: staged.payloadDigest,
        sentAt,
        smtpResponse,
      });
      if (staged.sentAt !== null) return done(staged.sentAt, staged.smtpResponse ?? '');
      const attemptedAt = sendAttemptedAt(staged);
      if (staged.raw === null) {
        if (attemptedAt !== undefined) throw deliveryUncertain(input.disclosureId, attemptedAt, 'the staged message is gone');
        throw notFound(`staged message for ${input.disclosureId} has no content`);
      }
      const refusal = await recheckBasis(deps, input.recheck, clock(), input.disclosureId);
      if (refusal !== undefined) {
        log.warn('basis refused at send time', { disclosureId: input.disclosureId, code: refusal.code });
        if (attemptedAt !== undefined) throw deliveryUncertain(input.disclosureId, attemptedAt, `the basis is gone now (${refusal.code})`);
        throw basisRefused(refusal);
      }
      await store.markHandoffAttempted(input.disclosureId, clock().toISOString());
      try {
        const { response } = await mailer.send({ from: staged.from, to: staged.to, raw: staged.raw });
        const sentAt = clock().toISOString();
        await store.markHandoffSent(input.disclosureId, sentAt, response);
        log.info('handoff sent', { disclosureId: input.disclosureId, recipient: staged.to });
        return done(sentAt, response);
      } catch (err) {
        if (!isPermanentSmtpError(err)) throw err;
        throw ApplicationFailure.create({
          message: `the mail server rejected the handoff: ${(err as Error).message}`,
          type: FailureType.DeliveryRejected,
          nonRetryable: true,
        });
      }
    },

    /** Where a message stands in the outbox, for a workflow whose send ended without an answer. */
    async handoffSendState(disclosureId: string): Promise<SendState> {
      const staged = await store.getHandoff(disclosureId);
      if (staged === undefined) return { state: 'not-staged' };
      if (staged.sentAt !== null) return { state: 'sent', sent: done(staged, staged.sentAt) };
      const attemptedAt = sendAttemptedAt(staged);
      return attemptedAt === undefined ? { state: 'not-started' } : { state: 'attempted', attemptedAt };
    },
  };
}

const done = (staged: { messageId: string; payloadDigest: string; smtpResponse: string | null }, sentAt: string): SentRef => ({
  messageId: staged.messageId,
  payloadDigest: staged.payloadDigest,
  sentAt,
  smtpResponse: staged.smtpResponse ?? '',
});

export type SendState =
  | { state: 'not-staged' | 'not-started' }
  | { state: 'attempted'; attemptedAt: string }
  | { state: 'sent'; sent: SentRef };

const deliveryUncertain = (disclosureId: string, attemptedAt: string, why: string): ApplicationFailure =>
  ApplicationFailure.create({
    message: `a send of ${disclosureId} started at ${attemptedAt} has no known outcome and ${why}: the recipient may hold the data`,
    type: FailureType.DeliveryUncertain,
    nonRetryable: true,
  });
