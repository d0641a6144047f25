import { z } from 'zod';
import { dayBound, dayIn } from '../../domain/dates';
import { DisclosureKind } from '../../domain/policy';
import type { DisclosureRecord } from '../../domain/record';
import { activeHolds, purgeDecision, retentionFor } from '../../domain/retention';
import { recordsCsv } from '../../service/csv-exports';
import { InputError } from '../../service/errors';
import { parseOptions } from '../options';
import type { Command, OptionSpec } from '../command';
import { when } from '../format';

export function recordLine(r: DisclosureRecord, timeZone: string): string {
  const who = r.subjectIds.length === 1 ? r.subjectIds[0] : `${r.subjectIds.length} customers`;
  const what = r.items.length > 0 ? r.items.join(',') : '-';
  const why = r.refusal !== undefined ? `  (${r.refusal.code})` : '';
  const entry = r.entryType === 'disclosure' ? '' : `  [${r.entryType}${r.corrects === undefined ? '' : ` of ${r.corrects}`}]`;
  const purpose = r.purposeStatement?.ja ?? r.purpose;
  return `${r.recordId}  ${when(r.occurredAt, timeZone)}  ${r.kind.padEnd(14)} ${r.outcome.padEnd(9)} ${who} → ${r.recipient.name} [${what}] ${purpose}${why}${entry}`;
}

const IsoDay = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** `--from/--to` (and their older names `--since/--until`): days in the configured zone, both inclusive. */
export const PERIOD_OPTIONS: Record<string, OptionSpec> = {
  from: { type: 'string', value: 'DATE', description: 'only what happened on or after this day (YYYY-MM-DD in DISCLOSURE_TIMEZONE, or an ISO time)' },
  to: { type: 'string', value: 'DATE', description: 'only what happened on or before this day (the whole day, in DISCLOSURE_TIMEZONE)' },
};

export const Period = z.object({ from: IsoDay.optional(), to: IsoDay.optional() });

/** The period as instants: the first moment of `from`'s day and the last of `to`'s, in the zone. */
export function periodBounds(p: z.infer<typeof Period>, timeZone: string): { since?: string | undefined; until?: string | undefined } {
  return { since: p.from === undefined ? undefined : dayBound(p.from, timeZone, false), until: p.to === undefined ? undefined : dayBound(p.to, timeZone, true) };
}

/** One value from either of two names for the same option; both at once is bad input. */
export function eitherOf(v: Record<string, string | boolean | undefined>, name: string, older: string): string | boolean | undefined {
  if (v[name] !== undefined && v[older] !== undefined) throw new InputError([{ field: `--${name}`, message: `give --${name} or --${older}, not both` }]);
  return v[name] ?? v[older];
}

export const FORMAT_OPTION: OptionSpec = { type: 'string', value: 'text|csv', description: 'csv: one row per line, UTF-8 with BOM and CRLF, for a spreadsheet (default text)' };

const RecordsOptions = z.object({
  subject: z.string().min(1).optional(),
  recipient: z.string().min(1).optional(),
  kind: DisclosureKind.optional(),
  outcome: z.enum(['delivered', 'refused', 'cancelled', 'failed', 'delivery-uncertain']).optional(),
  entryType: z.string().min(1).optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  purgeable: z.boolean().default(false),
  asOf: IsoDay.optional(),
  format: z.enum(['text', 'csv']).default('text'),
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
    ...PERIOD_OPTIONS,
    since: { type: 'string', value: 'DATE', description: 'the same as --from' },
    until: { type: 'string', value: 'DATE', description: 'the same as --to' },
    purgeable: { type: 'boolean', description: 'only records past their retention date and under no legal hold (nothing is deleted)' },
    'as-of': { type: 'string', value: 'DATE', description: 'the day --purgeable judges from (default today in DISCLOSURE_TIMEZONE)' },
    format: FORMAT_OPTION,
  },
  examples: [
    'disclosure records --subject C-1001',
    'disclosure records --kind legal --from 2026-04-01 --to 2026-06-30 --json',
    'disclosure records --from 2026-04-01 --format csv > records.csv',
    'disclosure records --purgeable --as-of 2033-01-01',
  ],
  async run(env, v) {
    const o = parseOptions(RecordsOptions, {
      subject: v.subject,
      recipient: v.recipient,
      kind: v.kind,
      outcome: v.outcome,
      entryType: v['entry-type'],
      from: eitherOf(v, 'from', 'since'),
      to: eitherOf(v, 'to', 'until'),
      purgeable: v.purgeable === true,
      asOf: v['as-of'],
      format: v.format,
    });
    const zone = env.config.timeZone;
    const store = await env.store();
    const list = await store.listRecords({
      subjectId: o.subject,
      recipientId: o.recipient,
      kind: o.kind,
      outcome: o.outcome,
      entryType: o.entryType,
      ...periodBounds(o, zone),
    });
    if (!o.purgeable) {
      return {
        json: { records: list },
        text: list.length === 0 ? 'no records' : [...list.map((r) => recordLine(r, zone)), `${list.length} record(s)`].join('\n'),
        file: o.format === 'csv' ? recordsCsv(list, zone) : undefined,
      };
    }
    const asOf = o.asOf === undefined ? dayIn(new Date(), zone) : o.asOf.length === 10 ? o.asOf : dayIn(o.asOf, zone);
    const holds = activeHolds(await store.listHolds());
    const judged = list.map((r) => ({ record: r, ...purgeDecision({ ...r, retention: r.retention ?? retentionFor(r, 'each', zone) }, holds, asOf) }));
    const purgeable = judged.filter((j) => j.purgeable);
    const held = judged.filter((j) => !j.purgeable && j.heldBy.length > 0 && j.retainUntil < asOf);
    const text = [
      ...purgeable.map((j) => `${recordLine(j.record, zone)}  retained until ${j.retainUntil}`),
      `${purgeable.length} record(s) may be purged as of ${asOf}; ${held.length} past retention but under legal hold. Nothing was deleted.`,
    ].join('\n');
    return {
      json: {
        asOf,
        purgeable: purgeable.map((j) => ({ recordId: j.record.recordId, retainUntil: j.retainUntil, record: j.record })),
        heldPastRetention: held.map((j) => ({ recordId: j.record.recordId, retainUntil: j.retainUntil, heldBy: j.heldBy })),
      },
      text,
      file: o.format === 'csv' ? recordsCsv(purgeable.map((j) => j.record), zone) : undefined,
    };
  },
};
