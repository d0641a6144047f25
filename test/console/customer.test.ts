import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { waitForDisclosure } from '../../service/disclosures';
import { grantConsent } from '../../service/registry';
import { SCREENSHOT_DIR } from '../support/browser';
import { dealerOsaka, dealerTokyo, hanako, taro, testRegistrar } from '../support/fixtures';
import type { ConsoleTest } from './support';
import { check, startConsoleTest } from './support';

let t: ConsoleTest;

beforeAll(async () => {
  t = await startConsoleTest({
    subjects: [hanako, taro],
    recipients: [dealerTokyo, dealerOsaka],
    tokens: {
      registrar: { role: 'registrar', name: 'staff:mori' },
      requester: { role: 'requester', name: 'staff:ito' },
    },
  });
}, 120_000);

afterAll(async () => t?.stop());

const catalog = (consentId: string, dispatchDelayMs = 0) =>
  requestDealerCatalog(
    t.h.ctx,
    { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId, catalog: 'Prius 2026', requestedBy: 'staff:ito' },
    { dispatchDelayMs },
  );

describe("a customer's page: consents, records, the three regime reports and the answer letter", () => {
  let delivered: string;

  test('a registrar records a consent (bad input by field, nothing written); the records and reports follow', async () => {
    const { context, page } = await t.signIn(t.tokens.registrar!);
    await page.getByRole('link', { name: '顧客', exact: true }).click();
    await page.getByLabel('顧客ID').fill(hanako.id);
    await page.getByRole('button', { name: '表示' }).click();
    expect(new URL(page.url()).pathname).toBe(`/customers/${hanako.id}`);
    await check(page, 'customer-empty');

    await page.getByLabel('提供先').fill('R-NOPE');
    await page.getByLabel('利用目的').fill('catalog-request');
    await page.getByLabel('通知文の版').fill('notice-2026-04');
    await page.getByRole('button', { name: '同意を登録' }).click();
    expect(await page.locator('#recipient-error').textContent()).toContain('no recipient R-NOPE');
    expect(await page.getByLabel('利用目的').inputValue()).toBe('catalog-request');
    expect(await t.h.store.listConsents(hanako.id)).toEqual([]);
    await check(page, 'customer-consent-errors');

    await page.getByLabel('提供先').fill(dealerTokyo.id);
    await page.getByRole('button', { name: '同意を登録' }).click();
    const [consent] = await t.h.store.listConsents(hanako.id);
    expect(consent).toMatchObject({ recipientId: dealerTokyo.id, purpose: 'catalog-request', channel: 'web-form' });
    expect(await page.getByRole('status').textContent()).toContain(consent!.id);

    const started = await catalog(consent!.id);
    delivered = started.id;
    expect(await waitForDisclosure(t.h.ctx, started.id)).toMatchObject({ status: 'delivered' });
    await page.goto(`/customers/${hanako.id}`);
    const records = page.locator('section', { has: page.getByRole('heading', { name: 'この顧客に関する記録' }) });
    expect(await records.getByRole('link', { name: started.id }).count()).toBe(1);
    const appi = (await page.locator('section.report').textContent()) ?? '';
    expect(appi).toContain('APPI');
    expect(appi).toContain(dealerTokyo.name);
    expect(appi).toContain(dealerTokyo.address);
    await check(page, 'customer-appi');

    await page.getByRole('link', { name: 'HIPAA' }).click();
    const hipaa = (await page.locator('section.report').textContent()) ?? '';
    expect(hipaa).toContain('164.528');
    expect(hipaa).toContain(dealerTokyo.name);
    await check(page, 'customer-hipaa');
    await page.getByRole('link', { name: 'GDPR' }).click();
    const gdpr = (await page.locator('section.report').textContent()) ?? '';
    expect(gdpr).toContain('15(1)(c)');
    expect(gdpr).toContain(dealerTokyo.name);
    await check(page, 'customer-gdpr');
    await context.close();
  });

  test('the report prints on A4 without the forms, and the answer letter downloads as a PDF', async () => {
    const { context, page } = await t.signIn(t.tokens.registrar!);
    await page.goto(`/customers/${hanako.id}?regime=appi`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('heading', { name: '同意', exact: true }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '同意を登録' }).isVisible()).toBe(false);
    expect(await page.locator('section.report table').isVisible()).toBe(true);
    const printed = await page.pdf({ preferCSSPageSize: true });
    const printedFile = path.join(SCREENSHOT_DIR, 'customer-appi-print.pdf');
    await writeFile(printedFile, printed);
    // Chromium prints on Letter unless the page's print CSS asks for another size; pdfinfo names it.
    expect(execFileSync('pdfinfo', [printedFile], { encoding: 'utf8' })).toMatch(
      /Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)/,
    );
    const printedText = execFileSync('pdftotext', [printedFile, '-'], { encoding: 'utf8' });
    // The table's cells wrap on paper: look for words that fit one line.
    expect(printedText).toContain('東京トヨペット');
    expect(printedText).toContain('APPI');
    expect(printedText).not.toContain('同意を登録');
    await page.emulateMedia({ media: 'screen' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '開示請求への回答書（PDF）をダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`answer-${hanako.id}.pdf`);
    const file = (await download.path())!;
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain(hanako.name);
    expect(text).toContain(dealerTokyo.name);
    await context.close();
  });

  test('withdrawing a consent on the page cancels the disclosure still waiting on it', async () => {
    const consent = await grantConsent(t.h.ctx, {
      subject: hanako.id,
      recipient: dealerTokyo.id,
      purpose: 'catalog-request',
      noticeVersion: 'notice-2026-04',
    }, testRegistrar);
    const waiting = await catalog(consent.id, 60_000);
    const { context, page } = await t.signIn(t.tokens.registrar!);
    await page.goto(`/customers/${hanako.id}`);
    await page.getByRole('button', { name: `撤回 ${consent.id}` }).click();
    const status = (await page.getByRole('status').textContent()) ?? '';
    expect(status).toContain(consent.id);
    expect(status).toContain(waiting.id);
    expect(await waitForDisclosure(t.h.ctx, waiting.id)).toMatchObject({ status: 'cancelled' });
    expect((await t.h.store.getConsent(consent.id))?.withdrawnAt).toBeDefined();
    await check(page, 'customer-withdrawn');

    // Another customer's consent is not found from this customer's page, and stays as it was.
    const other = await grantConsent(t.h.ctx, {
      subject: taro.id,
      recipient: dealerOsaka.id,
      purpose: 'catalog-request',
      noticeVersion: 'notice-2026-04',
    }, testRegistrar);
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const forged = await context.request.post(`/customers/${hanako.id}/consents/${other.id}/withdraw`, {
      form: { _csrf: csrf! },
    });
    expect(forged.status()).toBe(404);
    expect((await t.h.store.getConsent(other.id))?.withdrawnAt).toBeUndefined();
    await context.close();
  });

  test('a requester sees the customer but writes no consent: no form, and a posted one is refused', async () => {
    const { context, page } = await t.signIn(t.tokens.requester!);
    await page.goto(`/customers/${hanako.id}`);
    expect(await page.getByRole('link', { name: delivered }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '同意を登録' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^撤回/ }).count()).toBe(0);
    const before = (await t.h.store.listConsents(hanako.id)).length;
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const posted = await context.request.post(`/customers/${hanako.id}/consents`, {
      form: { _csrf: csrf!, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'v' },
    });
    expect(posted.status()).toBe(403);
    expect((await t.h.store.listConsents(hanako.id)).length).toBe(before);
    expect((await page.goto('/customers/C-NOBODY'))!.status()).toBe(404);
    await context.close();
  });
});
