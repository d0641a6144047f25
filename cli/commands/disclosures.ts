import os from 'node:os';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import type { WaitUntil } from '../../service/disclosures';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { InputError } from '../../service/errors';
import type { Command, CommandOutput, OptionValues } from '../command';
import { describeStatus, exitCodeFor } from '../format';

const defaultStaff = (): string => `staff:${os.userInfo().username}`;

function oneId(positionals: string[]): string {
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new InputError([{ field: 'ID', message: 'give exactly one disclosure id' }]);
  }
  return positionals[0];
}

function delayOf(v: OptionValues): number {
  const raw = v['dispatch-delay'];
  if (raw === undefined) return 0;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new InputError([{ field: '--dispatch-delay', message: 'milliseconds, a whole number ≥ 0' }]);
  return ms;
}

export const requestDealer: Command = {
  name: 'request dealer-catalog',
  summary: "pass a customer's catalog request to the dealer they selected, on their consent",
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    dealer: { type: 'string', value: 'R', required: true, description: 'dealer (recipient) id the customer selected' },
    consent: { type: 'string', value: 'C', description: 'consent id from the request form (default: the active consent on file)' },
    catalog: { type: 'string', value: 'NAME', description: 'the model or catalog requested (default "general")' },
    contact: { type: 'string', value: 'email|phone', description: 'the contact the customer chose (default email)' },
    handover: { type: 'string', value: 'digital|in-person', description: 'in-person adds the postal address (default digital)' },
    'requested-by': { type: 'string', value: 'STAFF', description: 'who submits the request (default staff:<login>)' },
    'dispatch-delay': { type: 'string', value: 'MS', description: 'hold before sending, during which a withdrawal still stops it' },
    wait: { type: 'boolean', description: 'wait until the disclosure ends and print its outcome' },
  },
  examples: [
    'disclosure request dealer-catalog --subject C-1001 --dealer R-DEALER-1 --consent CN-000001',
    'disclosure request dealer-catalog --subject C-1001 --dealer R-DEALER-1 --contact phone --handover in-person --wait --json',
  ],
  async run(env, v): Promise<CommandOutput> {
    const ctx = await env.context();
    const started = await requestDealerCatalog(
      ctx,
      {
        subjectId: v.subject,
        dealerId: v.dealer,
        consentId: v.consent,
        catalog: v.catalog ?? 'general',
        contact: v.contact,
        handover: v.handover,
        requestedBy: v['requested-by'] ?? defaultStaff(),
      },
      { dispatchDelayMs: delayOf(v) },
    );
    if (v.wait !== true) return { json: started, text: `${started.id} started (workflow ${started.workflowId})` };
    const result = await waitForDisclosure(ctx, started.id);
    return { json: { ...started, ...result }, text: describeStatus(result, env.config.timeZone), exitCode: exitCodeFor(result.status) };
  },
};

export const status: Command = {
  name: 'status',
  summary: 'show where a disclosure stands: status, step, fields sent, reason when refused',
  positionals: ['ID'],
  options: {},
  examples: ['disclosure status D-20261124-7K3QX9M2 --json'],
  async run(env, _v, positionals) {
    const view = await disclosureStatus(await env.context(), oneId(positionals));
    return { json: view, text: describeStatus(view, env.config.timeZone) };
  },
};

function untilOf(v: OptionValues): WaitUntil {
  const raw = v.until;
  if (raw === undefined || raw === 'outcome') return 'outcome';
  if (raw === 'settled') return 'settled';
  throw new InputError([{ field: '--until', message: 'outcome (default) or settled' }]);
}

export const wait: Command = {
  name: 'wait',
  summary: 'wait until a disclosure has its outcome (delivered, refused, failed, cancelled); exit 3 when refused or cancelled',
  positionals: ['ID'],
  options: {
    until: { type: 'string', value: 'outcome|settled', description: 'settled: also wait for follow-up (deletion confirmation, notice, review)' },
  },
  examples: ['disclosure wait D-20261124-7K3QX9M2', 'disclosure wait D-20261124-7K3QX9M2 --until settled'],
  async run(env, v, positionals) {
    const result = await waitForDisclosure(await env.context(), oneId(positionals), { until: untilOf(v) });
    return { json: result, text: describeStatus(result, env.config.timeZone), exitCode: exitCodeFor(result.status) };
  },
};
