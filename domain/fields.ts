import { z } from 'zod';
import { FIELD_NAMES } from './field-names';

/**
 * The data items a customer file may hold. A disclosure names items from this list only,
 * so a policy or an approval can never release something the engine does not know about.
 */
export const FieldName = z.enum(FIELD_NAMES);
export type FieldName = z.infer<typeof FieldName>;

export const ALL_FIELDS: readonly FieldName[] = FIELD_NAMES;

/** Parses "a,b,c" into field names, reporting the first unknown one. */
export function parseFieldList(text: string): { ok: true; fields: FieldName[] } | { ok: false; unknown: string } {
  const fields: FieldName[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const parsed = FieldName.safeParse(item);
    if (!parsed.success) return { ok: false, unknown: item };
    if (!fields.includes(parsed.data)) fields.push(parsed.data);
  }
  return { ok: true, fields };
}
