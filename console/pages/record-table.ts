import type { DisclosureRecord } from '../../domain/record';
import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import type { View } from '../view';

/** Ledger records as one table, the same on the records page and a customer's page. */
export function recordTable(v: View, caption: string, records: readonly DisclosureRecord[]): Html {
  return html`<table>
    <caption class="sr-only">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${v.t('record')}</th>
        <th scope="col">${v.t('id')}</th>
        <th scope="col">type</th>
        <th scope="col">${v.t('kind')}</th>
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
            <td>${r.kind}</td>
            <td><span class="badge ${r.outcome}">${r.outcome}</span></td>
            <td>${r.recipient.name}</td>
            <td>${r.items.join(', ')}</td>
            <td>${formatWhen(r.occurredAt, v.lang, v.timeZone)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
