import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { LedgerKey } from '../../infra/signing-key';
import { exportPublicKeyPem, keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { auditedWorkflowIds } from '../../service/audit-history';
import { verifyEvidence } from '../../service/audit-verify';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { approveLegal, rejectLegal, requestLegal } from '../../service/legal';
import { createCheckpoint } from '../../service/ledger';
import { transparencyReport } from '../../service/transparency';
import { screenshot } from '../support/browser';
import { dealerTokyo, hanako, policeMarunouchi, taro } from '../support/fixtures';
import { consentedCatalogRequest } from '../support/requests';
import type { ConsoleTest } from './support';
import { check, startConsoleTest, until } from './support';

let t: ConsoleTest;
let key: LedgerKey | undefined;

beforeAll(async () => {
  t = await startConsoleTest({
    subjects: [hanako, taro],
    recipients: [dealerTokyo, policeMarunouchi],
    tokens: { auditor: { role: 'auditor', name: 'audit:kato' }, requester: { role: 'requester', name: 'staff:ito' } },
    ledgerKey: () => key,
  });
  key = loadLedgerKey(keyPathsOf({ home: t.h.home }), { create: true });
  await consentedCatalogRequest(t.h, { subjectId: hanako.id });
  await consentedCatalogRequest(t.h, { subjectId: taro.id });
  const warrant = async () => {
    const started = await requestLegal(t.h.ctx, {
      subjectId: hanako.id,
      authorityId: policeMarunouchi.id,
      ground: 'warrant',
      documentRef: `令和8年(わ)第${Math.floor(Math.random() * 9000) + 1000}号`,
      fields: ['name', 'address', 'phone'],
      justification: '差押許可状',
      requestedBy: 'staff:ito',
      notice: { mode: 'prohibited' },
    });
    await until(
      'awaiting approval',
      async () => (await disclosureStatus(t.h.ctx, started.id)).status === 'awaiting-approval',
    );
    return started;
  };
  const narrowed = await warrant();
  await approveLegal(t.h.ctx, narrowed.id, {
    approver: 'staff:sato',
    fields: ['name'],
    authorityCheck: '裁判所へ確認',
  });
  const rejected = await warrant();
  await rejectLegal(t.h.ctx, rejected.id, { by: 'staff:sato', reason: '令状の記載不備' });
  await waitForDisclosure(t.h.ctx, narrowed.id);
  await waitForDisclosure(t.h.ctx, rejected.id);
  await createCheckpoint(t.h.store, key!, new Date());
}, 180_000);

afterAll(async () => t?.stop());

describe('auditor: replay, evidence bundle, transparency report, verify naming the first bad record', () => {
  test('replaying every history from the ledger page shows each workflow consistent', async () => {
    const { context, page } = await t.signIn(t.tokens.auditor!);
    await page.getByRole('link', { name: '台帳' }).click();
    await page.getByRole('button', { name: 'すべて再実行' }).click();
    await page.locator('#job[data-done]').waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toMatch(/^\/audit\/replay\/[\w-]+$/);
    expect(await page.getByRole('status').textContent()).toContain('すべての履歴が現在のコードと一致しました');
    const rows = page.locator('#job tbody tr');
    expect(await rows.count()).toBe((await auditedWorkflowIds(t.h.store)).length);
    expect(await rows.filter({ hasText: '不一致' }).count()).toBe(0);
    await check(page, 'replay');
    await context.close();
  });

  test('the evidence bundle downloads as a tar that the offline check accepts', async () => {
    const { context, page } = await t.signIn(t.tokens.auditor!);
    await page.goto('/ledger');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '証拠パッケージをダウンロード（tar）' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^evidence-.*\.tar$/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'console-evidence-'));
    execFileSync('tar', ['-xf', (await download.path())!, '-C', dir]);
    const report = await verifyEvidence(path.join(dir, 'evidence'), {
      replay: { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter: t.h.dataConverter },
      trustedPublicKeyPem: exportPublicKeyPem(key!),
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report).toMatchObject({ ok: true, records: (await t.h.store.ledgerHead())!.seq });
    await check(page, 'ledger-actions');
    // Without the auditor's role the bundle is not handed out.
    const requester = await t.signIn(t.tokens.requester!);
    expect((await requester.page.goto('/audit/evidence.tar'))!.status()).toBe(403);
    await requester.context.close();
    await context.close();
  });

  test('the transparency report charts requests by ground and outcome per quarter, as SVG with the numbers in a table', async () => {
    const expected = await transparencyReport(t.h.store, {}, 'Asia/Tokyo');
    const quarter = Object.keys(expected.byQuarter)[0]!;
    const { context, page } = await t.signIn(t.tokens.auditor!);
    await page.goto('/transparency');
    const chart = page.getByRole('img', { name: '四半期別・根拠区分別の請求と結果' });
    expect(await chart.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    const titles = await chart.locator('rect title').allTextContents();
    expect(titles).toEqual(
      expect.arrayContaining([`${quarter} · warrant · 提供: 1`, `${quarter} · warrant · 拒否・却下: 1`]),
    );
    const row = page.locator('tbody tr', { hasText: 'warrant' });
    expect((await row.locator('td').allTextContents()).map((s) => s.trim())).toEqual([
      quarter,
      'warrant',
      String(expected.byGround.warrant!.requests),
      '1',
      '1',
      '1',
      '0',
    ]);
    await check(page, 'transparency');
    await context.close();
  });

  test('verify names the first bad record after tampering, with and without JavaScript', async () => {
    const db = new Database(t.h.database);
    db.exec('DROP TRIGGER ledger_no_update');
    db.prepare("UPDATE ledger SET body = replace(body, 'staff:ito', 'staff:xx') WHERE seq = 2").run();
    db.close();
    const bad = (await t.h.store.ledgerRows(1, 1))[0]!;
    for (const javaScriptEnabled of [true, false]) {
      const { context, page } = await t.signIn(t.tokens.auditor!, { javaScriptEnabled });
      await page.goto('/ledger');
      await page.getByRole('button', { name: '台帳を検証' }).click();
      await page.locator('#job[data-done]').waitFor({ timeout: 30_000 });
      const alert = (await page.getByRole('alert').textContent()) ?? '';
      expect(alert).toContain('改ざんを検出しました');
      expect(await page.locator('.first-bad').textContent()).toBe(`seq 2 · ${bad.recordId}`);
      // axe-core runs as a script in the page, so only the page with JavaScript is checked; both are photographed.
      if (javaScriptEnabled) await check(page, 'verify-tampered');
      else await screenshot(page, 'verify-tampered-nojs');
      await context.close();
    }
  });
});
