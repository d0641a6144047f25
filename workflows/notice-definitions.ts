import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/actor';
import type { FieldName } from '../domain/field-names';
import type { NoticeCause, NoticeTiming, PlannedNotice } from '../domain/notices';
import type { Refusal } from '../domain/refusals';

export interface NotifyRecipientsInput {
  batchId: string;
  subjectId: string;
  cause: NoticeCause;
  requestedBy: string;
  /** Who rectified, erased or withdrew: named in every entry of the notices. */
  actor?: Actor | undefined;
  notices: PlannedNotice[];
  timing: NoticeTiming;
}

/** Where one recipient's notice stands. */
export interface NoticeState {
  noticeId: string;
  recipientId: string;
  items: FieldName[];
  status: 'pending' | 'sent' | 'confirmed' | 'failed';
  dueAt: string;
  sentAt?: string | undefined;
  reminders: number;
  escalated: boolean;
  confirmedAt?: string | undefined;
  /** The ledger entry of the confirmation, once recorded. */
  recordId?: string | undefined;
  reason?: Refusal | undefined;
}

/** How a recipient confirmed: the link in the notice, or the API with its own token; `at` is when the engine took it. */
export interface NoticeConfirmation {
  noticeId: string;
  via: 'link' | 'api';
  at: string;
}

export const noticesQuery = defineQuery<NoticeState[]>('notices');

/** An update, so the caller learns at once whether it was taken and gets the entry written for it. */
export const noticeConfirmedUpdate = defineUpdate<NoticeState, [NoticeConfirmation]>('noticeConfirmed');

export const notifyWorkflowId = (batchId: string): string => `notify-${batchId}`;
