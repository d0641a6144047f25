import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { renderCsv } from '../domain/csv';
import { formatDayEndBilingual } from '../domain/dates';
import type { EntrustmentBasis } from '../domain/basis';
import { renderDeletionReminder } from '../domain/entrustment-notice';
import type { DeletionReminder } from '../domain/entrustment-notice';
import type { FieldName } from '../domain/fields';
import { projectSubject } from '../domain/handoff';
import type { Provider } from '../domain/policy';
import type { Contract, RecipientSnapshot, Subject } from '../domain/registry';
import type { Partition } from '../domain/survey';
import { partitionSubjects } from '../domain/survey';
import MailComposer from 'nodemailer/lib/mail-composer';
import { composeBatchHandoff } from './compose-batch';
import type { ActivityDeps } from './deps';
import type { StagedRef } from './handoff';
import { invalidRecipient } from './failures';
import { purposeStatementFor } from './policy';

export interface StageSurveyInput {
  disclosureId: string;
  issuedAt: string;
  /** The survey design, a purpose key under kinds.survey in the policy. */
  purpose: string;
  surveyId: string;
  endsOn: string;
  subjectIds: string[];
  fields: FieldName[];
  provider: Provider;
  recipient: RecipientSnapshot;
  basis: EntrustmentBasis;
}

export interface DeletionNoticeInput extends DeletionReminder {
  recipientEmail: string;
}

const HEARTBEAT_EVERY = 5_000;

/** Entrustment steps: contract lookup, survey batch checks and staging, deletion reminders. */
export function createEntrustmentActivities(deps: ActivityDeps) {
  const { store, mailer, log } = deps;

  async function loadSubjects(ids: readonly string[]): Promise<Map<string, Subject>> {
    const found = new Map<string, Subject>();
    for (let i = 0; i < ids.length; i += HEARTBEAT_EVERY) {
      if (i > 0) heartbeat(i);
      for (const [id, s] of await store.getSubjects(ids.slice(i, i + HEARTBEAT_EVERY))) found.set(id, s);
    }
    return found;
  }

  return {
    /** The contract holds no customer data, so the workflow may see it and decide on it. */
    async loadContract(recipientId: string): Promise<Contract | undefined> {
      const recipient = await store.getRecipient(recipientId);
      if (recipient === undefined) throw invalidRecipient(`no recipient ${recipientId}`);
      return recipient.contract;
    },

    /** Checks one slice of a survey batch; returns ids only, the data stays in the database. */
    async checkSurveyChunk(input: { subjectIds: string[]; fields: FieldName[] }): Promise<Partition> {
      const subjects = await loadSubjects(input.subjectIds);
      return partitionSubjects(input.subjectIds, (id) => subjects.get(id), input.fields);
    },

    /**
     * Renders the whole batch as one CSV and stages the message in the outbox, once: a retry
     * finds the staged message and returns its digest, so the digest always matches what is sent.
     */
    async stageSurveyHandoff(input: StageSurveyInput): Promise<StagedRef & { rowCount: number }> {
      const existing = await store.getHandoff(input.disclosureId);
      if (existing !== undefined) {
        return { messageId: existing.messageId, payloadDigest: existing.payloadDigest, rowCount: input.subjectIds.length };
      }
      const subjects = await loadSubjects(input.subjectIds);
      const rows: string[][] = [];
      for (const id of input.subjectIds) {
        const subject = subjects.get(id);
        const projected = subject === undefined ? undefined : projectSubject(subject, input.fields);
        if (projected === undefined || !projected.ok) {
          throw ApplicationFailure.create({
            message: `customer ${id} changed after the batch was checked and lacks the survey's fields`,
            type: 'SubjectDataMissing',
            nonRetryable: true,
          });
        }
        rows.push(input.fields.map((f) => projected.data[f] ?? ''));
      }
      const csv = Buffer.from(renderCsv(input.fields, rows), 'utf8');
      const composed = await composeBatchHandoff(
        {
          disclosureId: input.disclosureId,
          issuedAt: input.issuedAt,
          purpose: input.purpose,
          purposeStatement: await purposeStatementFor(deps.policyPath, 'survey', input.purpose),
          provider: input.provider,
          recipient: input.recipient,
          basis: input.basis,
          items: input.fields,
          rowCount: rows.length,
          attachment: `survey-${input.surveyId}-${input.disclosureId}.csv`,
          // The survey runs through the end of its last day in the zone (domain/deletion.ts, surveyPurposeEnd).
          details: { '調査 / Survey': input.surveyId, '調査終了日 / Survey ends': formatDayEndBilingual(input.endsOn, deps.timeZone) },
        },
        csv,
        { from: deps.mailFrom, to: input.recipient.email, subject: `調査対象者データ / Survey ${input.surveyId} (${input.disclosureId})`, timeZone: deps.timeZone },
      );
      const staged = await store.stageHandoff({ disclosureId: input.disclosureId, from: deps.mailFrom, to: input.recipient.email, ...composed });
      log.info('survey batch staged', { disclosureId: input.disclosureId, rows: rows.length, items: input.fields.join(',') });
      return { messageId: staged.messageId, payloadDigest: staged.payloadDigest, rowCount: rows.length };
    },

    /**
     * A deletion reminder to the entrustee, or an escalation to the privacy office (the address
     * handoffs are sent from). At least once: a retry after a lost reply may repeat a reminder.
     */
    async sendDeletionNotice(input: DeletionNoticeInput): Promise<{ messageId: string }> {
      const kind = input.escalation ? 'escalation' : 'reminder';
      const to = input.escalation ? deps.mailFrom : input.recipientEmail;
      const messageId = `<${input.disclosureId}.deletion-${kind}-${input.reminderNo}@disclosure.engine>`;
      const raw = await new MailComposer({
        from: deps.mailFrom,
        to,
        subject: input.escalation
          ? `削除確認の遅延 / Deletion confirmation overdue: ${input.disclosureId}`
          : `削除確認のお願い / Please confirm deletion: ${input.disclosureId}`,
        messageId,
        text: renderDeletionReminder(input, deps.timeZone),
        headers: { 'X-Disclosure-Id': input.disclosureId },
      })
        .compile()
        .build();
      await mailer.send({ from: deps.mailFrom, to, raw });
      log.info(`deletion ${kind} sent`, { disclosureId: input.disclosureId, reminderNo: input.reminderNo });
      return { messageId };
    },
  };
}
