import { InputError } from '../../service/errors';
import { confirmSuspensionInWriting } from '../../service/suspension';
import type { Command } from '../command';
import { when } from '../format';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const suspensionConfirm: Command = {
  name: 'suspension confirm',
  summary: "record an agency's written confirmation of an oral accounting suspension (HIPAA 164.528(a)(2)(ii)), within its 30 days",
  positionals: ['ID'],
  options: {
    'written-at': { type: 'string', value: 'DATE', required: true, description: 'when the written statement arrived (a date, or an ISO moment with offset)' },
    by: { type: 'string', value: 'STAFF', required: true, description: 'who records it' },
  },
  examples: ['disclosure suspension confirm D-20261001-7K3QX9M2 --written-at 2026-10-20 --by staff:sato'],
  async run(env, v, positionals) {
    if (positionals.length !== 1) throw new InputError([{ field: 'ID', message: 'give exactly one disclosure id' }]);
    const { record, created } = await confirmSuspensionInWriting(
      await env.store(),
      new Date(),
      { disclosureId: positionals[0], writtenAt: str(v['written-at']), by: str(v.by) },
      { timeZone: env.config.timeZone },
    );
    const until = String(record.details?.suspendedUntil ?? '');
    const moment = (v: unknown): string => (typeof v === 'string' && v !== '' ? when(v, env.config.timeZone) : '');
    return {
      json: { record, created },
      text: `${record.disclosureId}: oral suspension confirmed in writing at ${moment(record.details?.suspensionConfirmedInWritingAt)}; it holds until ${moment(until)} (${record.recordId})`,
    };
  },
};
