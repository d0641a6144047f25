import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { requestLegal } from '../../service/legal';
import { grantConsent } from '../../service/registry';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser';
import type { ApiServer } from '../../api/server';
import { startConsoleServer } from '../support/console-server';
import { dealerOsaka, dealerTokyo, hanako, policeMarunouchi, taro, testRegistrar } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { consentedCatalogRequest } from '../support/requests';

const SESSION_TTL_MS = 60 * 60_000;
let h: Harness;
let server: ApiServer;
let browser: Browser;
/** Added to the console's clock to move it past a session's expiry. */
let clockOffsetMs = 0;
const tokens: Record<string, string> = {};
const tokenIds: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo, dealerOsaka, policeMarunouchi]);
  const file = path.join(h.home, 'api-tokens.json');
  tokens.admin = (await ensureTokenFile(file)).adminToken!;
  tokens.requester = (await addToken(file, { role: 'requester', name: 'staff:ito' })).token;
  // The same person holding an approver token: the workflow, not the page, refuses the self-approval.
  tokens.itoApprover = (await addToken(file, { role: 'approver', name: 'staff:ito' })).token;
  const sato = await addToken(file, { role: 'approver', name: 'staff:sato' });
  tokens.approver = sato.token;
  tokenIds.approver = sato.id;
  tokens.auditor = (await addToken(file, { role: 'auditor', name: 'audit:kato' })).token;
  const tokyo = await addToken(file, { role: 'recipient', name: dealerTokyo.name, recipientId: dealerTokyo.id });
  tokens.tokyo = tokyo.token;
  tokenIds.tokyo = tokyo.id;
  tokens.osaka = (
    await addToken(file, { role: 'recipient', name: dealerOsaka.name, recipientId: dealerOsaka.id })
  ).token;
  server = await startConsoleServer({
    tokens: fileTokenRegistry(file),
    clock: () => new Date(Date.now() + clockOffsetMs),
    sessionTtlMs: SESSION_TTL_MS,
    deps: {
      ctx: h.ctx,
      home: h.home,
      ackKey: randomBytes(32),
      replay: { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter: h.dataConverter },
      ledgerKey: () => undefined,
    },
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.stop();
});

/** A fresh browser profile signed in with one token through the sign-in form. */
async function signIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('APIトークン').fill(token);
  await page.getByRole('button', { name: 'サインイン' }).click();
  return { context, page };
}

/** Every page the tests open is photographed and checked with axe-core. */
async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
}

/** The text of the <dd> that a <dt> with this label describes. */
const described = async (scope: Locator, label: string): Promise<string> =>
  (
    (await scope.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent()) ?? ''
  ).trim();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await sleep(50);
  }
  throw new Error(`${what} did not happen`);
}

test('the accessibility check finds an unlabelled control (so a clean result means something)', async () => {
  const page = await browser.newPage();
  await page.setContent(
    '<!doctype html><html lang="ja"><title>x</title><body><main><input type="text"></main></body></html>',
  );
  expect((await seriousViolations(page)).map((v) => v.id)).toContain('label');
  await page.close();
});

