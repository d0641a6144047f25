import { testRegistrar } from '../support/fixtures';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { confirmDeletion, waitForHandoff } from '../../service/deletion';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { InputError } from '../../service/errors';
import { addRecipients } from '../../service/registry';
import { requestShipping } from '../../service/shipping';
import { carrier, customer, isoDay } from '../support/entrustment-fixtures';
import type { Harness } from '../support/harness';
import { POLICY_PATH, startHarness } from '../support/harness';
import { readMessages, waitForMessages } from '../support/mailbox';

const PRIVACY_OFFICE = 'privacy-office@provider.test';
const NO_REMINDERS = { deletionDueInMs: 3_600_000 };
const PHONE_CARRIER = 'R-CARRIER-PHONE';

let h: Harness;
let policyDir: string;

/** The real policy file, plus one carrier the policy says needs the phone number. */
async function policyWithPhoneCarrier(): Promise<string> {
  policyDir = await mkdtemp(path.join(os.tmpdir(), 'shipping-policy-'));
  const policy = JSON.parse(await readFile(POLICY_PATH, 'utf8')) as { kinds: { shipping: { recipientOptions: Record<string, unknown> } } };
  policy.kinds.shipping.recipientOptions = { [PHONE_CARRIER]: { phone: 'required' } };
  const file = path.join(policyDir, 'policy.json');
  await writeFile(file, JSON.stringify(policy));
  return file;
}

beforeAll(async () => {
  h = await startHarness({ policyPath: await policyWithPhoneCarrier() });
});
afterAll(async () => {
  await h.stop();
  await rm(policyDir, { recursive: true, force: true });
});

let n = 0;
async function setUp(carrierId: string, contract: Parameters<typeof carrier>[1] = {}) {
  const c = carrier(carrierId, contract);
  const subject = customer('SHIP', ++n);
  await h.store.putRecipients([c]);
  await h.store.putSubjects([subject]);
  return { c, subject };
}
const shipment = (subjectId: string, carrierId: string) => ({ subjectId, carrierId, shipmentRef: `SHP-${n}`, requestedBy: 'staff:sato' });

const attachmentJson = (mail: { attachments: { filename?: string; content: Buffer }[] }) => {
  const att = mail.attachments.find((a) => a.filename === 'handoff.json');
  if (att === undefined) throw new Error('handoff.json missing');
  return { bytes: att.content, json: JSON.parse(att.content.toString('utf8')) as Record<string, unknown> };
};

