import type { HandoffView } from '../../service/ack';
import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import { csrfField, layout, notice } from '../layout';
import type { View } from '../view';

export function handoffsPage(v: View, handoffs: HandoffView[]): Html {
  return layout(
    v,
    v.t('handoffs'),
    handoffs.length === 0
      ? html`<p>${v.t('none')}</p>`
      : html`<table>
          <caption class="sr-only">
            ${v.t('handoffs')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${v.t('id')}</th>
              <th scope="col">${v.t('kind')}</th>
              <th scope="col">${v.t('items')}</th>
              <th scope="col">${v.t('deliveredAt')}</th>
              <th scope="col">${v.t('status')}</th>
            </tr>
          </thead>
          <tbody>
            ${handoffs.map(
              (h) =>
                html`<tr>
                  <td><a href="/handoffs/${encodeURIComponent(h.disclosureId)}">${h.disclosureId}</a></td>
                  <td>${h.kind}</td>
                  <td>${h.items.join(', ')}</td>
                  <td>${formatWhen(h.deliveredAt, v.lang, v.timeZone)}</td>
                  <td>
                    ${h.acknowledgedAt !== undefined ? html`<span class="badge ok">${v.t('acknowledged')}</span>` : html`<span class="badge open">${v.t('notAcknowledged')}</span>`}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`,
  );
}

export function handoffPage(v: View, h: HandoffView, message?: { kind: 'ok' | 'error'; text: string }): Html {
  const entrustee = h.kind === 'shipping' || h.kind === 'survey';
  return layout(
    v,
    `${v.t('handoffs')}: ${h.disclosureId}`,
    html`${message !== undefined ? notice(message.kind, message.text) : ''}
      <dl>
        <dt>${v.t('recipient')}</dt>
        <dd>${h.recipientName}</dd>
        <dt>${v.t('items')}</dt>
        <dd>${h.items.join(', ')}</dd>
        <dt>${v.t('deliveredAt')}</dt>
        <dd>${formatWhen(h.deliveredAt, v.lang, v.timeZone)}</dd>
        <dt>${v.t('record')}</dt>
        <dd>${h.recordId}</dd>
        <dt>${v.t('status')}</dt>
        <dd>
          ${h.acknowledgedAt !== undefined ? `${v.t('acknowledged')} · ${formatWhen(h.acknowledgedAt, v.lang, v.timeZone)}` : v.t('notAcknowledged')}
        </dd>
      </dl>
      ${h.acknowledgedAt === undefined ? html`<form method="post" action="/handoffs/${encodeURIComponent(h.disclosureId)}/ack">${csrfField(v)}<button type="submit">${v.t('acknowledge')}</button></form>` : ''}
      ${
        entrustee
          ? html`<form
              method="post"
              action="/handoffs/${encodeURIComponent(h.disclosureId)}/confirm-deletion"
              class="stack"
            >
              ${csrfField(v)}
              <div class="field"><label for="by">${v.t('deletedBy')}</label><input id="by" name="by" required /></div>
              <button type="submit">${v.t('confirmDeletion')}</button>
            </form>`
          : ''
      }`,
  );
}
