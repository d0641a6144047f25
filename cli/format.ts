import { formatForPeople } from '../domain/dates';
import type { DisclosureResult } from '../domain/record';
import type { StatusView } from '../workflows/definitions';
import { EXIT } from './errors';

/** A moment as a person at a terminal reads it: `2026-12-02 05:19 JST` in the configured zone. */
export const when = (iso: string, timeZone: string): string => formatForPeople(iso, 'en', timeZone);

export function describeStatus(s: StatusView | DisclosureResult, timeZone: string): string {
  const lines = [`${s.id}  ${s.kind}  ${s.status}`];
  if ('step' in s && s.status === 'pending') lines.push(`  step:   ${s.step}`);
  if ('progress' in s && s.progress !== undefined) lines.push(`  progress: ${s.progress.done}/${s.progress.total}`);
  if (s.deletion !== undefined) {
    const d = s.deletion;
    lines.push(d.confirmedAt !== undefined
      ? `  deletion: confirmed by ${d.confirmedBy ?? ''} at ${when(d.confirmedAt, timeZone)}`
      : `  deletion: awaiting confirmation, due ${when(d.dueAt, timeZone)}${d.reminders > 0 ? ` (${d.reminders} reminder(s) sent${d.escalated ? ', escalated' : ''})` : ''}`);
  }
  lines.push(`  fields: ${s.fields.length > 0 ? s.fields.join(', ') : '(none sent)'}`);
  if (s.reason !== undefined) lines.push(`  reason: ${s.reason.message} (${s.reason.code})`);
  if ('recordId' in s && s.recordId !== undefined) lines.push(`  record: ${s.recordId}`);
  return lines.join('\n');
}

/** A refused or cancelled disclosure is a policy outcome (3); a failed one is an error (1). */
export function exitCodeFor(status: StatusView['status']): number {
  if (status === 'refused' || status === 'cancelled') return EXIT.refused;
  if (status === 'failed' || status === 'delivery-uncertain') return EXIT.other;
  return EXIT.ok;
}
