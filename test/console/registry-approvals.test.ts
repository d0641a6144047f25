import type { Page } from 'playwright-core';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { approveLegal, requestLegal } from '../../service/legal';
import { addRecipients } from '../../service/registry';
import { requestShipping } from '../../service/shipping';
import { carrier, isoDay, surveyFirm } from '../support/entrustment-fixtures';
import { dealerTokyo, hanako, policeMarunouchi, taro } from '../support/fixtures';
import type { ConsoleTest } from './support';
import { check, described, startConsoleTest, until } from './support';

const carrierOk = carrier('R-CARRIER-OK');
const carrierOld = carrier('R-CARRIER-OLD', { validFrom: isoDay(-400), validTo: isoDay(-1) });
const firmLate = surveyFirm('R-SURVEY-LATE', { lastSupervisionCheck: isoDay(-200) });
let t: ConsoleTest;

beforeAll(async () => {
  t = await startConsoleTest({
    subjects: [hanako, taro],
    recipients: [carrierOk, carrierOld, firmLate, dealerTokyo, policeMarunouchi],
    tokens: {
      requester: { role: 'requester', name: 'staff:ito' },
      sato: { role: 'approver', name: 'staff:sato' },
      kimura: { role: 'approver', name: 'staff:kimura' },
    },
  });
}, 120_000);

afterAll(async () => t?.stop());

const badgeOf = async (page: Page, id: string): Promise<string | null> =>
  page.locator('tr', { hasText: id }).locator('.badge').getAttribute('data-state');

