import type { Html } from '../html';
import { html } from '../html';
import { layout, notice } from '../layout';
import type { View } from '../view';

/** A page that only says what happened: not found, not allowed, refused, done. */
export function messagePage(
  v: View,
  title: string,
  text: string,
  kind: 'ok' | 'error' = 'error',
  back?: { href: string; label: string },
): Html {
  return layout(
    v,
    title,
    html`${notice(kind, text)}${back !== undefined ? html`<p><a href="${back.href}">${back.label}</a></p>` : ''}`,
  );
}
