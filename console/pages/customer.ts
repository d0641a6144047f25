import type { DisclosureRecord } from '../../domain/record';
import type { Consent, Subject } from '../../domain/registry';
import { ConsentChannel } from '../../domain/registry';
import type { SubjectReport } from '../../service/reports';
import { formatWhen } from '../dates';
import type { Errors } from '../forms';
import { selectField, textField } from '../forms';
import type { Html } from '../html';
import { html } from '../html';
import { csrfField, layout, notice } from '../layout';
import type { View } from '../view';
import { mayUse } from '../view';
import { recordTable } from './record-table';
import type { ReportRegime } from './report';
import { REPORT_REGIMES, reportBody } from './report';

export interface CustomerView {
  id: string;
  subject?: Subject | undefined;
  consents: Consent[];
  /** The newest records about the customer; `more` when there are older ones. */
  records: DisclosureRecord[];
  more: boolean;
  regime: ReportRegime;
  report?: SubjectReport | undefined;
}

export interface CustomerMessage {
  kind: 'ok' | 'error';
  text: string;
  errors?: Errors | undefined;
  values?: Record<string, string | undefined> | undefined;
}

const base = (id: string): string => `/customers/${encodeURIComponent(id)}`;

export function findCustomerPage(v: View, id: string, error?: string): Html {
  return layout(
    v,
    v.t('findCustomer'),
    html`${error !== undefined ? notice('error', error) : ''}
      <form method="get" action="/customers" class="filters">
        <div class="field">
          <label for="customer">${v.t('customer')}</label><input id="customer" name="customer" value="${id}" required />
        </div>
        <button type="submit">${v.t('show')}</button>
      </form>`,
  );
}

function consentRow(v: View, c: Consent, id: string, writes: boolean): Html {
  return html`<tr>
    <td>${c.id}</td>
    <td>${c.recipientId}</td>
    <td>${c.purpose}</td>
    <td>${c.noticeVersion}</td>
    <td>${c.channel}</td>
    <td>${formatWhen(c.grantedAt, v.lang, v.timeZone)}</td>
    <td>
      ${c.withdrawnAt !== undefined ? html`<span class="badge refused">${v.t('withdrawn')}</span> ${formatWhen(c.withdrawnAt, v.lang, v.timeZone)}` : html`<span class="badge ok">${v.t('active')}</span>`}
    </td>
    ${
      writes
        ? html`<td>
          ${
            c.withdrawnAt === undefined
              ? html`<form method="post" action="${base(id)}/consents/${encodeURIComponent(c.id)}/withdraw">
                ${csrfField(v)}<button type="submit" class="secondary" aria-label="${v.t('withdraw')} ${c.id}">
                  ${v.t('withdraw')}
                </button>
              </form>`
              : ''
          }
        </td>`
        : ''
    }
  </tr>`;
}

function consents(v: View, c: CustomerView, message: CustomerMessage | undefined): Html {
  const writes = mayUse(v.principal?.role, 'consents');
  const errors = message?.errors ?? {};
  const values = message?.values ?? {};
  return html`<section class="no-print" aria-labelledby="consents-h">
    <h2 id="consents-h">${v.t('consents')}</h2>
    ${message !== undefined ? notice(message.kind, message.text) : ''}
    ${
      c.consents.length === 0
        ? html`<p>${v.t('none')}</p>`
        : html`<table>
          <caption class="sr-only">
            ${v.t('consents')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${v.t('consent')}</th>
              <th scope="col">${v.t('recipient')}</th>
              <th scope="col">${v.t('purpose')}</th>
              <th scope="col">${v.t('noticeVersion')}</th>
              <th scope="col">${v.t('channel')}</th>
              <th scope="col">${v.t('grantedAt')}</th>
              <th scope="col">${v.t('status')}</th>
              ${writes ? html`<th scope="col"><span class="sr-only">${v.t('withdraw')}</span></th>` : ''}
            </tr>
          </thead>
          <tbody>
            ${c.consents.map((x) => consentRow(v, x, c.id, writes))}
          </tbody>
        </table>`
    }
    ${
      writes
        ? html`<form method="post" action="${base(c.id)}/consents" class="stack" aria-labelledby="grant-h" novalidate>
          <h3 id="grant-h">${v.t('grantConsent')}</h3>
          ${csrfField(v)}
          ${textField({ errors, required: true, name: 'recipient', label: v.t('recipient'), value: values.recipient })}
          ${textField({ errors, required: true, name: 'purpose', label: v.t('purpose'), value: values.purpose })}
          ${textField({ errors, required: true, name: 'noticeVersion', label: v.t('noticeVersion'), value: values.noticeVersion })}
          ${selectField({
            errors,
            name: 'channel',
            label: v.t('channel'),
            value: values.channel ?? 'web-form',
            options: ConsentChannel.options.map((o) => ({ value: o, label: o })),
          })}
          <button type="submit">${v.t('grantConsent')}</button>
        </form>`
        : ''
    }
  </section>`;
}

function records(v: View, c: CustomerView): Html {
  return html`<section class="no-print" aria-labelledby="records-h">
    <h2 id="records-h">${v.t('recordsAbout')}</h2>
    ${
      c.records.length === 0
        ? html`<p>${v.t('none')}</p>`
        : recordTable(v, v.t('recordsAbout'), c.records)
    }
    ${
      c.more || c.records.length > 0
        ? html`<p><a href="/records?customer=${encodeURIComponent(c.id)}">${v.t('allRecords')}</a></p>`
        : ''
    }
  </section>`;
}

function reports(v: View, c: CustomerView): Html {
  return html`<section class="report" aria-labelledby="report-h">
    <h2 id="report-h">${v.t('reports')}: ${c.regime.toUpperCase()}</h2>
    <nav class="no-print tabs" aria-label="${v.t('regime')}">
      <ul>
        ${REPORT_REGIMES.map(
          (r) =>
            html`<li>
              <a href="${base(c.id)}?regime=${r}#report-h" ${r === c.regime ? html` aria-current="page"` : ''}>${r.toUpperCase()}</a>
            </li>`,
        )}
      </ul>
    </nav>
    ${
      c.report !== undefined
        ? html`<p>${v.t('customer')}: ${c.report.subjectId} · ${formatWhen(c.report.generatedAt, v.lang, v.timeZone)}</p>
          ${reportBody(v, c.report, c.regime)}`
        : html`<p>${v.t('none')}</p>`
    }
    ${
      c.subject !== undefined
        ? html`<p class="no-print"><a href="${base(c.id)}/answer-letter.pdf" download>${v.t('answerLetter')}</a></p>`
        : ''
    }
  </section>`;
}

/** A customer's consents, the records about them and their report in one regime's view (the report alone prints). */
export function customerPage(v: View, c: CustomerView, message?: CustomerMessage): Html {
  return layout(
    v,
    `${v.t('customerPage')} ${c.id}`,
    html`${
      c.subject !== undefined
        ? html`<dl class="no-print">
            <dt>${v.t('name')}</dt>
            <dd>${c.subject.name}</dd>
          </dl>`
        : ''
    }
      ${consents(v, c, message)} ${records(v, c)} ${reports(v, c)}`,
  );
}
