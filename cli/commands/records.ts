import { DisclosureKind } from '../../domain/policy';
import type { DisclosureRecord } from '../../domain/record';
import { parseInput } from '../../service/errors';
import type { Command } from '../command';

export function recordLine(r: DisclosureRecord): string {
  const who = r.subjectIds.length === 1 ? r.subjectIds[0] : `${r.subjectIds.length} customers`;
  const what = r.items.length > 0 ? r.items.join(',') : '-';
  const why = r.refusal !== undefined ? `  (${r.refusal.code})` : '';
  return `${r.recordId}  ${r.occurredAt}  ${r.kind.padEnd(14)} ${r.outcome.padEnd(9)} ${who} → ${r.recipient.name} [${what}]${why}`;
}

export const records: Command = {
  name: 'records',
  summary: 'list disclosure records (deliveries and refused attempts), oldest first',
  options: {
    subject: { type: 'string', value: 'S', description: 'only records about this customer' },
    recipient: { type: 'string', value: 'R', description: 'only records to this recipient' },
    kind: { type: 'string', value: 'K', description: 'dealer-catalog, survey, shipping or legal' },
  },
  examples: ['disclosure records --subject C-1001', 'disclosure records --kind legal --json'],
  async run(env, v) {
    const kind = v.kind === undefined ? undefined : parseInput(DisclosureKind, v.kind, '--kind');
    const list = await (await env.store()).listRecords({
      subjectId: v.subject as string | undefined,
      recipientId: v.recipient as string | undefined,
      kind,
    });
    return { json: { records: list }, text: list.length === 0 ? 'no records' : list.map(recordLine).join('\n') };
  },
};