describe('shipping data to a contracted carrier, through Temporal and SMTP', () => {
  test('sends name, postal code and address only, records it, and records the deletion confirmation', async () => {
    const { c, subject } = await setUp('R-CARRIER-PLAIN');
    const started = await requestShipping(h.ctx, shipment(subject.id, c.id), NO_REMINDERS);
    const view = await waitForHandoff(h.ctx, started.id);
    expect(view).toMatchObject({ status: 'delivered', step: 'awaiting deletion confirmation', fields: ['name', 'postalCode', 'address'] });

    const mails = await waitForMessages(h.catcher.mailboxDir, c.email, 1);
    expect(mails).toHaveLength(1);
    const { bytes, json } = attachmentJson(mails[0]!);
    expect(json.subjects).toEqual([{ name: subject.name, postalCode: subject.postalCode, address: subject.address }]);
    expect(json.instructions).toBe(c.contract!.instructions);
    expect(json.basis).toMatchObject({ type: 'entrustment', contractId: c.contract!.id });
    const whole = `${mails[0]!.text ?? ''}\n${bytes.toString('utf8')}`;
    for (const absent of [subject.phone!, subject.email!, subject.birthDate!, subject.nameKana!, subject.vehicleModel!]) expect(whole).not.toContain(absent);

    const [record] = await h.store.listRecords({ disclosureId: started.id });
    expect(record).toMatchObject({
      entryType: 'disclosure',
      outcome: 'delivered',
      kind: 'shipping',
      subjectIds: [subject.id],
      items: ['name', 'postalCode', 'address'],
      purpose: 'delivery',
      basis: { type: 'entrustment', contractId: c.contract!.id },
      details: { shipmentRef: `SHP-${n}`, phone: 'not-required' },
    });
    expect(record!.payloadDigest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);

    const confirmed = await confirmDeletion(h.ctx, { disclosureId: started.id, by: '運輸株式会社 配送管理課' });
    expect(await waitForDisclosure(h.ctx, started.id, { until: 'settled' })).toMatchObject({ status: 'delivered', deletion: { recordId: confirmed.deletion.recordId } });
    const entries = await h.store.listRecords({ disclosureId: started.id });
    expect(entries.map((r) => [r.entryType, r.idempotencyKey])).toEqual([
      ['disclosure', started.id],
      ['deletion-confirmation', `${started.id}:deletion`],
    ]);
  });

  test('a carrier the policy names as needing it also gets the phone number', async () => {
    const { c, subject } = await setUp(PHONE_CARRIER);
    const started = await requestShipping(h.ctx, shipment(subject.id, c.id), NO_REMINDERS);
    expect(await waitForHandoff(h.ctx, started.id)).toMatchObject({ status: 'delivered', fields: ['name', 'phone', 'postalCode', 'address'] });
    const [mail] = await waitForMessages(h.catcher.mailboxDir, c.email, 1);
    expect(attachmentJson(mail!).json.subjects).toEqual([{ name: subject.name, phone: subject.phone, postalCode: subject.postalCode, address: subject.address }]);
    expect(mail!.text).not.toContain(subject.email!);
  });

  describe('refusals: nothing is sent and the refusal is recorded', () => {
    const expectRefused = async (id: string, email: string, code: string) => {
      expect(await waitForDisclosure(h.ctx, id)).toMatchObject({ status: 'refused', reason: { code }, fields: [] });
      const records = await h.store.listRecords({ disclosureId: id });
      expect(records).toEqual([expect.objectContaining({ outcome: 'refused', items: [], refusal: expect.objectContaining({ code }) })]);
      expect(await readMessages(h.catcher.mailboxDir, email)).toHaveLength(0);
    };

    test('an expired contract', async () => {
      const { c, subject } = await setUp('R-CARRIER-EXPIRED', { validFrom: isoDay(-400), validTo: isoDay(-1) });
      await expectRefused((await requestShipping(h.ctx, shipment(subject.id, c.id))).id, c.email, 'contract-not-in-force');
    });

    test('an overdue supervision check', async () => {
      const { c, subject } = await setUp('R-CARRIER-UNSUPERVISED', { lastSupervisionCheck: isoDay(-181) });
      await expectRefused((await requestShipping(h.ctx, shipment(subject.id, c.id))).id, c.email, 'supervision-overdue');
    });

    test('no contract: a carrier cannot be registered without one, nor can another kind of recipient be named', async () => {
      const { contract: _omitted, ...bare } = carrier('R-CARRIER-BARE');
      await expect(addRecipients(h.ctx, bare, testRegistrar)).rejects.toThrow(/contract/);
      const subject = customer('SHIP', ++n);
      await h.store.putSubjects([subject]);
      await h.store.putRecipients([{ id: 'R-AUTH-X', kind: 'authority', name: '警察署', address: '東京都', email: 'police-x@police.test' }]);
      await expect(requestShipping(h.ctx, shipment(subject.id, 'R-AUTH-X'))).rejects.toThrow(/carrier: R-AUTH-X is a authority, not a carrier/);
      expect(await h.store.listRecords({ subjectId: subject.id })).toEqual([]);
    });

    test('a customer without the address on file: nothing is sent and the failure is recorded', async () => {
      const c = carrier('R-CARRIER-NOADDR');
      const { address: _none, ...subject } = customer('SHIP', ++n);
      await h.store.putRecipients([c]);
      await h.store.putSubjects([subject]);
      const id = (await requestShipping(h.ctx, shipment(subject.id, c.id))).id;
      expect(await waitForDisclosure(h.ctx, id)).toMatchObject({ status: 'failed', reason: { code: 'subject-data-missing' } });
      expect(await readMessages(h.catcher.mailboxDir, c.email)).toHaveLength(0);
    });
  });

  test('a contract terminated while the shipment is held is caught right before sending', async () => {
    const { c, subject } = await setUp('R-CARRIER-TERMINATED');
    const started = await requestShipping(h.ctx, shipment(subject.id, c.id), { ...NO_REMINDERS, dispatchDelayMs: 1_500 });
    for (let i = 0; (await disclosureStatus(h.ctx, started.id)).step !== 'holding before dispatch'; i++) {
      if (i > 200) throw new Error('never reached the hold');
      await new Promise((r) => setTimeout(r, 50));
    }
    await h.store.putRecipients([{ ...c, contract: { ...c.contract!, validFrom: isoDay(-400), validTo: isoDay(-1) } }]);
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({ status: 'refused', reason: { code: 'contract-not-in-force' } });
    expect(await h.store.listRecords({ disclosureId: started.id })).toEqual([expect.objectContaining({ outcome: 'refused' })]);
    expect(await readMessages(h.catcher.mailboxDir, c.email)).toHaveLength(0);
  });

  test('an overdue deletion confirmation is chased and escalated, then recorded when it comes', async () => {
    const { c, subject } = await setUp('R-CARRIER-SLOW');
    const officeBefore = (await readMessages(h.catcher.mailboxDir, PRIVACY_OFFICE)).length;
    const started = await requestShipping(h.ctx, shipment(subject.id, c.id), { deletionDueInMs: 200, reminderIntervalMs: 700, escalateAfterReminders: 1 });
    const mails = await waitForMessages(h.catcher.mailboxDir, c.email, 2, 20_000);
    expect(mails[1]!.subject).toContain('Please confirm deletion');
    expect(mails[1]!.text).toContain(`shipment SHP-${n}`);
    expect(mails[1]!.text).not.toContain(subject.address!);
    await waitForMessages(h.catcher.mailboxDir, PRIVACY_OFFICE, officeBefore + 1, 20_000);
    await confirmDeletion(h.ctx, { disclosureId: started.id, by: 'carrier' });
    const result = await waitForDisclosure(h.ctx, started.id, { until: 'settled' });
    expect(result.deletion).toMatchObject({ escalated: true, confirmedBy: 'carrier' });
    const [, confirmation] = await h.store.listRecords({ disclosureId: started.id });
    expect(confirmation).toMatchObject({ entryType: 'deletion-confirmation', details: expect.objectContaining({ overdue: true }) });
  });

  test('bad input starts nothing', async () => {
    const { c, subject } = await setUp('R-CARRIER-INPUT');
    await expect(requestShipping(h.ctx, shipment('C-NOPE', c.id))).rejects.toThrow(/subject: no customer C-NOPE/);
    await expect(requestShipping(h.ctx, { ...shipment(subject.id, c.id), shipmentRef: '' })).rejects.toThrow(InputError);
    await expect(requestShipping(h.ctx, shipment(subject.id, 'R-NOBODY'))).rejects.toThrow(/carrier: no recipient R-NOBODY/);
    expect(await h.store.listDisclosures({ subjectId: subject.id })).toEqual([]);
  });
});
