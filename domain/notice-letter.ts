import { DEFAULT_TIME_ZONE, formatBilingual, formatForPeople } from './dates';
import type { FieldName } from './field-names';
import { FIELD_LABELS } from './handoff';
import type { NoticeCause } from './notices';

/**
 * The text of a downstream notice and of its reminders, Japanese first and English after each
 * line. Only a rectification carries values (the new ones, of the changed items the recipient
 * holds); erasure and withdrawal name the items only, and reminders carry no customer data.
 */
export interface NoticeLetter {
  noticeId: string;
  subjectId: string;
  recipientName: string;
  providerName: string;
  cause: NoticeCause;
  items: FieldName[];
  disclosureIds: string[];
  dueAt: string;
  /** Rectification only: the new value of each item, or undefined where the item was removed. */
  values?: Partial<Record<FieldName, string>> | undefined;
  confirmUrl?: string | undefined;
}

const SUBJECT: Record<NoticeCause['type'], string> = {
  rectification: '個人データの訂正のお知らせ / Rectification of personal data',
  erasure: '個人データの削除のお願い / Request to erase personal data',
  withdrawal: '同意撤回に伴う利用停止・削除のお願い / Consent withdrawn: please stop using and delete',
};

export const noticeSubject = (n: Pick<NoticeLetter, 'cause' | 'noticeId'>): string => `${SUBJECT[n.cause.type]} (${n.noticeId})`;

function request(n: NoticeLetter): string[] {
  switch (n.cause.type) {
    case 'rectification':
      return [
        '当社が貴社に提供したお客様の個人データが訂正されました。保有されている次の項目を、下記の値に訂正してください（値のない項目は削除してください）。',
        'Personal data we provided to you has been rectified. Please correct the items below to these values (delete an item shown as removed).',
      ];
    case 'erasure':
      return [
        'お客様のご請求により、当社はお客様の個人データを消去しました。当社が提供した次の項目を削除し、以後利用しないでください。',
        "At the customer's request we erased their personal data. Please delete the items below that we provided to you, and stop using them.",
      ];
    case 'withdrawal':
      return [
        `お客様が同意（${n.cause.consentId}）を撤回されました。この同意に基づき提供した次の項目の利用を停止し、削除してください。`,
        `The customer withdrew consent ${n.cause.consentId}, under which we provided the items below. Please stop using them and delete them.`,
      ];
  }
}

function itemLines(n: NoticeLetter): string[] {
  if (n.cause.type !== 'rectification') return n.items.map((i) => `- ${FIELD_LABELS[i]}`);
  return n.items.map((i) => `- ${FIELD_LABELS[i]}: ${n.values?.[i] ?? '（削除されました / removed）'}`);
}

const confirmLines = (url: string | undefined): string[] =>
  url === undefined
    ? []
    : ['', '対応が済みましたら、次のリンクを開き、確認ボタンを押してください。', 'Once done, open this link and press the confirm button:', url];

export function renderNotice(n: NoticeLetter, timeZone = DEFAULT_TIME_ZONE): string {
  return [
    `${n.recipientName} 御中`,
    '',
    ...request(n),
    '',
    `通知番号 / Notice: ${n.noticeId}`,
    `お客様番号 / Customer: ${n.subjectId}`,
    `対象の提供 / Disclosures: ${n.disclosureIds.join(', ')}`,
    `回答期限 / Please confirm by: ${formatBilingual(n.dueAt, timeZone)}`,
    '',
    n.cause.type === 'rectification' ? '■ 訂正後の値 / New values' : '■ 項目 / Items',
    ...itemLines(n),
    ...confirmLines(n.confirmUrl),
    '',
    n.providerName,
  ].join('\n');
}

export interface NoticeReminderLetter {
  noticeId: string;
  recipientName: string;
  cause: NoticeCause['type'];
  disclosureIds: string[];
  dueAt: string;
  reminderNo: number;
  escalation: boolean;
  confirmUrl?: string | undefined;
}

export function renderNoticeReminder(r: NoticeReminderLetter, timeZone = DEFAULT_TIME_ZONE): string {
  const ja = formatForPeople(r.dueAt, 'ja', timeZone);
  const en = formatForPeople(r.dueAt, 'en', timeZone);
  const head = r.escalation
    ? [
        `${r.recipientName} は通知 ${r.noticeId}（${r.cause}）への対応を期限（${ja}）までに確認していません。`,
        `${r.recipientName} has not confirmed notice ${r.noticeId} (${r.cause}), due ${en}.`,
      ]
    : [
        `${r.recipientName} 御中`,
        '',
        `通知 ${r.noticeId} への対応の確認が期限（${ja}）を過ぎています。対応のうえ確認してください。`,
        `Notice ${r.noticeId} was due for confirmation at ${en}. Please act on it and confirm.`,
      ];
  return [...head, `対象の提供 / Disclosures: ${r.disclosureIds.join(', ')}`, ...confirmLines(r.escalation ? undefined : r.confirmUrl), `(reminder ${r.reminderNo})`].join('\n');
}
