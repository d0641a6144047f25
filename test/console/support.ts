import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Role } from '../../api/auth';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import type { ApiServer } from '../../api/server';
import type { Recipient, Subject } from '../../domain/registry';
import type { LedgerKey } from '../../infra/signing-key';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser';
import { startConsoleServer } from '../support/console-server';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';

export interface ConsoleTest {
  h: Harness;
  server: ApiServer;
  browser: Browser;
  /** Plain tokens by the name the test gave them. */
  tokens: Record<string, string>;
  /** Added to the console's clock. */
  clock: { offsetMs: number };
  signIn(token: string, opts?: { javaScriptEnabled?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

export interface TokenSpec {
  role: Role;
  name: string;
  recipientId?: string;
}

/**
 * One engine, the engine's HTTP server with the console mounted, and Chromium: what each browser
 * test file starts once. The customers and recipients given are on file; each token is added.
 */
export async function startConsoleTest(opts: {
  subjects: Subject[];
  recipients: Recipient[];
  tokens: Record<string, TokenSpec>;
  ledgerKey?: () => LedgerKey | undefined;
}): Promise<ConsoleTest> {
  const h = await startHarness();
  await h.store.putSubjects(opts.subjects);
  await h.store.putRecipients(opts.recipients);
  const file = path.join(h.home, 'api-tokens.json');
  const tokens: Record<string, string> = { admin: (await ensureTokenFile(file)).adminToken! };
  for (const [key, spec] of Object.entries(opts.tokens)) tokens[key] = (await addToken(file, spec)).token;
  const clock = { offsetMs: 0 };
  const server = await startConsoleServer({
    tokens: fileTokenRegistry(file),
    clock: () => new Date(Date.now() + clock.offsetMs),
    deps: {
      ctx: h.ctx,
      home: h.home,
      ackKey: randomBytes(32),
      replay: { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter: h.dataConverter },
      ledgerKey: opts.ledgerKey ?? (() => undefined),
    },
  });
  const browser = await launchBrowser();
  return {
    h,
    server,
    browser,
    tokens,
    clock,
    async signIn(token, o = {}) {
      const context = await browser.newContext({ baseURL: server.url, locale: 'ja-JP', ...o });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('APIトークン').fill(token);
      await page.getByRole('button', { name: 'サインイン' }).click();
      return { context, page };
    },
    async stop() {
      await browser.close();
      await server.close();
      await h.stop();
    },
  };
}

/** Every page the tests open is photographed (test-output/console) and checked with axe-core. */
export async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
}

/** The text of the <dd> that a <dt> with this label describes. */
export const described = async (scope: Locator, label: string): Promise<string> =>
  (
    (await scope.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').first().textContent()) ??
    ''
  ).trim();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, ok: () => Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await ok()) return;
    await sleep(50);
  }
  throw new Error(`${what} did not happen`);
}
