import type { Recipient } from '../../domain/registry';
import type { PendingChange } from '../../service/registry';
import type { RecipientVersion } from '../../store/store';
import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { layout } from '../layout';
import type { View } from '../view';

/** Where a recipient's contract stands today, by the same rule that blocks a send (domain/basis.ts). */
export type ContractState = 'ok' | 'not-in-force' | 'supervision-overdue' | 'missing' | 'not-needed';

export interface RecipientRow {
  recipient: Recipient;
  state: ContractState;
  /** A proposed change waiting for a second person; until then the recipient receives nothing. */
  pending?: PendingChange | undefined;
  /** When the next supervision check is due, for a contract on file. */
  supervisionDue?: string | undefined;
}

const BADGE: Record<ContractState, { key: MessageKey; css: string }> = {
  ok: { key: 'contractOk', css: 'ok' },
  'not-in-force': { key: 'contractExpired', css: 'refused' },
  'supervision-overdue': { key: 'supervisionOverdue', css: 'refused' },
  missing: { key: 'contractMissing', css: 'refused' },
  'not-needed': { key: 'noContractNeeded', css: '' },
};

export const contractBadge = (v: View, s: ContractState): Html =>
  html`<span class="badge ${BADGE[s].css}" data-state="${s}">${v.t(BADGE[s].key)}</span>`;

const link = (id: string): string => `/recipients/${encodeURIComponent(id)}`;

const pendingBadge = (v: View): Html =>
  html` <span class="badge refused" data-state="pending">${v.t('pendingBadge')}</span>`;

function pendingTable(v: View, changes: PendingChange[]): Html {
  if (changes.length === 0) return html``;
  return html`<h2 id="pending-h">${v.t('pendingChanges')}</h2>
    <p class="hint">${v.t('pendingHint')}</p>
    <table aria-labelledby="pending-h">
      <thead>
        <tr>
          <th scope="col">ID</th>
          <th scope="col">${v.t('recipient')}</th>
          <th scope="col">${v.t('changedFields')}</th>
          <th scope="col">${v.t('proposedBy')}</th>
          <th scope="col">${v.t('recordedAt')}</th>
        </tr>
      </thead>
      <tbody>
        ${changes.map(
          (c) =>
            html`<tr>
              <td>${c.id}</td>
              <td>${c.recipient.id} · ${c.recipient.name}</td>
              <td>${c.changed.join(', ')}</td>
              <td>${c.proposedBy.name}</td>
              <td>${formatWhen(c.proposedAt, v.lang, v.timeZone)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export function recipientsPage(v: View, rows: RecipientRow[], pending: PendingChange[]): Html {
  return layout(
    v,
    v.t('recipients'),
    html`<p class="hint">${v.t('registryWrites')}</p>
      ${pendingTable(v, pending)}
      <table>
        <caption class="sr-only">
          ${v.t('recipients')}
        </caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">${v.t('kind')}</th>
            <th scope="col">${v.t('name')}</th>
            <th scope="col">${v.t('contract')}</th>
            <th scope="col">${v.t('validPeriod')}</th>
            <th scope="col">${v.t('lastSupervision')}</th>
            <th scope="col">${v.t('status')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ({ recipient: r, state, supervisionDue, pending }) =>
              html`<tr>
                <td><a href="${link(r.id)}">${r.id}</a></td>
                <td>${r.kind}</td>
                <td>${r.name}</td>
                <td>${r.contract?.id ?? '—'}</td>
                <td>${r.contract !== undefined ? `${r.contract.validFrom} – ${r.contract.validTo}` : '—'}</td>
                <td>
                  ${r.contract?.lastSupervisionCheck ?? '—'}${supervisionDue !== undefined ? html`<br /><span class="hint">${v.t('supervisionDue')}: ${supervisionDue}</span>` : ''}
                </td>
                <td>${contractBadge(v, state)}${pending !== undefined ? pendingBadge(v) : ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

export function recipientPage(v: View, row: RecipientRow, versions: RecipientVersion[]): Html {
  const r = row.recipient;
  const c = r.contract;
  return layout(
    v,
    `${v.t('recipientPage')} ${r.id}`,
    html`<dl>
        <dt>${v.t('kind')}</dt>
        <dd>${r.kind}</dd>
        <dt>${v.t('name')}</dt>
        <dd>${r.name}</dd>
        <dt>${v.t('address')}</dt>
        <dd>${r.address}</dd>
        <dt>${v.t('representative')}</dt>
        <dd>${r.representative ?? '—'}</dd>
        <dt>${v.t('email')}</dt>
        <dd>${r.email}</dd>
        <dt>${v.t('status')}</dt>
        <dd>${contractBadge(v, row.state)}${row.pending !== undefined ? pendingBadge(v) : ''}</dd>
      </dl>
      ${row.pending !== undefined ? pendingTable(v, [row.pending]) : ''}
      ${
        c !== undefined
          ? html`<h2>${v.t('contract')} ${c.id}</h2>
            <dl>
              <dt>${v.t('validPeriod')}</dt>
              <dd>${c.validFrom} – ${c.validTo}</dd>
              <dt>${v.t('instructions')}</dt>
              <dd>${c.instructions}</dd>
              <dt>${v.t('lastSupervision')}</dt>
              <dd>${c.lastSupervisionCheck}</dd>
              <dt>${v.t('supervisionDue')}</dt>
              <dd>${row.supervisionDue ?? '—'}</dd>
            </dl>`
          : ''
      }
      <h2>${v.t('versions')}</h2>
      ${
        versions.length === 0
          ? html`<p>${v.t('none')}</p>`
          : html`<table>
            <caption class="sr-only">
              ${v.t('versions')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${v.t('version')}</th>
                <th scope="col">${v.t('recordedAt')}</th>
                <th scope="col">${v.t('contract')}</th>
                <th scope="col">${v.t('validPeriod')}</th>
                <th scope="col">${v.t('lastSupervision')}</th>
              </tr>
            </thead>
            <tbody>
              ${versions.map(
                (x) =>
                  html`<tr>
                    <td>${x.version}</td>
                    <td>${formatWhen(x.recordedAt, v.lang, v.timeZone)}</td>
                    <td>${x.data.contract?.id ?? '—'}</td>
                    <td>${x.data.contract !== undefined ? `${x.data.contract.validFrom} – ${x.data.contract.validTo}` : '—'}</td>
                    <td>${x.data.contract?.lastSupervisionCheck ?? '—'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
      }`,
  );
}
