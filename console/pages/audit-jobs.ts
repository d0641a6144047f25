import type { ReplayReport } from '../../service/audit-replay';
import type { VerifyReport } from '../../service/ledger';
import type { Job } from '../jobs';
import type { Html } from '../html';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { layout, notice } from '../layout';
import type { View } from '../view';

export interface ReplayResult {
  consistent: boolean;
  results: ReplayReport[];
}

function progress(v: View, job: Job<unknown>, label: MessageKey, href: string): Html {
  return html`<div id="job" data-poll="${href}/fragment">
    <p role="status">${v.t(label)}… ${job.done} / ${job.total}</p>
    <progress max="${Math.max(job.total, 1)}" value="${Math.min(job.done, Math.max(job.total, 1))}" aria-label="${v.t('progressOf')}"></progress>
  </div>`;
}

function verifyResult(v: View, r: VerifyReport): Html {
  if (r.ok) return notice('ok', `${v.t('verifyOk')}: ${r.records} ${v.t('records')}`);
  const bad = r.firstBad;
  return notice(
    'error',
    html`${v.t('verifyBad')}.
    ${bad !== undefined ? html`${v.t('firstBad')}: <strong class="first-bad">seq ${bad.seq} · ${bad.recordId}</strong> — ${bad.problem}` : ''}
    ${r.checkpointIssues.join(' / ')}`,
  );
}

/** While it runs: the progress, polled (or, without JavaScript, refreshed); then the result. */
export function verifyFragment(v: View, job: Job<VerifyReport>): Html {
  if (job.failed === true) return html`<div id="job">${notice('error', v.t('jobFailed'))}</div>`;
  if (job.result === undefined) return progress(v, job, 'verifying', `/ledger/verify/${job.id}`);
  return html`<div id="job" data-done="true">
    ${verifyResult(v, job.result)}
    <p>${v.t('records')}: ${job.result.records} · ${v.t('checkpoint')}: ${job.result.checkpoints.latest?.id ?? '—'}</p>
    ${job.result.warnings.length > 0 ? html`<ul>${job.result.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
    <p><a href="/ledger">${v.t('ledgerStatus')}</a></p>
  </div>`;
}

export function replayFragment(v: View, job: Job<ReplayResult>): Html {
  if (job.failed === true) return html`<div id="job">${notice('error', v.t('jobFailed'))}</div>`;
  if (job.result === undefined) return progress(v, job, 'replaying', `/audit/replay/${job.id}`);
  const r = job.result;
  return html`<div id="job" data-done="true">
    ${r.consistent ? notice('ok', `${v.t('replayOk')} (${r.results.length})`) : notice('error', v.t('replayBad'))}
    <table>
      <caption class="sr-only">
        ${v.t('replay')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${v.t('workflow')}</th>
          <th scope="col">${v.t('outcome')}</th>
          <th scope="col">${v.t('reason')}</th>
        </tr>
      </thead>
      <tbody>
        ${r.results.map(
          (x) =>
            html`<tr>
              <td><code>${x.workflowId}</code></td>
              <td>
                <span class="badge ${x.consistent ? 'ok' : 'refused'}">${x.consistent ? v.t('consistent') : v.t('inconsistent')}</span>
              </td>
              <td>${x.error !== undefined ? `${x.error.name}: ${x.error.message}` : ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function jobPage(v: View, title: MessageKey, fragment: Html, running: boolean): Html {
  return layout(v, v.t(title), fragment, running ? { refreshSeconds: 1 } : {});
}
