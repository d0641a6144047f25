import { ApplicationFailure } from '@temporalio/common';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listMailbox } from '../../infra/mail-catcher';
import { createMailer } from '../../infra/mailer';
import type { Mailer } from '../../infra/mailer';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { waitForDisclosure } from '../../service/disclosures';
import { grantConsent } from '../../service/registry';
import type { Store } from '../../store/store';
import { dealerTokyo, hanako, testRegistrar } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { POLICY_PATH, startHarness } from '../support/harness';

/**
 * Failures that once left no record: the workflow failed, the disclosure had no ledger entry and
 * the staged message, personal data inside, stayed in the outbox. Each fault is injected around
 * the real parts (Temporal, SQLite or PostgreSQL, SMTP) and each must end with exactly one record.
 */
let h: Harness;
let workerPolicy = '';
let forgetCustomer = false;
let failMarkAttempted = false;
let failAfterHandover = false;
/** Transient faults, retried until the send gives up. */
let outboxDown = false;
let mailServerDown = false;
let smtpUrl = '';

beforeAll(async () => {
  let mailer: Mailer | undefined;
  const faultyStore = new Proxy({} as Store, {
    get: (_t, prop: keyof Store) => {
      if (prop === 'getSubject') {
        return async (...args: Parameters<Store['getSubject']>) => (forgetCustomer ? undefined : h.store.getSubject(...args));
      }
      if (prop === 'markHandoffAttempted') {
        return async (...args: Parameters<Store['markHandoffAttempted']>) => {
          if (failMarkAttempted) throw ApplicationFailure.nonRetryable('the outbox index is corrupt', 'OutboxCorrupt');
          if (outboxDown) throw new Error('database is locked');
          return h.store.markHandoffAttempted(...args);
        };
      }
      const value = h.store[prop];
      return typeof value === 'function' ? value.bind(h.store) : value;
    },
  });
  const faultyMailer: Mailer = {
    async send(message) {
      if (mailServerDown) throw Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' });
      mailer ??= createMailer({ smtpUrl });
      const result = await mailer.send(message);
      if (failAfterHandover) throw ApplicationFailure.nonRetryable('the transport lost its state', 'TransportBug');
      return result;
    },
    close: () => mailer?.close(),
  };
  // The worker reads its own copy of the policy, so one test can break it after the request was accepted.
  workerPolicy = path.join(await mkdtemp(path.join(os.tmpdir(), 'policy-')), 'policy.json');
  await copyFile(POLICY_PATH, workerPolicy);
  h = await startHarness({ store: faultyStore, mailer: faultyMailer, policyPath: workerPolicy });
  smtpUrl = h.catcher.url;
  await h.store.putSubjects([hanako]);
  await h.store.putRecipients([dealerTokyo]);
});
afterAll(() => h.stop());
afterEach(async () => {
  forgetCustomer = false;
  failMarkAttempted = false;
  failAfterHandover = false;
  outboxDown = false;
  mailServerDown = false;
  await copyFile(POLICY_PATH, workerPolicy);
});

const mailCount = async () => (await listMailbox(h.catcher.mailboxDir, dealerTokyo.email)).length;

async function attempt() {
  const consent = await grantConsent(h.ctx, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1' }, testRegistrar);
  const before = await mailCount();
  const started = await requestDealerCatalog(h.ctx, { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId: consent.id, catalog: 'Prius', requestedBy: 'staff:ito' });
  const result = await waitForDisclosure(h.ctx, started.id);
  const records = await h.store.listRecords({ disclosureId: started.id });
  return { id: started.id, result, records, mailed: (await mailCount()) - before, staged: await h.store.getHandoff(started.id) };
}

test('policy broken attack: a policy file that turns invalid after the request ends in a failed record naming the file, and nothing is sent (the workflow failed with no record)', async () => {
  await writeFile(workerPolicy, '{"version": ');
  const { result, records, mailed, staged } = await attempt();
  expect(result.status).toBe('failed');
  expect(result.reason).toMatchObject({ code: 'policy-invalid', message: expect.stringContaining(workerPolicy) });
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ outcome: 'failed', items: [], refusal: { code: 'policy-invalid' } });
  expect(mailed).toBe(0);
  expect(staged).toBeUndefined();
});

test('customer gone attack: a customer missing when the message is staged ends in a failed not-found record, and nothing is sent (the workflow failed with no record)', async () => {
  forgetCustomer = true;
  const { result, records, mailed, staged } = await attempt();
  expect(result.status).toBe('failed');
  expect(result.reason?.code).toBe('not-found');
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ outcome: 'failed', items: [], refusal: { code: 'not-found' } });
  expect(mailed).toBe(0);
  expect(staged).toBeUndefined();
});

test('unknown failure attack: a fault of a kind the engine does not know, before the mail server saw anything, ends in a failed record and the staged message is purged', async () => {
  failMarkAttempted = true;
  const { result, records, mailed, staged } = await attempt();
  expect(result.status).toBe('failed');
  expect(result.reason).toMatchObject({ code: 'unexpected-failure', message: expect.stringContaining('the outbox index is corrupt') });
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ outcome: 'failed', items: [], refusal: { code: 'unexpected-failure' } });
  expect(mailed).toBe(0);
  // The rendered message with the customer's data was staged, and is gone with the record.
  expect(staged).toBeDefined();
  expect(staged!.raw).toBeNull();
});

test('unknown failure after the handover: the mail server took the message, the engine then failed in a way it does not know: delivery-uncertain with the items, staged message purged, never failed or refused', async () => {
  failAfterHandover = true;
  const { result, records, mailed, staged } = await attempt();
  expect(result.status).toBe('delivery-uncertain');
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ outcome: 'delivery-uncertain', items: ['name', 'email'], payloadDigest: expect.stringMatching(/^sha256:/) });
  expect(mailed).toBe(1);
  expect(staged!.raw).toBeNull();
});

describe('a send that gives up (the delivery timeout, a day in production and a few seconds here)', () => {
  async function attemptGivingUp() {
    const consent = await grantConsent(h.ctx, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1' }, testRegistrar);
    const before = await mailCount();
    const started = await requestDealerCatalog(
      h.ctx,
      { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId: consent.id, catalog: 'Prius', requestedBy: 'staff:ito' },
      { deliveryGiveUpMs: 3_000 },
    );
    const result = await waitForDisclosure(h.ctx, started.id);
    const records = await h.store.listRecords({ disclosureId: started.id });
    return { result, records, mailed: (await mailCount()) - before, staged: await h.store.getHandoff(started.id) };
  }

  test('delivery timeout attack: the outbox stays unwritable until the send gives up: a failed delivery-timeout record, staged message purged (the workflow failed with no record)', async () => {
    outboxDown = true;
    const { result, records, mailed, staged } = await attemptGivingUp();
    expect(result.status).toBe('failed');
    expect(result.reason?.code).toBe('delivery-timeout');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'failed', items: [], refusal: { code: 'delivery-timeout' } });
    expect(mailed).toBe(0);
    expect(staged!.raw).toBeNull();
  });

  test('a mail server that never answers until the send gives up: delivery-uncertain (a send was started), staged message purged', async () => {
    mailServerDown = true;
    const { result, records, mailed, staged } = await attemptGivingUp();
    expect(result.status).toBe('delivery-uncertain');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'delivery-uncertain', items: ['name', 'email'] });
    expect(mailed).toBe(0);
    expect(staged!.raw).toBeNull();
  });
});
