import type { DisclosureRecord } from '../../domain/record';
import type { TimelineEntry } from '../../service/audit-show';
import type { DisclosureEntry } from '../../store/store';
import type { StatusView } from '../../workflows/definitions';
import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import { layout } from '../layout';
import type { View } from '../view';

const dl = (pairs: [string, Html | string | undefined][]): Html =>
  html`<dl>
    ${pairs
      .filter((p) => p[1] !== undefined && p[1] !== '')
      .map(
        ([k, val]) =>
          html`<dt>${k}</dt>
            <dd>${val}</dd>`,
      )}
  </dl>`;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The basis as `key: value` pairs, nested ones in parentheses, instants as local time. */
function valueText(v: View, value: unknown): string {
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? formatWhen(value, v.lang, v.timeZone) : value;
  if (Array.isArray(value)) return value.map((x) => valueText(v, x)).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, x]) => `${k}: ${valueText(v, x)}`)
      .join(' · ');
  }
  return String(value);
}

const basisText = (v: View, r: DisclosureRecord): string => (r.basis === undefined ? '—' : valueText(v, r.basis));

function recordSection(v: View, r: DisclosureRecord): Html {
  return html`<section class="card" aria-labelledby="rec-${r.recordId}">
    <h3 id="rec-${r.recordId}">${v.t('record')} ${r.recordId} (${r.entryType})</h3>
    ${dl([
      [v.t('outcome'), html`<span class="badge ${r.outcome}">${r.outcome}</span>`],
      [v.t('date'), formatWhen(r.occurredAt, v.lang, v.timeZone)],
      [v.t('recipient'), `${r.recipient.name} (${r.recipient.id})`],
      [v.t('requestedItems'), r.requestedItems?.join(', ')],
      [v.t('items'), r.items.length > 0 ? r.items.join(', ') : '—'],
      [v.t('basis'), basisText(v, r)],
      [v.t('purpose'), r.purpose],
      [v.t('requestedBy'), r.requestedBy],
      ['approvedBy', r.approvedBy?.join(', ')],
      [v.t('reason'), r.refusal !== undefined ? `${r.refusal.code}: ${r.refusal.message}` : undefined],
      ['seq', String(r.seq)],
      [v.t('hash'), html`<code>${r.hash}</code>`],
      ['prevHash', html`<code>${r.prevHash}</code>`],
      ['payloadDigest', r.payloadDigest !== undefined ? html`<code>${r.payloadDigest}</code>` : undefined],
    ])}
  </section>`;
}

function followUp(v: View, status: StatusView | undefined, records: DisclosureRecord[]): Html {
  const ack = records.find((r) => r.entryType === 'acknowledgement');
  const deletion = records.find((r) => r.entryType === 'deletion-confirmation');
  const notice = records.find((r) => r.entryType === 'notice');
  return dl([
    [v.t('status'), status !== undefined ? `${status.status} (${status.step})` : undefined],
    [v.t('acknowledged'), ack !== undefined ? formatWhen(ack.occurredAt, v.lang, v.timeZone) : v.t('notAcknowledged')],
    [
      v.t('deletion'),
      deletion !== undefined
        ? formatWhen(deletion.occurredAt, v.lang, v.timeZone)
        : status?.deletion !== undefined
          ? JSON.stringify(status.deletion)
          : '—',
    ],
    ['notice', notice !== undefined ? formatWhen(notice.occurredAt, v.lang, v.timeZone) : undefined],
  ]);
}

export function disclosurePage(
  v: View,
  entry: DisclosureEntry,
  status: StatusView | undefined,
  shown: { records: DisclosureRecord[]; timeline: TimelineEntry[] },
): Html {
  return layout(
    v,
    `${v.t('id')} ${entry.id}`,
    html`${dl([
      [v.t('kind'), entry.kind],
      [v.t('recipient'), entry.recipientId],
      [v.t('customer'), entry.subjectIds.join(', ')],
      [v.t('requestedBy'), entry.requestedBy],
      [v.t('requestedAt'), formatWhen(entry.createdAt, v.lang, v.timeZone)],
    ])}
      <h2>${v.t('followUp')}</h2>
      ${followUp(v, status, shown.records)}
      <h2>${v.t('timeline')}</h2>
      <ol class="timeline">
        ${shown.timeline.map((e) => html`<li><time datetime="${e.at ?? ''}">${formatWhen(e.at, v.lang, v.timeZone)}</time> <span class="badge">${e.stage}</span> ${e.what}</li>`)}
      </ol>
      <h2>${v.t('record')}</h2>
      ${shown.records.length === 0 ? html`<p>${v.t('none')}</p>` : shown.records.map((r) => recordSection(v, r))}`,
  );
}
