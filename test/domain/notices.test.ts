import type { NoticeFacts } from '../../domain/notices';
import { changedItems, noticesTold, planNotices } from '../../domain/notices';
import type { DisclosureRecord, DisclosureRecordInput } from '../../domain/record';
import type { RecipientSnapshot } from '../../domain/registry';
import { buildRecord, GENESIS_HASH } from '../../store/chain';
import { dealer, recordInput } from '../ledger/records';

function ledger(inputs: DisclosureRecordInput[]): DisclosureRecord[] {
  const out: DisclosureRecord[] = [];
  for (const input of inputs) out.push(buildRecord(input, out.length + 1, input.occurredAt, out[out.length - 1]?.hash ?? GENESIS_HASH));
  return out;
}

const osaka: RecipientSnapshot = { id: 'R-DEALER-OSAKA', kind: 'dealer', name: '大阪トヨタ', address: '大阪府', email: 'catalog@dealer-osaka.test' };
const carrier: RecipientSnapshot = { id: 'R-CARRIER-1', kind: 'carrier', name: '運輸', address: '東京都', email: 'handoff@carrier.test' };
const police: RecipientSnapshot = { id: 'R-POLICE', kind: 'authority', name: '警視庁', address: '東京都', email: 'inquiry@police.test' };
const consent = (consentId: string) => ({ type: 'consent' as const, consentId, noticeVersion: 'n-1', channel: 'web-form' as const, grantedAt: '2026-04-01T00:00:00.000Z' });
const contract = { type: 'entrustment' as const, contractId: 'K-1', validTo: '2027-12-31', instructions: '配送のみ', lastSupervisionCheck: '2026-09-30' };

/**
 * One customer, C-1001, and what went where:
 *  D-1 Tokyo dealer, name+email, consent CN-1        D-2 Tokyo dealer, name+phone, consent CN-1
 *  D-3 Osaka dealer, name+email, consent CN-2        D-4 carrier, name+postalCode+address (deletion confirmed)
 *  D-5 carrier, name+address (not yet deleted)       D-6 police, name+address+phone (Art. 27(1))
 *  D-7 Osaka dealer, refused (nothing went)          D-8 Tokyo dealer, email, another customer only
 */
const INPUTS: DisclosureRecordInput[] = [
  recordInput(1, { basis: consent('CN-1'), items: ['name', 'email'] }),
  recordInput(2, { basis: consent('CN-1'), items: ['name', 'phone'] }),
  recordInput(3, { recipient: osaka, basis: consent('CN-2'), items: ['name', 'email'] }),
  recordInput(4, { kind: 'shipping', recipient: carrier, basis: contract, items: ['name', 'postalCode', 'address'] }),
  recordInput(5, { kind: 'shipping', recipient: carrier, basis: contract, items: ['name', 'address'] }),
  recordInput(6, { kind: 'legal', recipient: police, basis: undefined, items: ['name', 'address', 'phone'] }),
  recordInput(7, { recipient: osaka, basis: consent('CN-3'), outcome: 'refused', items: [] }),
  recordInput(8, { subjectIds: ['C-2002'], basis: consent('CN-9'), items: ['email'] }),
  recordInput(9, { idempotencyKey: 'D-4:deletion', entryType: 'deletion-confirmation', disclosureId: 'D-4', kind: 'shipping', recipient: carrier, basis: contract, items: ['name', 'postalCode', 'address'] }),
];

const facts = (inputs = INPUTS, withdrawn: string[] = []): NoticeFacts => ({ subjectId: 'C-1001', records: ledger(inputs), withdrawnConsentIds: new Set(withdrawn) });
const summary = (f: NoticeFacts, cause: Parameters<typeof planNotices>[1]) =>
  planNotices(f, cause).map((n) => ({ to: n.recipient.id, items: n.items, refersTo: n.disclosureIds, consents: n.consentIds }));

