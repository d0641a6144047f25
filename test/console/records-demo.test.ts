import { requestDealerCatalog } from '../../service/dealer-catalog';
import { DEMO_RECIPIENTS, DEMO_SUBJECTS } from '../../service/demo-data';
import { seedDemo } from '../../service/demo';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { requestLegal } from '../../service/legal';
import { requestShipping } from '../../service/shipping';
import { requestSurvey } from '../../service/survey';
import { isoDay } from '../support/entrustment-fixtures';
import { recordInput } from '../ledger/records';
import type { ConsoleTest } from './support';
import { check, startConsoleTest, until } from './support';

let t: ConsoleTest;

beforeAll(async () => {
  t = await startConsoleTest({
    subjects: DEMO_SUBJECTS,
    recipients: DEMO_RECIPIENTS,
    tokens: {
      requester: { role: 'requester', name: 'staff:ito' },
      approver: { role: 'approver', name: 'staff:sato' },
      auditor: { role: 'auditor', name: 'audit:kato' },
    },
  });
}, 120_000);

afterAll(async () => t?.stop());

describe('the demo data set in the console (the README screenshots), and the records page paged by keyset', () => {
  test('dashboard and approval queue with the demo data', async () => {
    const { consents } = await seedDemo(t.h.ctx);
    const ctx = t.h.ctx;
    const started = [
      await requestDealerCatalog(ctx, {
        subjectId: 'C-1001',
        dealerId: 'R-DEALER-1',
        consentId: consents[0],
        catalog: 'Prius 2026',
        requestedBy: 'staff:ito',
      }),
      await requestDealerCatalog(ctx, {
        subjectId: 'C-1002',
        dealerId: 'R-DEALER-2',
        consentId: consents[1],
        catalog: 'Corolla 2026',
        requestedBy: 'staff:ito',
      }),
      // No consent on file: the workflow refuses and records the attempt.
      await requestDealerCatalog(ctx, {
        subjectId: 'C-1003',
        dealerId: 'R-DEALER-1',
        catalog: 'Aqua 2026',
        requestedBy: 'staff:ito',
      }),
      await requestShipping(ctx, {
        subjectId: 'C-1004',
        carrierId: 'R-CARRIER-1',
        shipmentRef: 'SHIP-2026-1201',
        requestedBy: 'staff:ito',
      }),
      await requestSurvey(ctx, {
        firmId: 'R-SURVEY-1',
        surveyId: 'CS-2026-Q4',
        endsOn: isoDay(30),
        subjectIds: ['C-1001', 'C-1002', 'C-1003', 'C-1004'],
        requestedBy: 'staff:ito',
      }),
    ];
    for (const s of started) await waitForDisclosure(ctx, s.id);
    const legal = [
      await requestLegal(ctx, {
        subjectId: 'C-1002',
        authorityId: 'R-POLICE-1',
        ground: 'inquiry',
        documentRef: '丸の内署照会第2026-118号',
        fields: ['name', 'address', 'phone'],
        justification: '捜査関係事項照会書（刑事訴訟法第197条第2項）による契約者情報の照会',
        requestedBy: 'staff:ito',
      }),
      await requestLegal(ctx, {
        subjectId: 'C-1004',
        authorityId: 'R-POLICE-1',
        ground: 'warrant',
        documentRef: '令和8年(む)第3021号',
        issuingOfficial: '東京地方裁判所 裁判官 中村 一郎',
        fields: ['name', 'phone', 'email'],
        justification: '差押許可状に基づく提出',
        requestedBy: 'staff:ito',
        notice: { mode: 'prohibited' },
      }),
    ];
    for (const l of legal)
      await until('awaiting approval', async () => (await disclosureStatus(ctx, l.id)).status === 'awaiting-approval');

    const staff = await t.signIn(t.tokens.requester!);
    const rows = staff.page.locator('tbody tr');
    expect(await rows.count()).toBe(started.length + legal.length);
    expect(await staff.page.locator('tbody .badge.refused').count()).toBe(1);
    await check(staff.page, 'readme-dashboard');
    await staff.context.close();

    const approver = await t.signIn(t.tokens.approver!);
    await approver.page.goto('/approvals');
    expect(await approver.page.getByRole('article').count()).toBe(legal.length);
    await check(approver.page, 'readme-approvals');
    await approver.context.close();
  });

  test('the records page pages newest first by seq, keeping its filters, with no record twice or left out', async () => {
    const head = (await t.h.store.ledgerHead())!.seq;
    for (let n = 1; n <= 120; n++)
      await t.h.store.appendRecord(
        recordInput(1000 + n, { kind: 'shipping', occurredAt: new Date().toISOString() }),
        new Date().toISOString(),
      );
    const { context, page } = await t.signIn(t.tokens.auditor!);
    await page.goto('/records?kind=shipping');
    const seen: string[] = [];
    for (;;) {
      seen.push(...(await page.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim()));
      const next = page.getByRole('link', { name: '次のページ' });
      if ((await next.count()) === 0) break;
      expect(await next.getAttribute('href')).toContain('kind=shipping');
      await next.click();
    }
    const expected = (await t.h.store.listRecords({ kind: 'shipping' })).map((r) => r.recordId).reverse();
    expect(expected.length).toBeGreaterThan(120);
    expect(seen).toEqual(expected);
    expect(new URL(page.url()).searchParams.get('before')).toMatch(/^\d+$/);
    await check(page, 'records-last-page');
    await page.getByRole('link', { name: '最初のページ' }).click();
    expect(await page.locator('tbody tr').count()).toBe(50);
    expect((await page.locator('tbody tr td:first-child').first().textContent())?.trim()).toBe(expected[0]);
    expect((await t.h.store.ledgerHead())!.seq).toBe(head + 120);
    expect((await page.goto('/records?before=abc'))!.status()).toBe(400);
    await context.close();
  });
});
