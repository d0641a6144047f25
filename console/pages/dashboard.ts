import { DISCLOSURE_OUTCOMES } from '../../store/disclosure-page';
import type { DisclosureSummary } from '../../store/disclosure-page';
import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import { layout } from '../layout';
import type { View } from '../view';

export const KINDS = ['dealer-catalog', 'survey', 'shipping', 'legal'] as const;

export interface DashboardQuery {
  kind?: string | undefined;
  status?: string | undefined;
  recipient?: string | undefined;
  customer?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const opt = (value: string, label: string, current: string | undefined): Html =>
  html`<option value="${value}" ${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;

function filters(v: View, q: DashboardQuery): Html {
  return html`<form method="get" action="/" class="filters" aria-label="${v.t('filter')}">
    <div class="field">
      <label for="kind">${v.t('kind')}</label
      ><select id="kind" name="kind">
        ${opt('', v.t('any'), q.kind)}${KINDS.map((k) => opt(k, k, q.kind))}
      </select>
    </div>
    <div class="field">
      <label for="status">${v.t('status')}</label
      ><select id="status" name="status">
        ${opt('', v.t('any'), q.status)}${DISCLOSURE_OUTCOMES.map((s) => opt(s, s, q.status))}
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
    <div class="field">
      <label for="from">${v.t('from')}</label><input id="from" name="from" type="date" value="${q.from ?? ''}" />
    </div>
    <div class="field">
      <label for="to">${v.t('to')}</label><input id="to" name="to" type="date" value="${q.to ?? ''}" />
    </div>
    <button type="submit">${v.t('apply')}</button>
  </form>`;
}

const row = (v: View, d: DisclosureSummary): Html =>
  html`<tr>
    <td><a href="/disclosures/${encodeURIComponent(d.id)}">${d.id}</a></td>
    <td>${d.kind}</td>
    <td>
      <span class="badge ${d.outcome}">${d.outcome}</span
      >${d.acknowledged ? html` <span class="badge ok">${v.t('acknowledged')}</span>` : ''}
    </td>
    <td>${d.recipientId}</td>
    <td>
      ${d.subjectIds.length > 3 ? `${d.subjectIds.slice(0, 3).join(', ')} …(${d.subjectIds.length})` : d.subjectIds.join(', ')}
    </td>
    <td>${formatWhen(d.createdAt, v.lang, v.timeZone)}</td>
    <td>${d.requestedBy}</td>
  </tr>`;

export function dashboardPage(
  v: View,
  q: DashboardQuery,
  rows: DisclosureSummary[],
  links: { first?: string | undefined; next?: string | undefined },
  errors: string[],
): Html {
  const table =
    rows.length === 0
      ? html`<p>${v.t('none')}</p>`
      : html`<table>
          <caption class="sr-only">
            ${v.t('navDashboard')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${v.t('id')}</th>
              <th scope="col">${v.t('kind')}</th>
              <th scope="col">${v.t('status')}</th>
              <th scope="col">${v.t('recipient')}</th>
              <th scope="col">${v.t('customer')}</th>
              <th scope="col">${v.t('requestedAt')}</th>
              <th scope="col">${v.t('requestedBy')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((d) => row(v, d))}
          </tbody>
        </table>`;
  return layout(
    v,
    v.t('navDashboard'),
    html`${filters(v, q)}${errors.length > 0 ? html`<div class="notice error" role="alert">${errors.join(' / ')}</div>` : ''}${table}
      <nav class="pager" aria-label="pages">
        ${links.first !== undefined ? html`<a href="${links.first}">${v.t('first')}</a>` : ''}${links.next !== undefined ? html` <a href="${links.next}" rel="next">${v.t('next')}</a>` : ''}
      </nav>`,
  );
}
