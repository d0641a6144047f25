import os from 'node:os';
import type { Actor } from '../../domain/actor';
import {
  addRecipients,
  addSubjects,
  approveRecipientChange,
  grantConsent,
  pendingRecipientChanges,
  rejectRecipientChange,
  withdrawConsent,
} from '../../service/registry';
import { seedDemo } from '../../service/demo';
import { InputError } from '../../service/errors';
import type { Command } from '../command';
import type { CliEnv } from '../command';
import { when } from '../format';
import { readJsonFile } from '../read-json';
import { describeNotices } from './subject';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** From the command line the operator acts, `staff:<login>` unless `--as` names the staff member. */
const operator = (v: Record<string, unknown>): Actor => ({ name: str(v.as) ?? `staff:${os.userInfo().username}`, via: 'cli' });
const AS = { as: { type: 'string', value: 'STAFF', description: 'the staff member acting (default staff:<login>)' } } as const;

const registryContext = async (env: CliEnv) => ({ store: await env.store(), clock: () => new Date(), policyPath: env.config.policyPath });

function oneId(positionals: string[]): string {
  const [id] = positionals;
  if (positionals.length !== 1 || id === undefined) throw new InputError([{ field: 'ID', message: 'give exactly one change id, e.g. RC-000001' }]);
  return id;
}

export const subjectAdd: Command = {
  name: 'subject add',
  summary: 'add or update customers from a JSON file (one object or an array)',
  options: { file: { type: 'string', value: 'F', required: true, description: 'JSON file with the customer record(s)' }, ...AS },
  examples: ['disclosure subject add --file customers.json'],
  async run(env, v) {
    const ids = await addSubjects(await registryContext(env), await readJsonFile(str(v.file)!), operator(v));
    return { json: { added: ids }, text: `added or updated ${ids.length} customer(s): ${ids.join(', ')}` };
  },
};

export const recipientAdd: Command = {
  name: 'recipient add',
  summary: 'add or update recipients from a JSON file; a new one, or a new kind, address, email or contract, waits for a second person',
  options: { file: { type: 'string', value: 'F', required: true, description: 'JSON file with the recipient record(s)' }, ...AS },
  examples: ['disclosure recipient add --file carrier.json'],
  async run(env, v) {
    const result = await addRecipients(await registryContext(env), await readJsonFile(str(v.file)!), operator(v));
    const lines = [
      ...(result.added.length > 0 ? [`updated ${result.added.length} recipient(s): ${result.added.join(', ')}`] : []),
      ...result.pending.map((p) => `${p.recipientId}: change ${p.changeId} (${p.changed.join(', ')}) waits for a second person: disclosure registry approve ${p.changeId}`),
    ];
    return { json: result, text: lines.join('\n') };
  },
};

export const registryPending: Command = {
  name: 'registry pending',
  summary: 'recipient changes waiting for a second person (new recipients; new kind, address, email or contract)',
  options: {},
  examples: ['disclosure registry pending --json'],
  async run(env) {
    const changes = await pendingRecipientChanges({ store: await env.store() });
    const text = changes.length === 0 ? 'no recipient changes pending' : changes.map((c) => `${c.id}  ${c.recipient.id}  ${c.changed.join(',')}  by ${c.proposedBy.name} at ${when(c.proposedAt, env.config.timeZone)}`).join('\n');
    return { json: { changes }, text };
  },
};

export const registryApprove: Command = {
  name: 'registry approve',
  summary: 'put a proposed recipient change in force; never by the person who proposed it',
  positionals: ['ID'],
  options: { ...AS },
  examples: ['disclosure registry approve RC-000001 --as staff:abe'],
  async run(env, v, positionals) {
    const change = await approveRecipientChange(await registryContext(env), oneId(positionals), operator(v));
    return { json: change, text: `${change.id} approved by ${change.decidedBy?.name ?? ''}: ${change.recipient.id} is in force` };
  },
};

export const registryReject: Command = {
  name: 'registry reject',
  summary: 'reject a proposed recipient change; the recipient in force stays as it was',
  positionals: ['ID'],
  options: { reason: { type: 'string', value: 'TEXT', required: true, description: 'why, for the record' }, ...AS },
  examples: ['disclosure registry reject RC-000001 --reason "メールアドレスを販売店に確認できない"'],
  async run(env, v, positionals) {
    const change = await rejectRecipientChange(await registryContext(env), oneId(positionals), { reason: v.reason }, operator(v));
    return { json: change, text: `${change.id} rejected by ${change.decidedBy?.name ?? ''}` };
  },
};

export const consentGrant: Command = {
  name: 'consent grant',
  summary: "record a customer's consent to disclosure to one recipient for one purpose",
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    recipient: { type: 'string', value: 'R', required: true, description: 'recipient id' },
    purpose: { type: 'string', value: 'P', required: true, description: 'purpose, e.g. catalog-request' },
    'notice-version': { type: 'string', value: 'V', required: true, description: 'version of the notice the customer saw' },
    channel: { type: 'string', value: 'C', description: 'web-form (default), app, paper, phone, in-person' },
    'granted-at': { type: 'string', value: 'ISO', description: "when it was given, if earlier (recorded as claimed; within the policy's consentBackdateDays)" },
    evidence: { type: 'string', value: 'REF', description: 'where the evidence is kept (required with --granted-at)' },
    ...AS,
  },
  examples: ['disclosure consent grant --subject C-1001 --recipient R-DEALER-1 --purpose catalog-request --notice-version 2026-04'],
  async run(env, v) {
    const consent = await grantConsent(
      await registryContext(env),
      {
        subject: v.subject,
        recipient: v.recipient,
        purpose: v.purpose,
        noticeVersion: v['notice-version'],
        channel: v.channel,
        grantedAt: v['granted-at'],
        evidenceRef: v.evidence,
      },
      operator(v),
    );
    return { json: consent, text: `consent ${consent.id} recorded` };
  },
};

export const consentWithdraw: Command = {
  name: 'consent withdraw',
  summary: 'withdraw a consent; disclosures in flight on it that have not sent are cancelled',
  options: { consent: { type: 'string', value: 'C', required: true, description: 'consent id' }, ...AS },
  examples: ['disclosure consent withdraw --consent CN-000001'],
  async run(env, v) {
    const { consent, cancelled, notices } = await withdrawConsent(await env.context(), str(v.consent)!, operator(v));
    const note = cancelled.length > 0 ? `; cancelled in flight: ${cancelled.join(', ')}` : '';
    const told = notices.notices.length > 0 ? `\n${describeNotices(notices)}` : '';
    return { json: { consent, cancelled, notices }, text: `consent ${consent.id} withdrawn at ${consent.withdrawnAt === undefined ? '' : when(consent.withdrawnAt, env.config.timeZone)}${note}${told}` };
  },
};

export const seed: Command = {
  name: 'seed',
  summary: 'load a small realistic demo data set (customers, dealers, contractors, an authority, consents)',
  options: { demo: { type: 'boolean', required: true, description: 'the built-in demo data set' } },
  examples: ['disclosure seed --demo'],
  async run(env) {
    const summary = await seedDemo({ store: await env.store(), clock: () => new Date(), policyPath: env.config.policyPath });
    return {
      json: summary,
      text: `demo data: ${summary.subjects.length} customers, ${summary.recipients.length} recipients, ${summary.consents.length} consents`,
    };
  },
};
