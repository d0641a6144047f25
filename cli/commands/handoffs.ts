import type { HandoffView } from '../../service/ack';
import { listHandoffs } from '../../service/ack';
import type { Command } from '../command';

const line = (h: HandoffView): string =>
  `${h.disclosureId}  ${h.deliveredAt}  ${h.kind.padEnd(14)} → ${h.recipientName} [${h.items.join(',')}]  ${h.acknowledgedAt !== undefined ? `acknowledged ${h.acknowledgedAt}` : 'NOT ACKNOWLEDGED'}`;

export const handoffs: Command = {
  name: 'handoffs',
  summary: 'delivered handoffs and whether each recipient acknowledged receipt',
  options: {
    unacknowledged: { type: 'boolean', description: 'only handoffs no recipient has acknowledged yet' },
    recipient: { type: 'string', value: 'R', description: 'only handoffs to this recipient' },
  },
  examples: ['disclosure handoffs --unacknowledged', 'disclosure handoffs --recipient R-DEALER-1 --json'],
  async run(env, v) {
    const list = await listHandoffs(
      { store: await env.store() },
      { recipientId: typeof v.recipient === 'string' ? v.recipient : undefined, unacknowledged: v.unacknowledged === true },
    );
    return { json: { handoffs: list }, text: list.length === 0 ? 'no handoffs' : list.map(line).join('\n') };
  },
};
