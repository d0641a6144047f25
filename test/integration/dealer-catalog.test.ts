import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { InputError } from '../../service/errors';
import { grantConsent, withdrawConsent } from '../../service/registry';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { dealerOsaka, dealerTokyo, hanako, taro, testRegistrar } from '../support/fixtures';
import { readMessages, waitForMessages } from '../support/mailbox';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo, dealerOsaka]);
});
afterAll(() => h.stop());

const consentFor = (subject: string, recipient: string) =>
  grantConsent(h.ctx, { subject, recipient, purpose: 'catalog-request', noticeVersion: 'notice-2026-04', channel: 'web-form' }, testRegistrar);

const request = (over: Record<string, unknown> = {}) => ({
  subjectId: hanako.id,
  dealerId: dealerTokyo.id,
  catalog: 'Prius 2026',
  requestedBy: 'staff:ito',
  ...over,
});

/** Waits until the workflow holds before dispatch: consent checked once, message staged, not sent. */
const waitUntilHolding = async (id: string) => {
  for (let i = 0; i < 100; i++) {
    if ((await disclosureStatus(h.ctx, id)).step === 'holding before dispatch') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${id} never reached the dispatch hold`);
};

const CATALOG_JA = 'カタログ送付のため、お客様が選択された販売店へ提供';

const attachmentJson = (mail: { attachments: { filename?: string; content: Buffer }[] }) => {
  const att = mail.attachments.find((a) => a.filename === 'handoff.json');
  if (att === undefined) throw new Error('handoff.json missing');
  return { text: att.content.toString('utf8'), json: JSON.parse(att.content.toString('utf8')) as Record<string, unknown> };
};

describe('dealer catalog handoff, through Temporal and SMTP', () => {
  test('given consent, exactly one email with only the policy fields reaches the dealer, and one record', async () => {
    const consent = await consentFor(hanako.id, dealerTokyo.id);
    const started = await requestDealerCatalog(h.ctx, request({ consentId: consent.id }));
    const result = await waitForDisclosure(h.ctx, started.id);

    expect(result).toMatchObject({ status: 'delivered', fields: ['name', 'email'] });
    const mails = await waitForMessages(h.catcher.mailboxDir, dealerTokyo.email, 1);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.messageId).toBe(`<${started.id}@disclosure.engine>`);
    const { text, json } = attachmentJson(mail);
    expect(json.subjects).toEqual([{ name: hanako.name, email: hanako.email }]);
    expect(json.provider).toMatchObject({ name: expect.any(String), address: expect.any(String), representative: { title: '代表取締役社長', name: expect.any(String) }, acquisition: expect.any(String) });
    expect(json.art30Record).toMatchObject({
      receivedOn: (json.issuedAt as string).slice(0, 10),
      provider: { name: (json.provider as { name: string }).name, address: (json.provider as { address: string }).address, representative: { title: '代表取締役社長' } },
      acquisition: (json.provider as { acquisition: string }).acquisition,
      items: ['name', 'email'],
      consent: { consentId: consent.id, noticeVersion: 'notice-2026-04', statement: expect.stringContaining('本人の同意を得ている') },
    });
    expect(mail.text).toMatch(/第1号 代表者の氏名 \/ Representative: 代表取締役社長 \S+ \S+/);
    expect(json.basis).toMatchObject({ type: 'consent', consentId: consent.id, noticeVersion: 'notice-2026-04' });
    expect(json).toMatchObject({ purpose: 'catalog-request', purposeStatement: { ja: CATALOG_JA, en: expect.stringContaining('dealer you selected') } });
    expect(mail.text).toContain(`目的 / Purpose: ${CATALOG_JA} / `);
    expect(mail.text).not.toContain('Purpose: catalog-request');
    const whole = `${mail.text ?? ''}\n${text}`;
    for (const absent of [hanako.birthDate!, hanako.gender!, hanako.address!, hanako.phone!, hanako.postalCode!, hanako.nameKana!]) {
      expect(whole).not.toContain(absent);
    }

    const records = await h.store.listRecords({ disclosureId: started.id });
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({
      outcome: 'delivered',
      items: ['name', 'email'],
      subjectIds: [hanako.id],
      recipient: { id: dealerTokyo.id, name: dealerTokyo.name, address: dealerTokyo.address },
      basis: { type: 'consent', consentId: consent.id },
      workflowId: started.workflowId,
      requestedBy: 'staff:ito',
      messageId: mail.messageId,
    });
    expect(record.policy.version).toBe(JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8')).version);
    expect(record.purpose).toBe('catalog-request');
    expect(record.purposeStatement?.ja).toBe(CATALOG_JA);
    expect(record.runId).toMatch(/./);
    expect(record.payloadDigest).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
  });

  test('in-person handover with phone contact sends name, phone, postal code and address, nothing else', async () => {
    const consent = await consentFor(taro.id, dealerOsaka.id);
    const started = await requestDealerCatalog(
      h.ctx,
      request({ subjectId: taro.id, dealerId: dealerOsaka.id, consentId: consent.id, contact: 'phone', handover: 'in-person' }),
    );
    const result = await waitForDisclosure(h.ctx, started.id);
    expect(result).toMatchObject({ status: 'delivered', fields: ['name', 'phone', 'postalCode', 'address'] });
    const mails = await waitForMessages(h.catcher.mailboxDir, dealerOsaka.email, 1);
    const { json } = attachmentJson(mails[0]!);
    expect(json.subjects).toEqual([{ name: taro.name, phone: taro.phone, postalCode: taro.postalCode, address: taro.address }]);
    expect(mails[0]!.text).not.toContain(taro.email!);
    expect(mails[0]!.text).not.toContain(taro.birthDate!);
  });

  describe('refusals: nothing is sent and the refusal is recorded', () => {
    const expectRefused = async (startedId: string, code: string) => {
      const result = await waitForDisclosure(h.ctx, startedId);
      expect(result.status).toBe('refused');
      expect(result.reason?.code).toBe(code);
      expect(result.fields).toEqual([]);
      const records = await h.store.listRecords({ disclosureId: startedId });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ outcome: 'refused', items: [], refusal: { code } });
      expect(records[0]!.payloadDigest).toBeUndefined();
    };

    const mailCount = async () => (await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).length;

    test('no consent on file', async () => {
      const before = await mailCount();
      const started = await requestDealerCatalog(h.ctx, request({ subjectId: taro.id }));
      await expectRefused(started.id, 'consent-missing');
      expect(await mailCount()).toBe(before);
    });

    test('a consent given for another dealer', async () => {
      const before = await mailCount();
      const other = await consentFor(taro.id, dealerOsaka.id);
      const started = await requestDealerCatalog(h.ctx, request({ subjectId: taro.id, consentId: other.id }));
      await expectRefused(started.id, 'consent-other-recipient');
      expect(await mailCount()).toBe(before);
    });

    test('a withdrawn consent', async () => {
      const before = await mailCount();
      const consent = await consentFor(hanako.id, dealerTokyo.id);
      await withdrawConsent(h.ctx, consent.id, testRegistrar);
      const started = await requestDealerCatalog(h.ctx, request({ consentId: consent.id }));
      await expectRefused(started.id, 'consent-withdrawn');
      expect(await mailCount()).toBe(before);
    });

    test('consent withdrawn after the request started, caught by the check right before sending', async () => {
      const before = await mailCount();
      const consent = await consentFor(hanako.id, dealerTokyo.id);
      const started = await requestDealerCatalog(h.ctx, request({ consentId: consent.id }), { dispatchDelayMs: 2_000 });
      await waitUntilHolding(started.id);
      // Withdrawn straight in the registry: no signal reaches the workflow, only the re-check can stop it.
      await h.store.withdrawConsent(consent.id, new Date().toISOString());
      await expectRefused(started.id, 'consent-withdrawn');
      expect(await mailCount()).toBe(before);
      // The message staged before the hold is dropped, not left waiting in the outbox.
      expect(await h.store.getHandoff(started.id)).toMatchObject({ raw: null, sentAt: null });
    });
  });

  test('withdrawing through the engine cancels a disclosure in flight, and the cancellation is recorded', async () => {
    const before = (await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).length;
    const consent = await consentFor(hanako.id, dealerTokyo.id);
    const started = await requestDealerCatalog(h.ctx, request({ consentId: consent.id }), { dispatchDelayMs: 30_000 });
    await waitUntilHolding(started.id);
    const { cancelled } = await withdrawConsent(h.ctx, consent.id, testRegistrar);
    expect(cancelled).toEqual([started.id]);
    const result = await waitForDisclosure(h.ctx, started.id);
    expect(result).toMatchObject({ status: 'cancelled', reason: { code: 'consent-withdrawn' } });
    expect(await h.store.listRecords({ disclosureId: started.id })).toEqual([
      expect.objectContaining({ outcome: 'cancelled', items: [] }),
    ]);
    expect((await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).length).toBe(before);
  });

  test('bad input starts nothing and writes nothing', async () => {
    const recordsBefore = (await h.store.listRecords()).length;
    await expect(requestDealerCatalog(h.ctx, request({ subjectId: 'C-NOPE' }))).rejects.toThrow(InputError);
    await expect(requestDealerCatalog(h.ctx, request({ dealerId: undefined }))).rejects.toThrow(/dealerId/);
    await expect(requestDealerCatalog(h.ctx, request({ contact: 'fax' }))).rejects.toThrow(/contact/);
    expect((await h.store.listRecords()).length).toBe(recordsBefore);
    expect((await h.store.listDisclosures({ subjectId: 'C-NOPE' })).length).toBe(0);
  });
});
