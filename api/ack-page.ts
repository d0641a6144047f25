import { readPolicy } from '../activities/policy';
import { formatForPeople } from '../domain/dates';
import { FIELD_LABELS } from '../domain/handoff';
import type { AckOutcome, AckPreview } from '../service/ack';
import type { ApiDeps } from './route';

/**
 * The pages a recipient sees from the link in a handoff, Japanese first and English below.
 * Opening the link (GET) only shows what was received and a confirm button: mail scanners fetch
 * every link, so only the form's POST records the acknowledgement.
 */
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

async function providerName(deps: ApiDeps): Promise<string | undefined> {
  if (deps.policyPath === undefined) return undefined;
  return (await readPolicy(deps.policyPath)).policy.provider.name;
}

export async function confirmPage(deps: ApiDeps, preview: Extract<AckPreview, { ok: true }>): Promise<string> {
  const h = preview.handoff;
  const zone = deps.timeZone;
  const provider = await providerName(deps);
  const items = h.items.map((i) => `<li>${escape(FIELD_LABELS[i] ?? i)}</li>`).join('');
  const rows = [
    ['提供番号 / Disclosure', h.disclosureId],
    ['提供日時 / Date', `${formatForPeople(h.deliveredAt, 'ja', zone)} / ${formatForPeople(h.deliveredAt, 'en', zone)}`],
    ...(provider !== undefined ? [['提供元 / Provider', provider]] : []),
    ['受領者 / Recipient', h.recipientName],
  ];
  return page(
    '受領の確認 / Confirm receipt',
    `<p>次の個人データの提供を受領したことを確認してください。</p><p lang="en">Please confirm that you received the following personal data.</p>` +
      `<dl>${rows.map(([k, v]) => `<dt>${escape(k ?? '')}</dt><dd>${escape(v ?? '')}</dd>`).join('')}</dl>` +
      `<h2>提供された項目 / Items</h2><ul>${items}</ul>` +
      `<form method="post"><button type="submit">受領を確認する / Confirm receipt</button></form>`,
  );
}

const REFUSED_TEXT: Record<string, string> = {
  forged: 'このリンクは有効ではありません。 / This link is not genuine.',
  expired: 'このリンクの有効期限が切れています。 / This link has expired.',
  'wrong-recipient': 'このリンクは有効ではありません。 / This link is not genuine.',
  'already-acknowledged': '受領は確認済みです。 / Receipt was already acknowledged.',
  'not-delivered': 'この提供はまだ届いていません。 / This disclosure has not been delivered.',
  'unknown-disclosure': '該当する提供がありません。 / No such disclosure.',
};

export function refusedPage(outcome: { reason: string; message: string }, deps: ApiDeps, acknowledgedAt?: string): string {
  const when = acknowledgedAt !== undefined ? `<p>${escape(formatForPeople(acknowledgedAt, 'ja', deps.timeZone))} / ${escape(formatForPeople(acknowledgedAt, 'en', deps.timeZone))}</p>` : '';
  return page('受領確認できません / Not acknowledged', `<p>${escape(REFUSED_TEXT[outcome.reason] ?? outcome.message)}</p>${when}<p lang="en">${escape(outcome.message)}</p>`);
}

export function acknowledgedPage(outcome: Extract<AckOutcome, { ok: true }>, deps: ApiDeps): string {
  return page(
    '受領を確認しました / Receipt acknowledged',
    `<p>提供番号 / Disclosure: ${escape(outcome.disclosureId)}</p><p>${escape(formatForPeople(outcome.acknowledgedAt, 'ja', deps.timeZone))} / ${escape(formatForPeople(outcome.acknowledgedAt, 'en', deps.timeZone))}</p>`,
  );
}
