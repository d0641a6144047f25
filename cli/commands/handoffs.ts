import { z } from 'zod';
import type { HandoffView } from '../../service/ack';
import { listHandoffs } from '../../service/ack';
import { handoffsCsv } from '../../service/csv-exports';
import type { Command } from '../command';
import { when } from '../format';
import { parseOptions } from '../options';
import { FORMAT_OPTION, Period, PERIOD_OPTIONS, periodBounds } from './records';

const line = (h: HandoffView, zone: string): string =>
  `${h.disclosureId}  ${when(h.deliveredAt, zone)}  ${h.kind.padEnd(14)} → ${h.recipientName} [${h.items.join(',')}]  ${h.acknowledgedAt !== undefined ? `acknowledged ${when(h.acknowledgedAt, zone)}` : 'NOT ACKNOWLEDGED'}`;

const HandoffsOptions = Period.extend({
  recipient: z.string().min(1).optional(),
  unacknowledged: z.boolean(),
  format: z.enum(['text', 'csv']).default('text'),
});

export const handoffs: Command = {
  name: 'handoffs',
  summary: 'delivered handoffs and whether each recipient acknowledged receipt',
  options: {
    unacknowledged: { type: 'boolean', description: 'only handoffs no recipient has acknowledged yet' },
    recipient: { type: 'string', value: 'R', description: 'only handoffs to this recipient' },
    ...PERIOD_OPTIONS,
    format: FORMAT_OPTION,
  },
  examples: ['disclosure handoffs --unacknowledged', 'disclosure handoffs --recipient R-DEALER-1 --json', 'disclosure handoffs --from 2026-04-01 --to 2026-04-30 --format csv > handoffs.csv'],
  async run(env, v) {
    const o = parseOptions(HandoffsOptions, { recipient: v.recipient, unacknowledged: v.unacknowledged === true, from: v.from, to: v.to, format: v.format });
    const zone = env.config.timeZone;
    const { since, until } = periodBounds(o, zone);
    const list = (await listHandoffs({ store: await env.store() }, { recipientId: o.recipient, unacknowledged: o.unacknowledged })).filter(
      (h) => (since === undefined || Date.parse(h.deliveredAt) >= Date.parse(since)) && (until === undefined || Date.parse(h.deliveredAt) <= Date.parse(until)),
    );
    return {
      json: { handoffs: list },
      text: list.length === 0 ? 'no handoffs' : list.map((h) => line(h, zone)).join('\n'),
      file: o.format === 'csv' ? handoffsCsv(list, zone) : undefined,
    };
  },
};
