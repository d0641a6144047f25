import { z } from 'zod';
import { DisclosureKind } from '../../domain/policy';
import type { DisclosureRecord } from '../../domain/record';
import { activeHolds, purgeDecision, retentionFor } from '../../domain/retention';
import { parseOptions } from '../options';
import type { Command } from '../command';

export function recordLine(r: DisclosureRecord): string {
  const who = r.subjectIds.length === 1 ? r.subjectIds[0] : `${r.subjectIds.length} customers`;
  const what = r.items.length > 0 ? r.items.join(',') : '-';
  const why = r.refusal !== undefined ? `  (${r.refusal.code})` : '';
  const entry = r.entryType === 'disclosure' ? '' : `  [${r.entryType}${r.corrects === undefined ? '' : ` of ${r.corrects}`}]`;
  const purpose = r.purposeStatement?.ja ?? r.purpose;
  return `${r.recordId}  ${r.occurredAt}  ${r.kind.padEnd(14)} ${r.outcome.padEnd(9)} ${who} → ${r.recipient.name} [${what}] ${purpose}${why}${entry}`;
}

const IsoDay = z.union([z.iso.date(), z.iso.datetime()]);

const RecordsOptions = z.object({
  subject: z.string().min(1).optional(),
  recipient: z.string().min(1).optional(),
  kind: DisclosureKind.optional(),
  outcome: z.enum(['delivered', 'refused', 'cancelled', 'failed', 'delivery-uncertain']).optional(),
  entryType: z.string().min(1).optional(),
  since: IsoDay.optional(),
  until: IsoDay.optional(),
  purgeable: z.boolean().default(false),
  asOf: IsoDay.optional(),
});

export const records: Command = {
  name: 'records',
  summary: 'list disclosure records (deliveries and refused attempts), oldest first; --purgeable lists what may go',
  options: {
    subject: { type: 'string', value: 'S', description: 'only records about this customer' },
    recipient: { type: 'string', value: 'R', description: 'only records to this recipient' },
    kind: { type: 'string', value: 'K', description: 'dealer-catalog, survey, shipping or legal' },
    outcome: { type: 'string', value: 'O', description: 'delivered, refused, cancelled or failed' },
    'entry-type': { type: 'string', value: 'T', description: 'disclosure, correction, acknowledgement, …' },
    since: { type: 'string', value: 'DATE', description: 'only records that occurred on or after this date' },
    until: { type: 'string', value: 'DATE', description: 'only records that occurred on or before this date' },
    purgeable: { type: 'boolean', description: 'only records past their retention date and under no legal hold (nothing is deleted)' },
    'as-of': { type: 'string', value: 'DATE', description: 'the day --purgeable judges from (default today)' },
  },
  examples: [
    'disclosure records --subject C-1001',
    'disclosure records --kind legal --since 2026-01-01 --json',
    'disclosure records --purgeable --as-of 2033-01-01',
  ],
  async run(env, v) {
    const o = parseOptions(RecordsOptions, {
      subject: v.subject,
      recipient: v.recipient,
      kind: v.kind,
      outcome: v.outcome,
      entryType: v['entry-type'],
      since: v.since,
      until: v.until,
      purgeable: v.purgeable === true,
      asOf: v['as-of'],
    });
    const store = await env.store();
    const list = await store.listRecords({
      subjectId: o.subject,
      recipientId: o.recipient,
      kind: o.kind,
      outcome: o.outcome,
      entryType: o.entryType,
      since: o.since,
      until: o.until,
    });
    if (!o.purgeable) {
      return { json: { records: list }, text: list.length === 0 ? 'no records' : [...list.map(recordLine), `${list.length} record(s)`].join('\n') };
    }
    const asOf = (o.asOf ?? new Date().toISOString()).slice(0, 10);
    const holds = activeHolds(await store.listHolds());
    const judged = list.map((r) => ({ record: r, ...purgeDecision({ ...r, retention: r.retention ?? retentionFor(r) }, holds, asOf) }));
    const purgeable = judged.filter((j) => j.purgeable);
    const held = judged.filter((j) => !j.purgeable && j.heldBy.length > 0 && j.retainUntil < asOf);
    const text = [
      ...purgeable.map((j) => `${recordLine(j.record)}  retained until ${j.retainUntil}`),
      `${purgeable.length} record(s) may be purged as of ${asOf}; ${held.length} past retention but under legal hold. Nothing was deleted.`,
    ].join('\n');
    return {
      json: {
        asOf,
        purgeable: purgeable.map((j) => ({ recordId: j.record.recordId, retainUntil: j.retainUntil, record: j.record })),
        heldPastRetention: held.map((j) => ({ recordId: j.record.recordId, retainUntil: j.retainUntil, heldBy: j.heldBy })),
      },
      text,
    };
  },
};
