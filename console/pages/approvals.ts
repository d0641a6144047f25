import { formatWhen, timeLeft } from '../dates';
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

/** An emergency release whose review by a second person is still to be recorded. */
export interface ReviewItem {
  id: string;
  subjectId: string;
  authority: string;
  documentRef?: string | undefined;
  items: string[];
  releasedBy: string;
  releasedAt: string;
  dueAt?: string | undefined;
}

export interface Outcome {
  id: string;
  kind: 'ok' | 'error';
  text: string;
  errors?: Errors | undefined;
}

function item(v: View, q: QueueItem, outcome: Outcome | undefined, now: Date): Html {
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
      <dd>${due(v, q.dueAt, now)}</dd>
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

/** The deadline in local time and what is left of it; past it, marked overdue. */
function due(v: View, dueAt: string | undefined, now: Date): Html {
  if (dueAt === undefined) return html`—`;
  const left = timeLeft(dueAt, now, v.lang);
  return html`${formatWhen(dueAt, v.lang, v.timeZone)} ·
    <span class="badge ${left.overdue ? 'refused' : 'open'}">${left.text}</span>`;
}

function review(v: View, r: ReviewItem, outcome: Outcome | undefined, now: Date): Html {
  const mine = outcome?.id === r.id ? outcome : undefined;
  const p = (name: string): string => `${name}-${r.id}`;
  return html`<article class="card" aria-labelledby="${p('rh')}">
    <h3 id="${p('rh')}">${r.id}</h3>
    ${mine !== undefined ? notice(mine.kind, mine.text) : ''}
    <dl>
      <dt>${v.t('reviewDue')}</dt>
      <dd>${due(v, r.dueAt, now)}</dd>
      <dt>${v.t('recipient')}</dt>
      <dd>${r.authority}</dd>
      <dt>${v.t('documentRef')}</dt>
      <dd>${r.documentRef ?? '—'}</dd>
      <dt>${v.t('customer')}</dt>
      <dd>${r.subjectId}</dd>
      <dt>${v.t('items')}</dt>
      <dd>${r.items.join(', ')}</dd>
      <dt>${v.t('releasedBy')}</dt>
      <dd>${r.releasedBy} · ${formatWhen(r.releasedAt, v.lang, v.timeZone)}</dd>
    </dl>
    <form method="post" action="/approvals/${encodeURIComponent(r.id)}/review" class="stack">
      ${csrfField(v)}
      <fieldset class="field">
        <legend>${v.t('reviewOutcome')}</legend>
        <label class="check"><input type="radio" name="outcome" value="upheld" id="${p('up')}" checked /> ${v.t('upheld')}</label>
        <label class="check"><input type="radio" name="outcome" value="concerns" id="${p('co')}" /> ${v.t('concerns')}</label>
      </fieldset>
      <div class="field">
        <label for="${p('n')}">${v.t('reviewNotes')}</label
        ><textarea id="${p('n')}" name="notes" rows="2" required></textarea>
      </div>
      <button type="submit">${v.t('recordReview')}</button>
    </form>
  </article>`;
}

export function approvalsPage(v: View, queue: QueueItem[], reviews: ReviewItem[], now: Date, outcome?: Outcome): Html {
  const shown = [...queue.map((q) => q.id), ...reviews.map((r) => r.id)];
  const orphan =
    outcome !== undefined && !shown.includes(outcome.id) ? notice(outcome.kind, `${outcome.id}: ${outcome.text}`) : '';
  return layout(
    v,
    v.t('queue'),
    html`${orphan}${queue.length === 0 ? html`<p>${v.t('none')}</p>` : queue.map((q) => item(v, q, outcome, now))}
      <section aria-labelledby="reviews-h">
        <h2 id="reviews-h">${v.t('reviews')}</h2>
        ${reviews.length === 0 ? html`<p>${v.t('none')}</p>` : reviews.map((r) => review(v, r, outcome, now))}
      </section>`,
  );
}
