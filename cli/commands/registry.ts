import { addRecipients, addSubjects, grantConsent, withdrawConsent } from '../../service/registry';
import { seedDemo } from '../../service/demo';
import type { Command } from '../command';
import { when } from '../format';
import { readJsonFile } from '../read-json';
import { describeNotices } from './subject';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const subjectAdd: Command = {
  name: 'subject add',
  summary: 'add or update customers from a JSON file (one object or an array)',
  options: { file: { type: 'string', value: 'F', required: true, description: 'JSON file with the customer record(s)' } },
  examples: ['disclosure subject add --file customers.json'],
  async run(env, v) {
    const ids = await addSubjects({ store: await env.store() }, await readJsonFile(str(v.file)!));
    return { json: { added: ids }, text: `added or updated ${ids.length} customer(s): ${ids.join(', ')}` };
  },
};

export const recipientAdd: Command = {
  name: 'recipient add',
  summary: 'add or update recipients (dealer, carrier, survey-firm, authority) from a JSON file',
  options: { file: { type: 'string', value: 'F', required: true, description: 'JSON file with the recipient record(s)' } },
  examples: ['disclosure recipient add --file carrier.json'],
  async run(env, v) {
    const ids = await addRecipients({ store: await env.store() }, await readJsonFile(str(v.file)!));
    return { json: { added: ids }, text: `added or updated ${ids.length} recipient(s): ${ids.join(', ')}` };
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
    'granted-at': { type: 'string', value: 'ISO', description: 'when it was given (default now)' },
  },
  examples: ['disclosure consent grant --subject C-1001 --recipient R-DEALER-1 --purpose catalog-request --notice-version 2026-04'],
  async run(env, v) {
    const consent = await grantConsent(
      { store: await env.store(), clock: () => new Date() },
      {
        subject: v.subject,
        recipient: v.recipient,
        purpose: v.purpose,
        noticeVersion: v['notice-version'],
        channel: v.channel,
        grantedAt: v['granted-at'],
      },
    );
    return { json: consent, text: `consent ${consent.id} recorded` };
  },
};

export const consentWithdraw: Command = {
  name: 'consent withdraw',
  summary: 'withdraw a consent; disclosures in flight on it that have not sent are cancelled',
  options: { consent: { type: 'string', value: 'C', required: true, description: 'consent id' } },
  examples: ['disclosure consent withdraw --consent CN-000001'],
  async run(env, v) {
    const { consent, cancelled, notices } = await withdrawConsent(await env.context(), str(v.consent)!);
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
    const summary = await seedDemo({ store: await env.store(), clock: () => new Date() });
    return {
      json: summary,
      text: `demo data: ${summary.subjects.length} customers, ${summary.recipients.length} recipients, ${summary.consents.length} consents`,
    };
  },
};
