import { formatForPeople } from '../domain/dates';
import { FIELD_LABELS } from '../domain/handoff';
import type { NoticeOutcome, NoticePreview } from '../service/notices';
import type { ApiDeps } from './route';

/**
 * The pages a recipient sees from the link in a downstream notice, Japanese first and English
 * below. Opening the link (GET) shows what the notice asks and a confirm button and records
 * nothing, since mail scanners fetch every link; only the form's POST records the confirmation.
 * No page shows a customer's value: the notice's items by name only.
 */
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

const both = (iso: string, deps: ApiDeps): string => `${formatForPeople(iso, 'ja', deps.timeZone)} / ${formatForPeople(iso, 'en', deps.timeZone)}`;

const ASK: Record<string, string> = {
  rectification: '訂正された項目を新しい値に訂正しました。 / We corrected the rectified items to their new values.',
  erasure: '次の項目を削除し、以後利用しません。 / We deleted the items below and will not use them.',
  withdrawal: '次の項目の利用を停止し、削除しました。 / We stopped using the items below and deleted them.',
};

export function noticeConfirmPage(deps: ApiDeps, preview: Extract<NoticePreview, { ok: true }>): string {
  const n = preview.notice;
  const rows = [
    ['通知番号 / Notice', n.noticeId],
    ['通知日時 / Sent', both(n.sentAt, deps)],
    ['回答期限 / Due', n.dueAt === '' ? '' : both(n.dueAt, deps)],
    ['対象の提供 / Disclosures', n.disclosureIds.join(', ')],
    ['受領者 / Recipient', n.recipientName],
  ];
  return page(
    '通知への対応の確認 / Confirm the notice',
    `<p>${escape(ASK[n.cause] ?? n.cause)}</p>` +
      `<dl>${rows.map(([k, v]) => `<dt>${escape(k ?? '')}</dt><dd>${escape(v ?? '')}</dd>`).join('')}</dl>` +
      `<h2>項目 / Items</h2><ul>${n.items.map((i) => `<li>${escape(FIELD_LABELS[i] ?? i)}</li>`).join('')}</ul>` +
      `<form method="post"><button type="submit">対応済みとして確認する / Confirm</button></form>`,
  );
}

const REFUSED_TEXT: Record<string, string> = {
  forged: 'このリンクは有効ではありません。 / This link is not genuine.',
  'wrong-recipient': 'このリンクは有効ではありません。 / This link is not genuine.',
  expired: 'このリンクの有効期限が切れています。 / This link has expired.',
  'already-confirmed': 'この通知は確認済みです。 / This notice was already confirmed.',
  'not-sent': 'この通知は送信されていません。 / This notice was not sent.',
  'unknown-notice': '該当する通知がありません。 / No such notice.',
};

export function noticeRefusedPage(outcome: { reason: string; message: string; confirmedAt?: string | undefined }, deps: ApiDeps): string {
  const when = outcome.confirmedAt !== undefined ? `<p>${escape(both(outcome.confirmedAt, deps))}</p>` : '';
  return page('確認できません / Not confirmed', `<p>${escape(REFUSED_TEXT[outcome.reason] ?? outcome.message)}</p>${when}<p lang="en">${escape(outcome.message)}</p>`);
}

export function noticeConfirmedPage(outcome: Extract<NoticeOutcome, { ok: true }>, deps: ApiDeps): string {
  return page('確認しました / Confirmed', `<p>通知番号 / Notice: ${escape(outcome.noticeId)}</p><p>${escape(both(outcome.confirmedAt, deps))}</p>`);
}
