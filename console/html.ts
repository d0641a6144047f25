/**
 * Markup as a value: text interpolated into `html\`…\`` is escaped, markup from another
 * template is kept. Hand-written because it is twelve lines and a library would add a JSX
 * toolchain or a runtime for what the pages need.
 */
const MARKUP: unique symbol = Symbol('markup');

export interface Html {
  readonly [MARKUP]: string;
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeText = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const isHtml = (v: unknown): v is Html => typeof v === 'object' && v !== null && MARKUP in v;

function partToString(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(partToString).join('');
  if (isHtml(v)) return v[MARKUP];
  return escapeText(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += partToString(v) + (strings[i + 1] ?? '');
  });
  return { [MARKUP]: out };
}

/** Markup this module did not build; only for constant strings of the console's own. */
export const trusted = (s: string): Html => ({ [MARKUP]: s });

export const render = (h: Html): string => `<!doctype html>\n${h[MARKUP]}`;
export const fragment = (h: Html): string => h[MARKUP];
