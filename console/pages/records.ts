import type { DisclosureRecord } from '../../domain/record';
import type { Html } from '../html';
import { html } from '../html';
import { layout } from '../layout';
import type { View } from '../view';
import { KINDS } from './dashboard';
import { recordTable } from './record-table';

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
          : recordTable(v, v.t('navRecords'), records)
      }
      <nav class="pager" aria-label="pages">
        ${links.first !== undefined ? html`<a href="${links.first}">${v.t('first')}</a>` : ''}${links.next !== undefined ? html` <a href="${links.next}" rel="next">${v.t('next')}</a>` : ''}
      </nav>`,
  );
}
