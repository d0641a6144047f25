import { createMailer } from '../../infra/mailer';
import type { Mailer } from '../../infra/mailer';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { waitForDisclosure } from '../../service/disclosures';
import { grantConsent } from '../../service/registry';
import type { Store } from '../../store/store';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { dealerTokyo, hanako, testRegistrar } from '../support/fixtures';
import { listMailbox } from '../../infra/mail-catcher';
import { readFile } from 'node:fs/promises';

/**
 * Faults injected around real parts: the SMTP server really accepts the message, the database
 * really commits the record, and then the activity "crashes" before it can report success.
 * The proxy reads the harness's store lazily, once the harness exists.
 */
let h: Harness;
let failNextSendAfterAccept = false;
/** Run between the mail server accepting a message and the simulated crash (e.g. a withdrawal). */
let afterAccept: (() => Promise<void>) | undefined;
let failNextAppendAfterCommit = false;
let smtpUrl = '';

beforeAll(async () => {
  let mailer: Mailer | undefined;
  const lateStore = new Proxy({} as Store, {
    get: (_t, prop: keyof Store) => {
      if (prop === 'appendRecord') {
        return async (...args: Parameters<Store['appendRecord']>) => {
          const result = await h.store.appendRecord(...args);
          if (failNextAppendAfterCommit) {
            failNextAppendAfterCommit = false;
            throw new Error('simulated crash after the record was committed');
          }
          return result;
        };
      }
      const value = h.store[prop];
      return typeof value === 'function' ? value.bind(h.store) : value;
    },
  });
  const flakyMailer: Mailer = {
    async send(message) {
      mailer ??= createMailer({ smtpUrl });
      const result = await mailer.send(message);
      if (failNextSendAfterAccept) {
        failNextSendAfterAccept = false;
        await afterAccept?.();
        afterAccept = undefined;
        throw Object.assign(new Error('connection reset after DATA was accepted'), { code: 'ECONNRESET' });
      }
      return result;
    },
    close: () => mailer?.close(),
  };
  h = await startHarness({ store: lateStore, mailer: flakyMailer });
  smtpUrl = h.catcher.url;
  await h.store.putSubjects([hanako]);
  await h.store.putRecipients([dealerTokyo]);
});
afterAll(() => h.stop());

const start = async () => {
  const consent = await grantConsent(h.ctx, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1' }, testRegistrar);
  return requestDealerCatalog(h.ctx, { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId: consent.id, catalog: 'Prius', requestedBy: 'staff:ito' });
};

test('a crash after the mail server accepted the handoff resends the identical message, and records once', async () => {
  failNextSendAfterAccept = true;
  const before = (await listMailbox(h.catcher.mailboxDir, dealerTokyo.email)).length;
  const started = await start();
  const result = await waitForDisclosure(h.ctx, started.id);

  expect(result.status).toBe('delivered');
  const files = (await listMailbox(h.catcher.mailboxDir, dealerTokyo.email)).slice(before);
  // At-least-once at the SMTP level: the retry may repeat the message, but byte for byte, Message-ID included.
  expect(files).toHaveLength(2);
  const [first, second] = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const body = (raw: string) => raw.slice(raw.indexOf('Message-ID:'));
  expect(body(second!)).toBe(body(first!));
  expect(first).toContain(`Message-ID: <${started.id}@disclosure.engine>`);
  expect(await h.store.listRecords({ disclosureId: started.id })).toHaveLength(1);
});

test('a crash after the record was committed leaves exactly one record', async () => {
  failNextAppendAfterCommit = true;
  const started = await start();
  const result = await waitForDisclosure(h.ctx, started.id);
  expect(result.status).toBe('delivered');
  expect(failNextAppendAfterCommit).toBe(false);
  const records = await h.store.listRecords({ disclosureId: started.id });
  expect(records).toHaveLength(1);
  expect(result.recordId).toBe(records[0]!.recordId);
});

test('uncertain delivery attack: accepted by SMTP but not marked, then the consent is withdrawn: recorded delivery-uncertain with the items, never refused', async () => {
  const consent = await grantConsent(h.ctx, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1' }, testRegistrar);
  failNextSendAfterAccept = true;
  afterAccept = async () => {
    await h.store.withdrawConsent(consent.id, new Date().toISOString());
  };
  const before = (await listMailbox(h.catcher.mailboxDir, dealerTokyo.email)).length;
  const started = await requestDealerCatalog(h.ctx, { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId: consent.id, catalog: 'Prius', requestedBy: 'staff:ito' });
  const result = await waitForDisclosure(h.ctx, started.id);

  expect(result.status).toBe('delivery-uncertain');
  expect(result.reason?.code).toBe('delivery-uncertain');
  // The dealer did get the message once; the retry did not send it again after the withdrawal.
  expect((await listMailbox(h.catcher.mailboxDir, dealerTokyo.email)).length - before).toBe(1);
  const records = await h.store.listRecords({ disclosureId: started.id });
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ outcome: 'delivery-uncertain', items: ['name', 'email'], payloadDigest: expect.stringMatching(/^sha256:/) });
  expect(records[0]!.outcome).not.toBe('refused');
  // The staged copy of the customer's data is purged.
  expect((await h.store.getHandoff(started.id))?.raw).toBeNull();
});
