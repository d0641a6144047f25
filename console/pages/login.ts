import type { Html } from '../html';
import { html } from '../html';
import { csrfField, layout, notice } from '../layout';
import type { View } from '../view';

export function loginPage(v: View, problem?: 'badToken' | 'sessionEnded' | 'csrfFailed'): Html {
  return layout(
    v,
    v.t('signIn'),
    html`${problem !== undefined ? notice('error', v.t(problem)) : ''}
      <form method="post" action="/login" class="stack">
        ${csrfField(v)}
        <div class="field">
          <label for="token">${v.t('token')}</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="current-password"
            required
            aria-describedby="token-hint"
          />
          <p class="hint" id="token-hint">${v.t('tokenHint')}</p>
        </div>
        <button type="submit">${v.t('signIn')}</button>
      </form>`,
  );
}
