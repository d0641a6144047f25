import { ApplicationFailure } from '@temporalio/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { FieldName } from '../domain/field-names';
import type { NoticeReminderLetter } from '../domain/notice-letter';
import { noticeSubject, renderNotice, renderNoticeReminder } from '../domain/notice-letter';
import type { NoticeCause } from '../domain/notices';
import { FailureType } from '../domain/refusals';
import type { RecipientSnapshot } from '../domain/registry';
import { isPermanentSmtpError } from '../infra/mailer';
import { sha256Hex } from '../store/chain';
import type { ActivityDeps } from './deps';
import { basisRefused, notFound } from './failures';
import { readPolicy } from './policy';

export interface StageNoticeInput {
  noticeId: string;
  subjectId: string;
  cause: NoticeCause;
  recipient: RecipientSnapshot;
  items: FieldName[];
  disclosureIds: string[];
  dueAt: string;
}

export interface SendNoticeInput {
  noticeId: string;
  /** Rectification: the consents the new values go out on, checked once more right before sending. */
  consentIds: string[];
}

export interface NoticeReminderInput extends Omit<NoticeReminderLetter, 'recipientName' | 'confirmUrl'> {
  recipient: RecipientSnapshot;
}

/** What goes back into workflow history: ids and digests, never a value. */
export interface NoticeMailRef {
  messageId: string;
  payloadDigest: string;
  sentAt?: string | undefined;
}

const messageIdOf = (key: string): string => `<${key.replace(/:/g, '.')}@disclosure.engine>`;

export function createRecipientNoticeActivities(deps: ActivityDeps) {
  const { store, mailer, clock, log } = deps;

  async function stage(key: string, to: string, subject: string, text: string): Promise<NoticeMailRef> {
    const messageId = messageIdOf(key);
    const raw = await new MailComposer({ from: deps.mailFrom, to, subject, messageId, text, headers: { 'X-Disclosure-Id': key } }).compile().build();
    const staged = await store.stageHandoff({ disclosureId: key, messageId, from: deps.mailFrom, to, payloadDigest: `sha256:${sha256Hex(text)}`, raw });
    return { messageId: staged.messageId, payloadDigest: staged.payloadDigest };
  }

  /** Sends what is staged under `key`, once: a message the server accepted is not sent again. */
  async function sendStaged(key: string): Promise<Required<NoticeMailRef>> {
    const staged = await store.getHandoff(key);
    if (staged === undefined) throw notFound(`nothing staged for ${key}`);
    if (staged.sentAt !== null) return { messageId: staged.messageId, payloadDigest: staged.payloadDigest, sentAt: staged.sentAt };
    if (staged.raw === null) throw notFound(`staged message ${key} has no content`);
    try {
      const { response } = await mailer.send({ from: staged.from, to: staged.to, raw: staged.raw });
      const sentAt = clock().toISOString();
      await store.markHandoffSent(key, sentAt, response);
      return { messageId: staged.messageId, payloadDigest: staged.payloadDigest, sentAt };
    } catch (err) {
      if (!isPermanentSmtpError(err)) throw err;
      throw ApplicationFailure.create({ message: `the mail server rejected ${key}: ${(err as Error).message}`, type: FailureType.DeliveryRejected, nonRetryable: true });
    }
  }

  return {
    /** The policy version the notices' entries name. */
    async noticePolicyRef(): Promise<{ version: string; digest: string }> {
      const { policy, digest } = await readPolicy(deps.policyPath);
      return { version: policy.version, digest };
    },

    /**
     * Renders a notice once and keeps it in the outbox. A rectification reads the new values here,
     * from the registry, so they never pass through the workflow; a customer no longer on file
     * has no values to send, and the notice fails rather than tell the recipient items were removed.
     */
    async stageRecipientNotice(input: StageNoticeInput): Promise<NoticeMailRef> {
      const existing = await store.getHandoff(input.noticeId);
      if (existing !== undefined) return { messageId: existing.messageId, payloadDigest: existing.payloadDigest };
      let values: Partial<Record<FieldName, string>> | undefined;
      if (input.cause.type === 'rectification') {
        const subject = await store.getSubject(input.subjectId);
        if (subject === undefined) {
          throw ApplicationFailure.create({ message: `customer ${input.subjectId} is no longer on file`, type: 'SubjectDataMissing', nonRetryable: true });
        }
        values = Object.fromEntries(input.items.flatMap((i) => (subject[i] === undefined ? [] : [[i, String(subject[i])]])));
      }
      const { policy } = await readPolicy(deps.policyPath);
      const letter = {
        noticeId: input.noticeId,
        subjectId: input.subjectId,
        recipientName: input.recipient.name,
        providerName: policy.provider.name,
        cause: input.cause,
        items: input.items,
        disclosureIds: input.disclosureIds,
        dueAt: input.dueAt,
        values,
        confirmUrl: deps.noticeLink?.(input.noticeId, input.recipient.id),
      };
      const ref = await stage(input.noticeId, input.recipient.email, noticeSubject(letter), renderNotice(letter, deps.timeZone));
      log.info('recipient notice staged', { noticeId: input.noticeId, cause: input.cause.type, items: input.items.join(',') });
      return ref;
    },

    /** Sends a staged notice; new values never go out on a consent withdrawn since the notice was planned. */
    async sendRecipientNotice(input: SendNoticeInput): Promise<Required<NoticeMailRef>> {
      for (const id of input.consentIds) {
        const consent = await store.getConsent(id);
        if (consent?.withdrawnAt !== undefined) {
          await store.discardHandoff(input.noticeId);
          throw basisRefused({ code: 'consent-withdrawn', message: `consent ${id} was withdrawn at ${consent.withdrawnAt}; the new values are not sent` });
        }
      }
      const sent = await sendStaged(input.noticeId);
      log.info('recipient notice sent', { noticeId: input.noticeId });
      return sent;
    },

    /** A reminder to the recipient, or an escalation to the privacy office; no customer data in either. */
    async sendNoticeReminder(input: NoticeReminderInput): Promise<Required<NoticeMailRef>> {
      const kind = input.escalation ? 'escalation' : 'reminder';
      const key = `${input.noticeId}:${kind}:${input.reminderNo}`;
      const to = input.escalation ? deps.mailFrom : input.recipient.email;
      const subject = input.escalation
        ? `通知の確認の遅延 / Notice confirmation overdue: ${input.noticeId}`
        : `通知の確認のお願い / Please confirm notice ${input.noticeId}`;
      const text = renderNoticeReminder({ ...input, recipientName: input.recipient.name, confirmUrl: deps.noticeLink?.(input.noticeId, input.recipient.id) }, deps.timeZone);
      if ((await store.getHandoff(key)) === undefined) await stage(key, to, subject, text);
      const sent = await sendStaged(key);
      log.info(`notice ${kind} sent`, { noticeId: input.noticeId, reminderNo: input.reminderNo });
      return sent;
    },
  };
}
