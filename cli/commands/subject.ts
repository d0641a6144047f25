import os from 'node:os';
import type { Actor } from '../../domain/actor';
import type { NoticesStarted } from '../../service/notices';
import { eraseSubject, rectifySubject } from '../../service/notices';
import type { Command } from '../command';
import { readJsonFile } from '../read-json';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** From the command line the operator acts, `staff:<login>` unless `--as` names the staff member. */
const operator = (v: Record<string, unknown>): Actor => ({ name: str(v.as) ?? `staff:${os.userInfo().username}`, via: 'cli' });

/** One line per recipient told, item names only: the values stay out of the terminal and its logs. */
export function describeNotices(n: NoticesStarted): string {
  if (n.notices.length === 0) return 'no recipient holds the affected items: no notice sent';
  return [`notices ${n.batchId ?? ''} (${n.cause}) to ${n.notices.length} recipient(s):`, ...n.notices.map((x) => `  ${x.noticeId}  ${x.recipientName}: ${x.items.join(', ')} (refers to ${x.disclosureIds.join(', ')})`)].join('\n');
}

export const subjectUpdate: Command = {
  name: 'subject update',
  summary: "rectify a customer's file and tell the recipients that hold a changed item its new value",
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    file: { type: 'string', value: 'F', required: true, description: 'JSON object with the items to change (null removes an optional item)' },
    as: { type: 'string', value: 'STAFF', description: 'who rectifies (default staff:<login>)' },
  },
  examples: ['disclosure subject update --subject C-1001 --file new-address.json'],
  async run(env, v) {
    const changes = await readJsonFile(str(v.file)!);
    const out = await rectifySubject(await env.context(), { subject: v.subject, changes }, operator(v));
    const text = out.changed.length === 0 ? `${out.subjectId}: nothing changed` : `${out.subjectId}: rectified ${out.changed.join(', ')}\n${describeNotices(out)}`;
    return { json: out, text };
  },
};

export const subjectErase: Command = {
  name: 'subject erase',
  summary: "erase a customer's file on request and ask every recipient that holds their data to delete it",
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    as: { type: 'string', value: 'STAFF', description: 'who erases (default staff:<login>)' },
  },
  examples: ['disclosure subject erase --subject C-1001'],
  async run(env, v) {
    const out = await eraseSubject(await env.context(), { subject: v.subject }, operator(v));
    const cancelled = out.cancelled.length > 0 ? `\ncancelled in flight: ${out.cancelled.join(', ')}` : '';
    return { json: out, text: `${out.subjectId}: erased from the registry${cancelled}\n${describeNotices(out)}` };
  },
};
