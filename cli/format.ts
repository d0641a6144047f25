import type { DisclosureResult } from '../domain/record';
import type { StatusView } from '../workflows/definitions';
import { EXIT } from './errors';

export function describeStatus(s: StatusView | DisclosureResult): string {
  const lines = [`${s.id}  ${s.kind}  ${s.status}`];
  if ('step' in s && s.status === 'pending') lines.push(`  step:   ${s.step}`);
  if ('progress' in s && s.progress !== undefined) lines.push(`  progress: ${s.progress.done}/${s.progress.total}`);
  if (s.deletion !== undefined) {
    const d = s.deletion;
    lines.push(d.confirmedAt !== undefined
      ? `  deletion: confirmed by ${d.confirmedBy ?? ''} at ${d.confirmedAt}`
      : `  deletion: awaiting confirmation, due ${d.dueAt}${d.reminders > 0 ? ` (${d.reminders} reminder(s) sent${d.escalated ? ', escalated' : ''})` : ''}`);
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
