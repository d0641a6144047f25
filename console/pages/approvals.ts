import { formatWhen } from '../dates';
import type { Errors } from '../forms';
import { checkboxes } from '../forms';
import type { Html } from '../html';
import { html } from '../html';
import { csrfField, layout, notice } from '../layout';
import type { View } from '../view';

/** A legal or emergency request as the approver must judge it. */
export interface QueueItem {
  id: string;
  subjectId: string;
  authorityId: string;
  requestedBy: string;
  requestedAt: string;
  ground?: string | undefined;
  documentRef?: string | undefined;
  issuingOfficial?: string | undefined;
  fields: string[];
  justification?: string | undefined;
  dueAt?: string | undefined;
}

export interface Outcome {
  id: string;
  kind: 'ok' | 'error';
  text: string;
  errors?: Errors | undefined;
}

function item(v: View, q: QueueItem, outcome: Outcome | undefined): Html {
  const mine = outcome?.id === q.id ? outcome : undefined;
  const errors = mine?.errors ?? {};
  const p = (name: string): string => `${name}-${q.id}`;
  return html`<article class="card" aria-labelledby="${p('h')}">
    <h2 id="${p('h')}">${q.id}</h2>
    ${mine !== undefined ? notice(mine.kind, mine.text) : ''}
    <dl>
      <dt>${v.t('ground')}</dt>
      <dd>${q.ground ?? '—'}</dd>
      <dt>${v.t('documentRef')}</dt>
      <dd>${q.documentRef ?? '—'}</dd>
      <dt>${v.t('official')}</dt>
      <dd>${q.issuingOfficial ?? '—'}</dd>
      <dt>${v.t('recipient')}</dt>
      <dd>${q.authorityId}</dd>
      <dt>${v.t('customer')}</dt>
      <dd>${q.subjectId}</dd>
      <dt>${v.t('requestedItems')}</dt>
      <dd>${q.fields.join(', ')}</dd>
      <dt>${v.t('justification')}</dt>
      <dd>${q.justification ?? '—'}</dd>
      <dt>${v.t('requestedBy')}</dt>
      <dd>${q.requestedBy} · ${formatWhen(q.requestedAt, v.lang, v.timeZone)}</dd>
      <dt>${v.t('timeLeft')}</dt>
      <dd>${formatWhen(q.dueAt, v.lang, v.timeZone)}</dd>
    </dl>
    <div class="actions">
      <form method="post" action="/approvals/${encodeURIComponent(q.id)}/approve" class="stack">
        ${csrfField(v)}
        ${checkboxes({ name: 'fields', label: v.t('fieldsReleased'), options: q.fields, checked: q.fields, idPrefix: p('f'), errors })}
        <div class="field">
          <label for="${p('ac')}">${v.t('authorityCheck')}</label
          ><input
            id="${p('ac')}"
            name="authorityCheck"
            required${errors.authorityCheck !== undefined ? html` aria-invalid="true" aria-describedby="${p('ac')}-error"` : ''}
          />${errors.authorityCheck !== undefined ? html`<p class="field-error" id="${p('ac')}-error">${errors.authorityCheck.join(' / ')}</p>` : ''}
        </div>
        <button type="submit">${v.t('approve')}</button>
      </form>
      <form method="post" action="/approvals/${encodeURIComponent(q.id)}/reject" class="stack">
        ${csrfField(v)}
        <div class="field">
          <label for="${p('r')}">${v.t('rejectReason')}</label
          ><textarea id="${p('r')}" name="reason" rows="2" required></textarea>
        </div>
        <button type="submit" class="secondary">${v.t('reject')}</button>
      </form>
    </div>
  </article>`;
}

export function approvalsPage(v: View, queue: QueueItem[], outcome?: Outcome): Html {
  const orphan =
    outcome !== undefined && !queue.some((q) => q.id === outcome.id)
      ? notice(outcome.kind, `${outcome.id}: ${outcome.text}`)
      : '';
  return layout(
    v,
    v.t('queue'),
    html`${orphan}${queue.length === 0 ? html`<p>${v.t('none')}</p>` : queue.map((q) => item(v, q, outcome))}`,
  );
}
