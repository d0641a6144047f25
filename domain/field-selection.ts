import type { FieldName } from './field-names';
import { FIELD_NAMES } from './field-names';
import type { KindRule } from './policy';

export type FieldSelection =
  | { ok: true; fields: FieldName[] }
  | { ok: false; code: 'unknown-purpose' | 'bad-option'; message: string };

/**
 * The minimum fields for one request: the purpose's fixed fields plus, for every option the
 * purpose defines, the fields of the value the request chose. An option left unchosen or given
 * an unknown value is an error, never a silent default that could widen what is sent.
 */
export function selectFields(rule: KindRule, purpose: string, options: Record<string, string>): FieldSelection {
  // Own properties only: `constructor` or `__proto__` are not purposes.
  const p = Object.hasOwn(rule.purposes, purpose) ? rule.purposes[purpose] : undefined;
  if (p === undefined) {
    return { ok: false, code: 'unknown-purpose', message: `the policy has no purpose "${purpose}"` };
  }
  const fields = new Set<FieldName>(p.fields);
  for (const [option, choices] of Object.entries(p.options)) {
    const chosen = options[option];
    const add = chosen === undefined ? undefined : choices[chosen];
    if (add === undefined) {
      const allowed = Object.keys(choices).join(', ');
      return { ok: false, code: 'bad-option', message: `option "${option}" must be one of: ${allowed}` };
    }
    add.forEach((f) => fields.add(f));
  }
  const ordered = FIELD_NAMES.filter((f) => fields.has(f) && !p.never.includes(f));
  return { ok: true, fields: ordered };
}