describe('who is told what', () => {
  test('given a changed email, when planning a rectification, then only the dealers that received the email are told, of the email only', () => {
    expect(summary(facts(), { type: 'rectification', items: ['email'] })).toEqual([
      { to: 'R-DEALER-OSAKA', items: ['email'], refersTo: ['D-3'], consents: ['CN-2'] },
      { to: 'R-DEALER-TOKYO', items: ['email'], refersTo: ['D-1'], consents: ['CN-1'] },
    ]);
  });

  test('given a changed address and phone, then the carrier that still holds the address and the dealer that got the phone; never the police, never the carrier that deleted', () => {
    expect(summary(facts(), { type: 'rectification', items: ['phone', 'address'] })).toEqual([
      { to: 'R-CARRIER-1', items: ['address'], refersTo: ['D-5'], consents: [] },
      { to: 'R-DEALER-TOKYO', items: ['phone'], refersTo: ['D-2'], consents: ['CN-1'] },
    ]);
  });

  test('given a changed birth date nobody received, then nobody is told', () => {
    expect(planNotices(facts(), { type: 'rectification', items: ['birthDate'] })).toEqual([]);
  });

  test('given consent CN-1 withdrawn, then a rectification sends no new value to the Tokyo dealer', () => {
    expect(summary(facts(INPUTS, ['CN-1']), { type: 'rectification', items: ['name'] })).toEqual([
      { to: 'R-CARRIER-1', items: ['name'], refersTo: ['D-5'], consents: [] },
      { to: 'R-DEALER-OSAKA', items: ['name'], refersTo: ['D-3'], consents: ['CN-2'] },
    ]);
  });

  test('given an erasure, then every recipient that still holds data is asked to delete all of it, grouped per recipient in field order', () => {
    expect(summary(facts(), { type: 'erasure' })).toEqual([
      { to: 'R-CARRIER-1', items: ['name', 'address'], refersTo: ['D-5'], consents: [] },
      { to: 'R-DEALER-OSAKA', items: ['name', 'email'], refersTo: ['D-3'], consents: ['CN-2'] },
      { to: 'R-DEALER-TOKYO', items: ['name', 'email', 'phone'], refersTo: ['D-1', 'D-2'], consents: ['CN-1'] },
    ]);
  });

  test('given consent CN-1 withdrawn after delivery, then only the deliveries under CN-1 are asked to stop and delete', () => {
    expect(summary(facts(), { type: 'withdrawal', consentId: 'CN-1' })).toEqual([
      { to: 'R-DEALER-TOKYO', items: ['name', 'email', 'phone'], refersTo: ['D-1', 'D-2'], consents: ['CN-1'] },
    ]);
    expect(planNotices(facts(), { type: 'withdrawal', consentId: 'CN-3' })).toEqual([]);
  });

  test('given the Tokyo dealer was already asked to delete (withdrawal notice sent), then a later rectification or erasure does not go to it again', () => {
    const asked = recordInput(10, {
      idempotencyKey: 'N-1.R-DEALER-TOKYO',
      entryType: 'recipient-notice',
      disclosureId: 'N-1.R-DEALER-TOKYO',
      items: ['name', 'email', 'phone'],
      details: { cause: 'withdrawal', refersTo: 'D-1,D-2', consentId: 'CN-1' },
    });
    const f = facts([...INPUTS, asked]);
    expect(summary(f, { type: 'rectification', items: ['email'] }).map((n) => n.to)).toEqual(['R-DEALER-OSAKA']);
    expect(summary(f, { type: 'erasure' }).map((n) => n.to)).toEqual(['R-CARRIER-1', 'R-DEALER-OSAKA']);
  });

  test('given consent CN-1 withdrawn (its withdrawal notice still on its way), then an erasure asks the others only; once that notice failed, the erasure asks Tokyo too', () => {
    expect(summary(facts(INPUTS, ['CN-1']), { type: 'erasure' }).map((n) => n.to)).toEqual(['R-CARRIER-1', 'R-DEALER-OSAKA']);
    const failed = recordInput(12, {
      idempotencyKey: 'N-2.R-DEALER-TOKYO',
      entryType: 'recipient-notice',
      disclosureId: 'N-2.R-DEALER-TOKYO',
      outcome: 'failed',
      details: { cause: 'withdrawal', refersTo: 'D-1,D-2', consentId: 'CN-1' },
    });
    expect(summary(facts([...INPUTS, failed], ['CN-1']), { type: 'erasure' }).map((n) => [n.to, n.refersTo])).toEqual([
      ['R-CARRIER-1', ['D-5']],
      ['R-DEALER-OSAKA', ['D-3']],
      ['R-DEALER-TOKYO', ['D-1', 'D-2']],
    ]);
  });

  test('a correction that narrowed a delivery counts as corrected: a dealer whose record lost the email is not told of an email change', () => {
    const corrected = recordInput(11, { idempotencyKey: 'correction:R-00000003', entryType: 'correction', disclosureId: 'D-3', recipient: osaka, basis: consent('CN-2'), items: ['name'], corrects: 'R-00000003' });
    expect(summary(facts([...INPUTS, corrected]), { type: 'rectification', items: ['email'] }).map((n) => n.to)).toEqual(['R-DEALER-TOKYO']);
  });

  test('changed items: values that differ, including an item removed', () => {
    expect(changedItems({ name: 'a', email: 'x@y', phone: '090' }, { name: 'a', email: 'z@y' })).toEqual(['email', 'phone']);
    expect(changedItems({ name: 'a' }, { name: 'a' })).toEqual([]);
  });
});