describe('registry pages', () => {
  test('recipients carry badges for an expired contract and an overdue supervision check, by the rule that blocks a send', async () => {
    const { context, page } = await t.signIn(t.tokens.requester!);
    await page.getByRole('link', { name: '提供先', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/recipients');
    expect(await badgeOf(page, carrierOk.id)).toBe('ok');
    expect(await badgeOf(page, carrierOld.id)).toBe('not-in-force');
    expect(await badgeOf(page, firmLate.id)).toBe('supervision-overdue');
    expect(await badgeOf(page, dealerTokyo.id)).toBe('not-needed');
    expect(await page.locator('tr', { hasText: carrierOld.id }).textContent()).toContain('契約期間外');
    expect(await page.locator('tr', { hasText: firmLate.id }).textContent()).toContain('監督確認期限切れ');
    await check(page, 'recipients');

    await page.getByRole('link', { name: firmLate.id }).click();
    const main = page.locator('main');
    expect(await described(main, '指示内容')).toBe(firmLate.contract!.instructions);
    expect(await described(main, '次回監督確認期限')).toBe(isoDay(-20));
    expect(await page.getByRole('table', { name: '登録内容の履歴' }).locator('tbody tr').count()).toBe(1);
    await check(page, 'recipient');
    expect((await page.goto('/recipients/R-NOPE'))!.status()).toBe(404);
    await context.close();

    // A registrar proposes a new address for a carrier: until a second person approves, the page says it is pending.
    const proposed = await addRecipients(
      t.h.ctx,
      { ...carrierOk, address: '東京都江東区有明3-1-1' },
      { name: 'staff:mori', via: 'api' },
    );
    expect(proposed.pending).toHaveLength(1);
    const after = await t.signIn(t.tokens.requester!);
    await after.page.goto('/recipients');
    expect(
      await after.page.locator('tr', { hasText: carrierOk.id }).locator('.badge[data-state="pending"]').count(),
    ).toBe(1);
    const pendingRow = after.page.getByRole('table', { name: '承認待ちの登録・変更' }).locator('tbody tr');
    expect(await pendingRow.count()).toBe(1);
    expect(await pendingRow.textContent()).toContain('address');
    expect(await pendingRow.textContent()).toContain('staff:mori');
    await check(after.page, 'recipients-pending');
    await after.context.close();

    // The badge is the engine's rule: the expired carrier's shipment is refused by the workflow.
    const refused = await requestShipping(t.h.ctx, {
      subjectId: hanako.id,
      carrierId: carrierOld.id,
      shipmentRef: 'SHIP-OLD-1',
      requestedBy: 'staff:ito',
    });
    expect(await waitForDisclosure(t.h.ctx, refused.id)).toMatchObject({
      status: 'refused',
      reason: expect.objectContaining({ code: 'contract-not-in-force' }),
    });
  });
});

describe('approver: time left on the queue, emergency reviews due and overdue', () => {
  const emergency = (documentRef: string, reviewWindowMs?: number) =>
    requestLegal(
      t.h.ctx,
      {
        subjectId: taro.id,
        authorityId: policeMarunouchi.id,
        ground: 'emergency',
        documentRef,
        fields: ['name', 'phone'],
        justification: '救急搬送中の意識不明者の身元確認',
        requestedBy: 'staff:ito',
        notice: { mode: 'prohibited' },
      },
      reviewWindowMs === undefined ? {} : { reviewWindowMs },
    );

  async function released(started: { id: string }): Promise<void> {
    await until(
      'awaiting approval',
      async () => (await disclosureStatus(t.h.ctx, started.id)).status === 'awaiting-approval',
    );
    await approveLegal(t.h.ctx, started.id, { approver: 'staff:sato', authorityCheck: '消防本部へ折り返し確認' });
    expect(await waitForDisclosure(t.h.ctx, started.id)).toMatchObject({ status: 'delivered' });
  }

  test('the queue shows what is left of the approval window; the overdue review comes first and a second person records it', async () => {
    const pending = await requestLegal(t.h.ctx, {
      subjectId: hanako.id,
      authorityId: policeMarunouchi.id,
      ground: 'inquiry',
      documentRef: '丸の内署照会第88号',
      fields: ['name'],
      justification: '捜査関係事項照会書による照会',
      requestedBy: 'staff:ito',
    });
    const late = await emergency('緊急-OVERDUE', 1500);
    const later = await emergency('緊急-DUE');
    await released(late);
    await released(later);
    await until(
      'pending approval',
      async () => (await disclosureStatus(t.h.ctx, pending.id)).status === 'awaiting-approval',
    );

    const sato = await t.signIn(t.tokens.sato!);
    await until('the short review window has passed', async () => {
      await sato.page.goto('/approvals');
      return (await sato.page.getByRole('article', { name: late.id }).textContent())?.includes('分超過') ?? false;
    });
    expect(await described(sato.page.getByRole('article', { name: pending.id }), '期限')).toMatch(
      /残り \d+日\d+時間\d+分/,
    );
    const reviews = sato.page.locator('section', {
      has: sato.page.getByRole('heading', { name: '緊急提供の事後確認' }),
    });
    const order = await reviews.locator('article h3').allTextContents();
    expect(order).toEqual([late.id, later.id]);
    expect(await described(reviews.getByRole('article', { name: later.id }), '確認期限')).toContain('残り');
    expect(await described(reviews.getByRole('article', { name: late.id }), '提供を承認した者')).toContain(
      'staff:sato',
    );
    await check(sato.page, 'approvals-reviews');

    // The person who released it cannot review it: the workflow refuses, the page says so.
    const own = reviews.getByRole('article', { name: late.id });
    await own.getByLabel('所見').fill('適切');
    await own.getByRole('button', { name: '事後確認を記録' }).click();
    expect(await sato.page.getByRole('article', { name: late.id }).getByRole('alert').textContent()).toContain(
      '規則により拒否されました',
    );
    expect(await t.h.store.listRecords({ disclosureId: late.id, entryType: 'review' })).toEqual([]);
    await sato.context.close();

    const kimura = await t.signIn(t.tokens.kimura!);
    await kimura.page.getByRole('link', { name: '承認待ち' }).click();
    const card = kimura.page.getByRole('article', { name: late.id });
    await card.getByLabel('問題あり').check();
    await card.getByLabel('所見').fill('身元確認後の提供範囲は適切。記録の遅れを指摘。');
    await card.getByRole('button', { name: '事後確認を記録' }).click();
    expect(await kimura.page.getByRole('status').first().textContent()).toContain('事後確認を記録しました');
    await until(
      'review recorded',
      async () => (await t.h.store.listRecords({ disclosureId: late.id, entryType: 'review' })).length === 1,
    );
    const [review] = await t.h.store.listRecords({ disclosureId: late.id, entryType: 'review' });
    expect(review!.details).toMatchObject({ reviewedBy: 'staff:kimura', reviewOutcome: 'concerns', overdue: true });
    expect(review!.actor).toEqual({ tokenId: expect.any(String), name: 'staff:kimura', via: 'console' });
    await kimura.page.reload();
    expect(await kimura.page.getByRole('article', { name: late.id }).count()).toBe(0);
    expect(await kimura.page.getByRole('article', { name: later.id }).count()).toBe(1);
    await kimura.context.close();
  });
});
