import type { SubjectReport } from '../../service/reports';
import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import { layout } from '../layout';
import type { View } from '../view';

export const REPORT_REGIMES = ['appi', 'hipaa', 'gdpr'] as const;
export type ReportRegime = (typeof REPORT_REGIMES)[number];

function form(v: View, customer: string, regime: ReportRegime): Html {
  return html`<form method="get" action="/report" class="filters no-print" aria-label="${v.t('reportFor')}">
    <div class="field">
      <label for="customer">${v.t('customer')}</label
      ><input id="customer" name="customer" value="${customer}" required />
    </div>
    <div class="field">
      <label for="regime">${v.t('regime')}</label
      ><select id="regime" name="regime">
        ${REPORT_REGIMES.map((r) => html`<option value="${r}" ${r === regime ? html` selected` : ''}>${r.toUpperCase()}</option>`)}
      </select>
    </div>
    <button type="submit">${v.t('show')}</button>
  </form>`;
}

const head = (cols: string[]): Html =>
  html`<thead>
    <tr>
      ${cols.map((c) => html`<th scope="col">${c}</th>`)}
    </tr>
  </thead>`;

/** One regime's view of a customer's report, as a table; also on the customer's page. */
export function reportBody(v: View, r: SubjectReport, regime: ReportRegime): Html {
  const when = (iso: string) => formatWhen(iso, v.lang, v.timeZone);
  if (regime === 'appi' && r.appi !== undefined) {
    return html`<table>
        <caption>
          APPI 第33条第5項 / Art. 33(5)
        </caption>
        ${head([v.t('date'), v.t('recipient'), v.t('address'), v.t('items'), v.t('basis')])}
        <tbody>
          ${r.appi.entries.map(
            (e) =>
              html`<tr>
                <td>${when(e.date)}</td>
                <td>
                  ${e.recipient.name}${e.recipient.representative !== undefined ? html`<br />${e.recipient.representative}` : ''}
                </td>
                <td>${e.recipient.address}</td>
                <td>${e.items.join(', ')}</td>
                <td>${e.basis}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p>${v.t('entrustmentsNotListed')}: ${r.appi.entrustmentsNotListed}</p>`;
  }
  if (regime === 'hipaa' && r.hipaa !== undefined) {
    return html`<table>
      <caption>
        HIPAA 45 CFR 164.528 (${r.hipaa.since} –)
      </caption>
      ${head([v.t('date'), v.t('recipient'), v.t('address'), v.t('description'), v.t('purpose')])}
      <tbody>
        ${r.hipaa.entries.map(
          (e) =>
            html`<tr>
              <td>${e.type === 'single' ? when(e.date) : `${when(e.first)} – ${when(e.last)} (${e.frequency})`}</td>
              <td>${e.recipient.name}</td>
              <td>${e.recipient.address}</td>
              <td>${e.description.join(', ')}</td>
              <td>${e.purpose}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
  if (regime === 'gdpr' && r.gdpr !== undefined) {
    return html`<table>
        <caption>
          GDPR Art. 15(1)(c)
        </caption>
        ${head([v.t('recipient'), v.t('address'), 'role', v.t('items'), v.t('date')])}
        <tbody>
          ${r.gdpr.recipients.map(
            (e) =>
              html`<tr>
                <td>${e.name}</td>
                <td>${e.address}</td>
                <td>${e.role} · ${e.category}</td>
                <td>${e.items.join(', ')}</td>
                <td>${when(e.first)} – ${when(e.last)} (${e.count})</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p>${v.t('categories')}: ${r.gdpr.categories.join(', ')}</p>`;
  }
  return html`<p>${v.t('none')}</p>`;
}

export function reportPage(
  v: View,
  customer: string,
  regime: ReportRegime,
  report: SubjectReport | undefined,
  error?: string,
): Html {
  return layout(
    v,
    v.t('reportFor'),
    html`${form(v, customer, regime)}${error !== undefined ? html`<div class="notice error" role="alert">${error}</div>` : ''}
    ${
      report !== undefined
        ? html`<section class="report" aria-label="${regime.toUpperCase()}">
            <p>${v.t('customer')}: ${report.subjectId} · ${when(v, report.generatedAt)}</p>
            ${reportBody(v, report, regime)}
          </section>`
        : ''
    }`,
  );
}

const when = (v: View, iso: string): string => formatWhen(iso, v.lang, v.timeZone);
