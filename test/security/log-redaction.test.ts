import { randomUUID } from 'node:crypto';
import { createLogger, temporalLogger } from '../../infra/logger';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { waitForDisclosure } from '../../service/disclosures';
import { grantConsent } from '../../service/registry';
import { dealerOsaka, dealerTokyo, hanako, personalValues, taro, testRegistrar } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { runtimeLogLines, startHarness } from '../support/harness';
import type { ContactActivities, CustomerCard } from './workflows/echo-customer';
import { withTestWorker } from './test-worker';

const capture = (opts?: Parameters<typeof createLogger>[1]) => {
  const lines: string[] = [];
  return { lines, log: createLogger((l) => lines.push(l), opts) };
};

describe('the logger redacts personal data', () => {
  test('emails, phone numbers and postal codes in messages and values; personal fields by name', () => {
    const { lines, log } = capture();
    log.warn(`could not reach ${hanako.email} at ${hanako.phone}, 〒${hanako.postalCode}`, {
      detail: `+81-90-1234-5678 / 09012345678 / ${taro.postalCode}`,
      name: hanako.name,
      address: hanako.address,
      disclosureId: 'D-20261124-5KHGNAFK',
    });
    const entry = JSON.parse(lines[0]!) as Record<string, string>;
    expect(entry.message).toBe('could not reach [email] at [phone], [postal-code]');
    expect(entry.detail).toBe('[phone] / [phone] / [postal-code]');
    expect(entry).toMatchObject({ name: '[redacted]', address: '[redacted]', disclosureId: 'D-20261124-5KHGNAFK' });
  });

  test('identifiers, times, addresses of servers and counts are left alone', () => {
    const { lines, log } = capture();
    const kept =
      'D-20261124-5KHGNAFK run 01a20faf-2a0a-7be6-b2c5-66b65e3f7380 at 2026-11-24T22:31:31.123Z via 127.0.0.1:41033, 3 items in 250 ms';
    log.info(kept);
    expect((JSON.parse(lines[0]!) as { message: string }).message).toBe(kept);
  });

  test('names and addresses have no pattern: they are redacted when the logger knows them, or by extra key', () => {
    const { lines, log } = capture({
      sensitiveValues: () => [hanako.name, hanako.address!],
      sensitiveKeys: ['contactPerson'],
    });
    log.error(`subject ${hanako.name} lives at ${hanako.address}`, {
      contactPerson: 'anyone',
      note: `for ${hanako.name}`,
    });
    expect(lines[0]).not.toContain(hanako.name);
    expect(lines[0]).not.toContain(hanako.address);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      message: 'subject [redacted] lives at [redacted]',
      contactPerson: '[redacted]',
      note: 'for [redacted]',
    });
  });

  test('a personal member nested inside an object or array is redacted by name (only top-level keys were checked)', () => {
    const { lines, log } = capture();
    log.warn('delivery failed', { context: { customer: { name: hanako.name, nameKana: hanako.nameKana!, id: hanako.id }, recipients: [{ address: hanako.address! }] } });
    expect(lines[0]).not.toContain(hanako.name);
    expect(lines[0]).not.toContain(hanako.address);
    expect(JSON.parse(lines[0]!)).toMatchObject({ context: { customer: { name: '[redacted]', nameKana: '[redacted]', id: hanako.id }, recipients: [{ address: '[redacted]' }] } });
    const sdk = temporalLogger(log, 'WARN');
    sdk.warn('activity failed', { activity: { input: { name: hanako.name } } });
    expect(lines[1]).not.toContain(hanako.name);
  });

  test('credentials in a URL are masked in messages and values', () => {
    const { lines, log } = capture();
    log.error('cannot reach postgres://disclosure:pg-s3cret@db.internal:5432/ledger', { smtp: 'smtps://mailer:smtp-s3cret@mail.internal:465' });
    expect(lines[0]).not.toMatch(/pg-s3cret|smtp-s3cret/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'cannot reach postgres://disclosure:***@db.internal:5432/ledger', smtp: 'smtps://mailer:***@mail.internal:465' });
  });

  test("the Temporal SDK's logger goes through the same redaction and keeps only warnings and errors", () => {
    const { lines, log } = capture();
    const sdk = temporalLogger(log, 'WARN');
    sdk.info('worker state changed', { taskQueue: 'q' });
    sdk.warn('Activity failed', {
      error: new Error(`no mailbox ${hanako.email}`),
      attempt: 1,
      context: { to: taro.phone },
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'warn',
      message: 'Activity failed',
      error: 'Error: no mailbox [email]',
      attempt: 1,
      sdkLevel: 'WARN',
    });
    expect(lines[0]).not.toContain(hanako.email);
    expect(lines[0]).not.toContain(taro.phone);
  });
});

describe('logs of a full run contain no test customer data', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.store.putSubjects([hanako, taro]);
    await h.store.putRecipients([dealerTokyo, dealerOsaka]);
  });
  afterAll(() => h.stop());

  test('deliveries, a refusal and an activity failing with contact details in its error', async () => {
    const runtimeBefore = runtimeLogLines.length;
    const consent = await grantConsent(h.ctx, {
      subject: hanako.id,
      recipient: dealerTokyo.id,
      purpose: 'catalog-request',
      noticeVersion: 'n-1',
      channel: 'web-form',
    }, testRegistrar);
    const base = { dealerId: dealerTokyo.id, catalog: 'Prius 2026', requestedBy: 'staff:ito' };
    const delivered = await requestDealerCatalog(h.ctx, { ...base, subjectId: hanako.id, consentId: consent.id });
    const taroConsent = await grantConsent(h.ctx, {
      subject: taro.id,
      recipient: dealerOsaka.id,
      purpose: 'catalog-request',
      noticeVersion: 'n-1',
      channel: 'web-form',
    }, testRegistrar);
    const inPerson = await requestDealerCatalog(h.ctx, {
      ...base,
      subjectId: taro.id,
      dealerId: dealerOsaka.id,
      consentId: taroConsent.id,
      contact: 'phone',
      handover: 'in-person',
    });
    const refused = await requestDealerCatalog(h.ctx, { ...base, subjectId: taro.id });
    expect((await waitForDisclosure(h.ctx, delivered.id)).status).toBe('delivered');
    expect((await waitForDisclosure(h.ctx, inPerson.id)).status).toBe('delivered');
    expect((await waitForDisclosure(h.ctx, refused.id)).status).toBe('refused');

    // Library errors do echo contact details; the SDK logs the failure at WARN.
    const activities: ContactActivities = {
      async contactCustomer(card) {
        throw new Error(`550 mailbox ${card.email} unknown; tried ${card.phone} for ${card.postalCode}`);
      },
    };
    const card: CustomerCard = {
      name: taro.name,
      email: taro.email!,
      phone: taro.phone!,
      postalCode: taro.postalCode!,
      address: taro.address!,
    };
    await expect(
      withTestWorker(h, activities, (taskQueue) =>
        h.client.workflow.execute('contactFails', { taskQueue, workflowId: `contact-${randomUUID()}`, args: [card] }),
      ),
    ).rejects.toThrow();

    const runtime = runtimeLogLines.slice(runtimeBefore);
    const failureLine = runtime.find((l) => l.includes('550 mailbox [email] unknown; tried [phone] for [postal-code]'));
    expect(failureLine).toBeDefined();
    expect(h.logLines.some((l) => l.includes(delivered.id))).toBe(true);

    const everything = [...h.logLines, ...runtime].join('\n');
    for (const value of [...personalValues(hanako), ...personalValues(taro)]) expect(everything).not.toContain(value);
  });
});
