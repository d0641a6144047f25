import type { FieldIssue } from '../service/errors';
import type { Html } from './html';
import { html } from './html';

export type Errors = Record<string, string[]>;

/** Zod and service issues by field, so each message stands next to the control it concerns. */
export function errorsByField(issues: FieldIssue[], alias: Record<string, string> = {}): Errors {
  const out: Errors = {};
  for (const i of issues) {
    const top = i.field.split('.')[0] ?? i.field;
    const key = alias[top] ?? top;
    (out[key] ??= []).push(i.message);
  }
  return out;
}

interface Control {
  name: string;
  label: string;
  errors?: Errors | undefined;
  required?: boolean;
}

const described = (c: Control): { attrs: Html; message: Html } => {
  const errs = c.errors?.[c.name];
  if (errs === undefined || errs.length === 0) return { attrs: html``, message: html`` };
  return {
    attrs: html` aria-invalid="true" aria-describedby="${c.name}-error"`,
    message: html`<p class="field-error" id="${c.name}-error">${errs.join(' / ')}</p>`,
  };
};

export function textField(c: Control & { value?: string | undefined; type?: string; hint?: string }): Html {
  const d = described(c);
  return html`<div class="field">
    <label for="${c.name}">${c.label}</label>
    <input
      id="${c.name}"
      name="${c.name}"
      type="${c.type ?? 'text'}"
      value="${c.value ?? ''}"
      ${c.required === true ? html` required` : ''}${d.attrs}
    />
    ${c.hint !== undefined ? html`<p class="hint">${c.hint}</p>` : ''}${d.message}
  </div>`;
}

export function textareaField(c: Control & { value?: string | undefined; hint?: string; rows?: number }): Html {
  const d = described(c);
  return html`<div class="field">
    <label for="${c.name}">${c.label}</label>
    <textarea id="${c.name}" name="${c.name}" rows="${c.rows ?? 3}" ${c.required === true ? html` required` : ''}${d.attrs}>
${c.value ?? ''}</textarea
    >
    ${c.hint !== undefined ? html`<p class="hint">${c.hint}</p>` : ''}${d.message}
  </div>`;
}

export function selectField(
  c: Control & { value?: string | undefined; options: { value: string; label: string }[] },
): Html {
  const d = described(c);
  return html`<div class="field">
    <label for="${c.name}">${c.label}</label>
    <select id="${c.name}" name="${c.name}" ${d.attrs}>
      ${c.options.map(
        (o) =>
          html`<option value="${o.value}" ${o.value === (c.value ?? '') ? html` selected` : ''}>${o.label}</option>`,
      )}</select
    >${d.message}
  </div>`;
}

/** Checkboxes for a set of values (fields to release); the group is a fieldset with a legend. */
export function checkboxes(c: Control & { options: string[]; checked: string[]; idPrefix: string }): Html {
  const d = described(c);
  return html`<fieldset class="field" ${d.attrs}>
    <legend>${c.label}</legend>
    ${c.options.map(
      (o) =>
        html`<label class="check"
          ><input
            type="checkbox"
            id="${c.idPrefix}-${o}"
            name="${c.name}"
            value="${o}"
            ${c.checked.includes(o) ? html` checked` : ''}
          />
          ${o}</label
        >`,
    )}${d.message}
  </fieldset>`;
}
