import type { Html } from './html';
import { html } from './html';
import type { MessageKey } from './i18n';
import type { Area, View } from './view';
import { mayUse } from './view';

const NAV: { area: Area; href: string; label: MessageKey }[] = [
  { area: 'dashboard', href: '/', label: 'navDashboard' },
  { area: 'request', href: '/requests/dealer-catalog', label: 'navRequest' },
  { area: 'request', href: '/requests/survey', label: 'navSurvey' },
  { area: 'request', href: '/requests/shipping', label: 'navShipping' },
  { area: 'request', href: '/requests/legal', label: 'navLegal' },
  { area: 'approvals', href: '/approvals', label: 'navApprovals' },
  { area: 'ledger', href: '/ledger', label: 'navLedger' },
  { area: 'records', href: '/records', label: 'navRecords' },
  { area: 'report', href: '/report', label: 'navReport' },
  { area: 'customers', href: '/customers', label: 'navCustomers' },
  { area: 'registry', href: '/recipients', label: 'navRecipients' },
  { area: 'handoffs', href: '/handoffs', label: 'navHandoffs' },
];

export const csrfField = (v: View): Html => html`<input type="hidden" name="_csrf" value="${v.csrf}" />`;

function nav(v: View): Html {
  const role = v.principal?.role;
  const links = NAV.filter((n) => mayUse(role, n.area));
  return html`<nav aria-label="${v.t('appName')}">
    <ul>
      ${links.map(
        (n) =>
          html`<li><a href="${n.href}" ${v.path === n.href ? html` aria-current="page"` : ''}>${v.t(n.label)}</a></li>`,
      )}
    </ul>
  </nav>`;
}

function account(v: View): Html {
  if (v.principal === undefined) return html``;
  return html`<form method="post" action="/logout" class="account">
    <span>${v.t('signedInAs')}: <strong>${v.principal.name}</strong> (${v.principal.role})</span>
    ${csrfField(v)}<button type="submit">${v.t('signOut')}</button>
  </form>`;
}

/** The frame of every page: provider in the header, navigation by role, language switch, sign-out. */
export function layout(v: View, title: string, body: Html, opts: { refreshSeconds?: number } = {}): Html {
  const other = v.lang === 'ja' ? 'en' : 'ja';
  return html`<html lang="${v.lang}">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${title} — ${v.t('appName')}</title>
      <link rel="stylesheet" href="/console.css" />
      <script src="/console.js" defer></script>
      ${opts.refreshSeconds !== undefined ? html`<noscript><meta http-equiv="refresh" content="${opts.refreshSeconds}" /></noscript>` : ''}
    </head>
    <body>
      <a class="skip" href="#main">${v.t('skip')}</a>
      <header>
        <p class="provider">${v.provider}</p>
        <p class="app">${v.t('appName')}</p>
        <a class="lang" href="/lang/${other}?back=${encodeURIComponent(v.path)}" lang="${other}">${v.t('language')}</a>
        ${account(v)}
      </header>
      ${nav(v)}
      <main id="main" tabindex="-1">
        <h1>${title}</h1>
        ${body}
      </main>
    </body>
  </html>`;
}

export const notice = (kind: 'ok' | 'error', text: Html | string): Html =>
  html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