describe('web console, in Chromium, through the real engine', () => {
  let catalogId: string;

  test('sign-in page: a wrong token is refused and no session cookie is set', async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const first = await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
    // The engine's server answered: its security headers and request ids are on the console's pages.
    expect(await first!.headerValue('content-security-policy')).toContain("default-src 'self'");
    expect(await first!.headerValue('x-request-id')).toMatch(/\S/);
    await check(page, 'login');
    await page.getByLabel('APIトークン').fill('dsk_not-a-token');
    await page.getByRole('button', { name: 'サインイン' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('トークンが正しくない');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('dsc_session');
    await context.close();
  });

  test('staff request a dealer handoff through the form and see it delivered with its items', async () => {
    const consent = await grantConsent(h.ctx, {
      subject: hanako.id,
      recipient: dealerTokyo.id,
      purpose: 'catalog-request',
      noticeVersion: 'notice-2026-04',
      channel: 'web-form',
    }, testRegistrar);
    const { context, page } = await signIn(tokens.requester!);
    const cookie = (await context.cookies()).find((c) => c.name === 'dsc_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.expires).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'カタログ請求の提供' }).click();
    await check(page, 'dealer-form');

    // Bad input first: zod's messages stand next to their fields, and nothing starts.
    const before = (await h.store.listDisclosures({})).length;
    await page.getByLabel('顧客ID').fill('C-NOPE');
    await page.getByLabel('販売店ID').fill(dealerTokyo.id);
    await page.getByRole('button', { name: '送信' }).click();
    expect(await page.locator('#catalog-error').textContent()).toMatch(/\S/);
    expect(await page.getByLabel('カタログ・車種').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'dealer-form-errors');
    expect(await page.getByLabel('顧客ID').inputValue()).toBe('C-NOPE');
    await page.getByLabel('カタログ・車種').fill('Prius 2026');
    await page.getByRole('button', { name: '送信' }).click();
    expect(await page.locator('#subjectId-error').textContent()).toContain('no customer C-NOPE');
    expect(await page.getByLabel('顧客ID').getAttribute('aria-invalid')).toBe('true');
    expect((await h.store.listDisclosures({})).length).toBe(before);

    await page.getByLabel('顧客ID').fill(hanako.id);
    await page.getByLabel('同意ID').fill(consent.id);
    await page.getByRole('button', { name: '送信' }).click();
    catalogId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(await waitForDisclosure(h.ctx, catalogId)).toMatchObject({ status: 'delivered', fields: ['name', 'email'] });
    await page.reload();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('delivered');
    expect(text).toContain('name, email');
    expect(text).toContain('catalog-request');
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d JST/);
    const [record] = await h.store.listRecords({ disclosureId: catalogId });
    expect(record).toMatchObject({ requestedBy: 'staff:ito', items: ['name', 'email'] });
    expect(text).toContain(record!.hash);
    await check(page, 'disclosure');

    await page.getByRole('link', { name: '提供一覧' }).click();
    expect(await page.getByRole('link', { name: catalogId }).count()).toBe(1);
    await page.getByLabel('状態').selectOption('refused');
    await page.getByRole('button', { name: '適用' }).click();
    expect(await page.getByRole('link', { name: catalogId }).count()).toBe(0);
    await page.getByLabel('状態').selectOption('delivered');
    await page.getByLabel('顧客ID').fill(hanako.id);
    await page.getByRole('button', { name: '適用' }).click();
    expect(await page.getByRole('link', { name: catalogId }).count()).toBe(1);
    await check(page, 'dashboard');
    // The requester's navigation has no approval queue, and the queue itself is refused.
    expect(await page.getByRole('link', { name: '承認待ち' }).count()).toBe(0);
    expect((await page.goto('/approvals'))!.status()).toBe(403);
    await context.close();
  });

  test('a legal request: the requester cannot approve it; a second approver releases two of three fields', async () => {
    const started = await requestLegal(h.ctx, {
      subjectId: hanako.id,
      authorityId: policeMarunouchi.id,
      ground: 'warrant',
      documentRef: '令和8年(わ)第1234号',
      issuingOfficial: '東京地方裁判所 裁判官 中村 一郎',
      fields: ['name', 'address', 'phone'],
      justification: '差押許可状に基づく契約者情報の照会',
      requestedBy: 'staff:ito',
      notice: { mode: 'prohibited' },
    });
    await until(
      'awaiting approval',
      async () => (await disclosureStatus(h.ctx, started.id)).status === 'awaiting-approval',
    );

    const self = await signIn(tokens.itoApprover!);
    await self.page.goto('/approvals');
    const card = self.page.getByRole('article', { name: started.id });
    expect(await card.textContent()).toContain('令和8年(わ)第1234号');
    await card.getByLabel('発出機関の確認方法').fill('代表番号へ折り返し確認');
    await card.getByRole('button', { name: '承認して提供' }).click();
    const refusal = await self.page.getByRole('article', { name: started.id }).getByRole('alert').textContent();
    expect(refusal).toContain('規則により拒否されました');
    expect(refusal).toContain('staff:ito');
    await check(self.page, 'approvals-refused');
    expect((await disclosureStatus(h.ctx, started.id)).status).toBe('awaiting-approval');
    await self.context.close();

    const second = await signIn(tokens.approver!);
    await second.page.goto('/approvals');
    await check(second.page, 'approvals');
    const queued = second.page.getByRole('article', { name: started.id });
    await queued.getByRole('checkbox', { name: 'phone' }).uncheck();
    await queued.getByLabel('発出機関の確認方法').fill('代表番号へ折り返し確認');
    await queued.getByRole('button', { name: '承認して提供' }).click();
    expect(await second.page.getByRole('status').first().textContent()).toContain('承認しました');
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({
      status: 'delivered',
      fields: ['name', 'address'],
    });
    const [decided] = await h.store.listRecords({ disclosureId: started.id });
    expect(decided).toMatchObject({ decidedBy: { tokenId: tokenIds.approver, name: 'staff:sato', via: 'console' } });
    await second.context.close();

    const auditor = await signIn(tokens.auditor!);
    await auditor.page.goto(`/disclosures/${started.id}`);
    const record = auditor.page.locator('section.card').filter({ hasText: '(disclosure)' });
    expect(await described(record, '請求された項目')).toBe('name, address, phone');
    expect(await described(record, '提供した項目')).toBe('name, address');
    expect(await described(record, 'approvedBy')).toBe('staff:sato');
    await check(auditor.page, 'disclosure-legal');
    await auditor.context.close();
  });

  test('an auditor verifies the ledger, downloads records as CSV and opens a customer APPI view', async () => {
    const { context, page } = await signIn(tokens.auditor!);
    await page.getByRole('link', { name: '台帳' }).click();
    await page.getByRole('button', { name: '台帳を検証' }).click();
    expect(await page.getByRole('status').textContent()).toContain('台帳は改ざんされていません');
    await check(page, 'ledger');

    await page.getByRole('link', { name: '提供記録' }).click();
    await check(page, 'records');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSVでダウンロード' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const stored = await h.store.listRecords();
    expect(rows.map((r) => r.recordId)).toEqual(stored.map((r) => r.recordId));
    expect(rows.find((r) => r.disclosureId === catalogId)).toMatchObject({
      outcome: 'delivered',
      items: 'name email',
      recipientName: dealerTokyo.name,
    });

    await page.getByRole('link', { name: '顧客別レポート' }).click();
    await page.getByLabel('顧客ID').fill(hanako.id);
    await page.getByLabel('法令').selectOption('appi');
    await page.getByRole('button', { name: '表示' }).click();
    const report = (await page.locator('section.report').textContent()) ?? '';
    expect(report).toContain(dealerTokyo.name);
    expect(report).toContain(dealerTokyo.address);
    expect(report).toContain('consent');
    await check(page, 'report-appi');
    await context.close();
  });

  test('a recipient acknowledges its handoff and cannot open another recipient’s', async () => {
    const osaka = await consentedCatalogRequest(h, { subjectId: taro.id, dealerId: dealerOsaka.id });
    const { context, page } = await signIn(tokens.tokyo!);
    expect(new URL(page.url()).pathname).toBe('/handoffs');
    expect(await page.getByRole('link', { name: osaka.id }).count()).toBe(0);
    await check(page, 'handoffs');
    await page.getByRole('link', { name: catalogId }).click();
    await page.getByRole('button', { name: '受領を確認' }).click();
    expect(await page.getByRole('status').textContent()).toContain('完了しました');
    await check(page, 'handoff-acknowledged');
    const acks = (await h.store.listRecords({ disclosureId: catalogId })).filter(
      (r) => r.entryType === 'acknowledgement',
    );
    expect(acks).toEqual([expect.objectContaining({ actor: { tokenId: tokenIds.tokyo, name: dealerTokyo.name, via: 'console' } })]);

    const other = await page.goto(`/handoffs/${osaka.id}`);
    expect(other!.status()).toBe(404);
    expect(await page.locator('main').textContent()).not.toContain(dealerOsaka.name);
    // Even with a valid session and form token, another recipient's handoff is not found.
    await page.goto('/handoffs');
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const forged = await context.request.post(`/handoffs/${osaka.id}/ack`, { form: { _csrf: csrf! } });
    expect(forged.status()).toBe(404);
    expect(
      (await h.store.listRecords({ disclosureId: osaka.id })).filter((r) => r.entryType === 'acknowledgement'),
    ).toEqual([]);
    await context.close();
  });

  test('a form posted without its CSRF token, and a request with an expired session, change nothing', async () => {
    const consent = await grantConsent(h.ctx, {
      subject: taro.id,
      recipient: dealerTokyo.id,
      purpose: 'catalog-request',
      noticeVersion: 'notice-2026-04',
      channel: 'web-form',
    }, testRegistrar);
    const form = { subjectId: taro.id, dealerId: dealerTokyo.id, consentId: consent.id, catalog: 'Corolla 2026' };
    const { context, page } = await signIn(tokens.requester!);
    const before = (await h.store.listDisclosures({})).length;
    const noToken = await context.request.post('/requests/dealer-catalog', { form, maxRedirects: 0 });
    expect(noToken.status()).toBe(403);
    expect(await noToken.text()).toContain('何も変更されていません');
    expect((await h.store.listDisclosures({})).length).toBe(before);

    // A real form with its token, submitted after the session has expired.
    await page.goto('/requests/dealer-catalog');
    await page.getByLabel('顧客ID').fill(taro.id);
    await page.getByLabel('販売店ID').fill(dealerTokyo.id);
    await page.getByLabel('同意ID').fill(consent.id);
    await page.getByLabel('カタログ・車種').fill('Corolla 2026');
    clockOffsetMs = SESSION_TTL_MS + 1000;
    try {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: '送信' }).click(),
      ]);
      expect(response.status()).toBe(401);
      expect(await page.getByRole('alert').textContent()).toContain('セッションが終了しました');
      await check(page, 'session-ended');
      expect((await h.store.listDisclosures({})).length).toBe(before);
      const dashboard = await page.goto('/');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(dashboard!.status()).toBe(200);
    } finally {
      clockOffsetMs = 0;
    }
    await context.close();
  });

  test('the English switch changes the language and keeps the page', async () => {
    const { context, page } = await signIn(tokens.auditor!);
    await page.goto('/records');
    await page.getByRole('link', { name: 'English' }).click();
    expect(new URL(page.url()).pathname).toBe('/records');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Records');
    expect(await page.locator('main').textContent()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d JST/);
    await check(page, 'records-en');
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await page.goto('/records'))!.url()).toContain('/login');
    await context.close();
  });
});