describe('what the customer learns of the notices (GDPR Art. 19, last sentence)', () => {
  const notice = (n: number, entryType: DisclosureRecordInput['entryType'], occurredAt: string, over: Partial<DisclosureRecordInput> = {}) =>
    recordInput(n, { idempotencyKey: `N-1.R-DEALER-TOKYO:${n}`, entryType, disclosureId: 'N-1.R-DEALER-TOKYO', items: ['email'], occurredAt, details: { cause: 'rectification', refersTo: 'D-1' }, ...over });

  test('sent, reminded twice, escalated once and confirmed, as of a date; a failed notice is not listed as told', () => {
    const records = ledger([
      ...INPUTS,
      notice(20, 'recipient-notice', '2026-06-01T00:00:00.000Z'),
      notice(21, 'recipient-notice-reminder', '2026-06-15T00:00:00.000Z', { items: [] }),
      notice(22, 'recipient-notice-reminder', '2026-06-22T00:00:00.000Z', { items: [] }),
      notice(23, 'recipient-notice-escalation', '2026-06-22T00:00:01.000Z', { items: [] }),
      notice(24, 'recipient-notice-confirmation', '2026-06-23T00:00:00.000Z', { items: [] }),
      notice(25, 'recipient-notice', '2026-06-01T00:00:00.000Z', { disclosureId: 'N-1.R-DEALER-OSAKA', recipient: osaka, outcome: 'failed' }),
    ]);
    expect(noticesTold('C-1001', records, new Date('2026-07-01T00:00:00.000Z'))).toEqual([
      {
        noticeId: 'N-1.R-DEALER-TOKYO',
        cause: 'rectification',
        recipient: { id: dealer.id, name: dealer.name },
        items: ['email'],
        sentAt: '2026-06-01T00:00:00.000Z',
        confirmedAt: '2026-06-23T00:00:00.000Z',
        reminders: 2,
        escalated: true,
      },
    ]);
    const early = noticesTold('C-1001', records, new Date('2026-06-16T00:00:00.000Z'));
    expect(early.map((t) => [t.noticeId, t.reminders, t.escalated, t.confirmedAt])).toEqual([['N-1.R-DEALER-TOKYO', 1, false, undefined]]);
    expect(noticesTold('C-2002', records, new Date('2026-07-01T00:00:00.000Z'))).toEqual([]);
  });
});
