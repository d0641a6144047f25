import { ApplicationFailure } from '@temporalio/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import { formatBilingual, formatForPeople } from '../domain/dates';
import type { FieldName } from '../domain/fields';
import { FailureType } from '../domain/refusals';
import { isPermanentSmtpError } from '../infra/mailer';
import { sha256Hex } from '../store/chain';
import type { ActivityDeps } from './deps';
import type { PurposeStatement } from '../domain/purposes';
import { purposeLine } from '../domain/purposes';
import { purposeStatementFor } from './policy';
import { notFound } from './failures';

export interface CustomerNoticeInput {
  disclosureId: string;
  subjectId: string;
  authorityName: string;
  ground: string;
  items: FieldName[];
  disclosedAt: string;
}

export interface ReviewReminderInput {
  disclosureId: string;
  approvedBy: string;
  dueAt: string;
  reminder: number;
}

export interface SentMail {
  messageId: string;
  payloadDigest: string;
  sentAt: string;
}

interface Letter {
  key: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends a message at most once per key: it is rendered and kept in the outbox first, so a retry
 * after a crash finds it there and, once accepted, does not send it again.
 */
async function sendOnce(deps: ActivityDeps, letter: Letter): Promise<SentMail> {
  const { store, mailer, clock } = deps;
  let staged = await store.getHandoff(letter.key);
  if (staged === undefined) {
    const messageId = `<${letter.key.replace(/:/g, '.')}@disclosure.engine>`;
    const raw = await new MailComposer({
      from: deps.mailFrom,
      to: letter.to,
      subject: letter.subject,
      messageId,
      text: letter.text,
      headers: { 'X-Disclosure-Id': letter.key },
    })
      .compile()
      .build();
    const payloadDigest = `sha256:${sha256Hex(letter.text)}`;
    staged = await store.stageHandoff({
      disclosureId: letter.key,
      messageId,
      from: deps.mailFrom,
      to: letter.to,
      payloadDigest,
      raw,
    });
  }
  const done = (sentAt: string): SentMail => ({
    messageId: staged.messageId,
    payloadDigest: staged.payloadDigest,
    sentAt,
  });
  if (staged.sentAt !== null) return done(staged.sentAt);
  if (staged.raw === null) throw notFound(`staged message ${letter.key} has no content`);
  try {
    const { response } = await mailer.send({ from: staged.from, to: staged.to, raw: staged.raw });
    const sentAt = clock().toISOString();
    await store.markHandoffSent(letter.key, sentAt, response);
    return done(sentAt);
  } catch (err) {
    if (!isPermanentSmtpError(err)) throw err;
    throw ApplicationFailure.create({
      message: `the mail server rejected ${letter.key}: ${(err as Error).message}`,
      type: FailureType.DeliveryRejected,
      nonRetryable: true,
    });
  }
}

function noticeText(input: CustomerNoticeInput, purpose: PurposeStatement | undefined, timeZone: string | undefined): string {
  return [
    'お客様の個人データの提供についてのお知らせ / Notice of a disclosure of your personal data',
    '',
    '法令に基づく要請により、お客様の個人データを次のとおり提供しました。',
    'Following a request based on law, we disclosed your personal data as follows.',
    '',
    `提供番号 / Disclosure: ${input.disclosureId}`,
    `提供日 / Date: ${formatBilingual(input.disclosedAt, timeZone)}`,
    `提供先 / Recipient: ${input.authorityName}`,
    `根拠・目的 / Ground and purpose: ${purposeLine(purpose, input.ground)}`,
    `項目 / Items: ${input.items.join(', ')}`,
    '',
    '提供の記録の開示は、個人情報保護法第33条第5項に基づきご請求いただけます。',
    'You may ask for the record of this disclosure (APPI Art. 33(5)).',
  ].join('\n');
}

export function createNoticeActivities(deps: ActivityDeps) {
  const { store, log } = deps;
  return {
    /** Tells the customer about a legal disclosure; the address is read here and never leaves the activity. */
    async sendCustomerNotice(input: CustomerNoticeInput): Promise<SentMail> {
      const subject = await store.getSubject(input.subjectId);
      if (subject === undefined) throw notFound(`no customer ${input.subjectId}`);
      if (subject.email === undefined) {
        throw ApplicationFailure.create({
          message: `customer ${input.subjectId} has no email on file for the notice`,
          type: 'SubjectDataMissing',
          nonRetryable: true,
        });
      }
      const sent = await sendOnce(deps, {
        key: `${input.disclosureId}:notice`,
        to: subject.email,
        subject: `個人データの提供についてのお知らせ / Notice of disclosure ${input.disclosureId}`,
        text: noticeText(input, await purposeStatementFor(deps.policyPath, 'legal', input.ground), deps.timeZone),
      });
      log.info('customer notice sent', { disclosureId: input.disclosureId });
      return sent;
    },

    /** Reminds the privacy office that an emergency release still waits for its review. */
    async sendReviewReminder(input: ReviewReminderInput): Promise<SentMail> {
      const sent = await sendOnce(deps, {
        key: `${input.disclosureId}:review-reminder:${input.reminder}`,
        to: deps.mailFrom,
        subject: `事後審査の期限超過 / Review overdue for emergency disclosure ${input.disclosureId}`,
        text: [
          `緊急提供 ${input.disclosureId} の事後審査が期限（${formatForPeople(input.dueAt, 'ja', deps.timeZone)}）を過ぎています。`,
          `The review of emergency disclosure ${input.disclosureId}, released by ${input.approvedBy}, was due at ${formatForPeople(input.dueAt, 'en', deps.timeZone)}.`,
          `Record it with: disclosure review ${input.disclosureId} --as STAFF --outcome upheld|concerns --notes TEXT`,
          `(reminder ${input.reminder})`,
        ].join('\n'),
      });
      log.warn('emergency review overdue', { disclosureId: input.disclosureId, reminder: input.reminder });
      return sent;
    },
  };
}
