import type { DisclosureRecord } from '../../domain/record';
import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import { layout } from '../layout';
import type { View } from '../view';
import { KINDS } from './dashboard';

export interface RecordQuery {
  kind?: string | undefined;
  recipient?: string | undefined;
  customer?: string | undefined;
}

const opt = (value: string, label: string, current: string | undefined): Html =>
  html`<option value="${value}" ${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;

export function recordsPage(
  v: View,
  q: RecordQuery,
  records: DisclosureRecord[],
  csvHref: string,
  errors: string[],
  links: { first?: string | undefined; next?: string | undefined } = {},
): Html {
  return layout(
    v,
    v.t('navRecords'),
    html`<form method="get" action="/records" class="filters" aria-label="${v.t('filter')}">
        <div class="field">
          <label for="kind">${v.t('kind')}</label
          ><select id="kind" name="kind">
            ${opt('', v.t('any'), q.kind)}${KINDS.map((k) => opt(k, k, q.kind))}
          </select>
        </div>
        <div class="field">
          <label for="recipient">${v.t('recipient')}</label
          ><input id="recipient" name="recipient" value="${q.recipient ?? ''}" />
        </div>
        <div class="field">
          <label for="customer">${v.t('customer')}</label
          ><input id="customer" name="customer" value="${q.customer ?? ''}" />
        </div>
        <button type="submit">${v.t('apply')}</button>
      </form>
      ${errors.length > 0 ? html`<div class="notice error" role="alert">${errors.join(' / ')}</div>` : ''}
      <p><a href="${csvHref}" download>${v.t('downloadCsv')}</a></p>
      ${
        records.length === 0
          ? html`<p>${v.t('none')}</p>`
          : html`<table>
              <caption class="sr-only">
                ${v.t('navRecords')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${v.t('record')}</th>
                  <th scope="col">${v.t('id')}</th>
                  <th scope="col">type</th>
                  <th scope="col">${v.t('outcome')}</th>
                  <th scope="col">${v.t('recipient')}</th>
                  <th scope="col">${v.t('items')}</th>
                  <th scope="col">${v.t('date')}</th>
                </tr>
              </thead>
              <tbody>
                ${records.map(
                  (r) =>
                    html`<tr>
                      <td>${r.recordId}</td>
                      <td><a href="/disclosures/${encodeURIComponent(r.disclosureId)}">${r.disclosureId}</a></td>
                      <td>${r.entryType}</td>
                      <td><span class="badge ${r.outcome}">${r.outcome}</span></td>
                      <td>${r.recipient.name}</td>
                      <td>${r.items.join(', ')}</td>
                      <td>${formatWhen(r.occurredAt, v.lang, v.timeZone)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      <nav class="pager" aria-label="pages">
        ${links.first !== undefined ? html`<a href="${links.first}">${v.t('first')}</a>` : ''}${links.next !== undefined ? html` <a href="${links.next}" rel="next">${v.t('next')}</a>` : ''}
      </nav>`,
  );
}
