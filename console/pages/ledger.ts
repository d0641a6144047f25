import { formatWhen } from '../dates';
import type { Html } from '../html';
import { html } from '../html';
import { csrfField, layout } from '../layout';
import type { View } from '../view';

export interface LedgerStatus {
  head?: { seq: number; hash: string } | undefined;
  latestCheckpoint?: { id: string; seq: number; signedAt: string } | undefined;
  now: Date;
}

const ageOf = (v: View, signedAt: string, now: Date): string => {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(signedAt)) / 60_000));
  const hours = Math.floor(minutes / 60);
  return v.lang === 'ja' ? `${hours}時間${minutes % 60}分前` : `${hours} h ${minutes % 60} min ago`;
};

export function ledgerPage(v: View, s: LedgerStatus): Html {
  const cp = s.latestCheckpoint;
  return layout(
    v,
    v.t('ledgerStatus'),
    html`<dl>
        <dt>${v.t('head')}</dt>
        <dd>${s.head !== undefined ? html`seq ${s.head.seq} · <code>${s.head.hash}</code>` : '—'}</dd>
        <dt>${v.t('checkpoint')}</dt>
        <dd>
          ${cp !== undefined ? `${cp.id} · seq ${cp.seq} · ${formatWhen(cp.signedAt, v.lang, v.timeZone)} (${ageOf(v, cp.signedAt, s.now)})` : '—'}
        </dd>
      </dl>
      <form method="post" action="/ledger/verify">
        ${csrfField(v)}<button type="submit">${v.t('verify')}</button>
      </form>
      <h2>${v.t('replay')}</h2>
      <form method="post" action="/audit/replay">
        ${csrfField(v)}<button type="submit">${v.t('replayAll')}</button>
      </form>
      <h2>${v.t('evidence')}</h2>
      <p><a href="/audit/evidence.tar" download>${v.t('downloadEvidence')}</a></p>
      <p class="hint">${v.t('evidenceHint')}</p>
      <p><a href="/transparency">${v.t('navTransparency')}</a></p>`,
  );
}
