import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { carrier, isoDay, surveyFirm } from '../support/entrustment-fixtures';
import { hanako, policeMarunouchi, taro } from '../support/fixtures';
import type { ConsoleTest } from './support';
import { check, startConsoleTest, until } from './support';

const carrierA = carrier('R-CARRIER-A');
const firmA = surveyFirm('R-SURVEY-A');
let t: ConsoleTest;

beforeAll(async () => {
  t = await startConsoleTest({
    subjects: [hanako, taro],
    recipients: [carrierA, firmA, policeMarunouchi],
    tokens: { requester: { role: 'requester', name: 'staff:ito' }, approver: { role: 'approver', name: 'staff:sato' } },
  });
}, 120_000);

afterAll(async () => t?.stop());

const disclosures = async () => (await t.h.store.listDisclosures({})).length;
const idFromUrl = (url: string): string => decodeURIComponent(new URL(url).pathname.split('/').pop()!);

describe('request forms for surveys, shipments and legal requests, through the real engine', () => {
  test('shipping: zod and service messages stand next to their fields; a valid form delivers to the carrier', async () => {
    const { context, page } = await t.signIn(t.tokens.requester!);
    await page.getByRole('link', { name: '配送の委託' }).click();
    await check(page, 'shipping-form');
    const before = await disclosures();

    await page.getByRole('button', { name: '送信' }).click();
    for (const id of ['subjectId', 'carrierId', 'shipmentRef'])
      expect(await page.locator(`#${id}-error`).textContent()).toMatch(/\S/);
    expect(await page.getByLabel('配送番号').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'shipping-form-errors');

    await page.getByLabel('顧客ID').fill(hanako.id);
    await page.getByLabel('配送業者ID').fill('R-NOPE');
    await page.getByLabel('配送番号').fill('SHIP-2026-0001');
    await page.getByRole('button', { name: '送信' }).click();
    expect(await page.locator('#carrierId-error').textContent()).toContain('no recipient R-NOPE');
    expect(await page.locator('#subjectId-error').count()).toBe(0);
    expect(await page.getByLabel('配送番号').inputValue()).toBe('SHIP-2026-0001');
    expect(await disclosures()).toBe(before);

    await page.getByLabel('配送業者ID').fill(carrierA.id);
    await page.getByRole('button', { name: '送信' }).click();
    const id = idFromUrl(page.url());
    const result = await waitForDisclosure(t.h.ctx, id);
    expect(result).toMatchObject({ status: 'delivered' });
    const [record] = await t.h.store.listRecords({ disclosureId: id, entryType: 'disclosure' });
    expect(record).toMatchObject({ kind: 'shipping', requestedBy: 'staff:ito', actor: { name: 'staff:ito', via: 'console', tokenId: expect.stringMatching(/^t-/) }, recipient: { id: carrierA.id } });
    await page.reload();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain(record!.items.join(', '));
    expect(text).toContain(record!.hash);
    await check(page, 'shipping-delivered');
    await context.close();
  });

  test('survey: a past end date and an unknown customer are refused by field; a valid batch is delivered', async () => {
    const { context, page } = await t.signIn(t.tokens.requester!);
    await page.getByRole('link', { name: '調査の委託' }).click();
    await check(page, 'survey-form');
    const before = await disclosures();
    await page.getByLabel('調査会社ID').fill(firmA.id);
    await page.getByLabel('調査ID').fill('CS-2026-Q4');
    await page.getByLabel('調査終了日').fill(isoDay(-3));
    await page.getByLabel('対象の顧客ID').fill(`${hanako.id}, C-NOPE`);
    await page.getByRole('button', { name: '送信' }).click();
    expect(await page.locator('#endsOn-error').textContent()).toContain('before today');
    expect(await page.locator('#subjectIds-error').textContent()).toContain('no customer C-NOPE');
    await check(page, 'survey-form-errors');
    expect(await disclosures()).toBe(before);

    await page.getByLabel('調査終了日').fill(isoDay(30));
    await page.getByLabel('対象の顧客ID').fill(`${hanako.id}\n${taro.id}`);
    await page.getByRole('button', { name: '送信' }).click();
    const id = idFromUrl(page.url());
    expect(await waitForDisclosure(t.h.ctx, id)).toMatchObject({ status: 'delivered' });
    const entry = await t.h.store.getDisclosure(id);
    expect(entry).toMatchObject({ kind: 'survey', recipientId: firmA.id, requestedBy: 'staff:ito' });
    expect([...entry!.subjectIds].sort()).toEqual([hanako.id, taro.id]);
    await page.reload();
    expect(await page.locator('main').textContent()).toContain('survey');
    await check(page, 'survey-delivered');
    await context.close();
  });

  test('legal: an emergency request taken in by form waits for a second person; bad intake starts nothing', async () => {
    const { context, page } = await t.signIn(t.tokens.requester!);
    await page.getByRole('link', { name: '法令・緊急の請求' }).click();
    await check(page, 'legal-form');
    const before = await disclosures();
    await page.getByLabel('顧客ID').fill(hanako.id);
    await page.getByLabel('請求元（官公庁等）ID').fill(policeMarunouchi.id);
    await page.getByLabel('根拠区分').selectOption('emergency');
    await page.getByLabel('文書番号').fill('緊急-2026-077');
    await page.getByLabel('本人への通知').selectOption('deferred');
    await page.getByRole('button', { name: '送信' }).click();
    expect(await page.locator('#noticeUntil-error').textContent()).toMatch(/\S/);
    expect(await disclosures()).toBe(before);

    await page.getByLabel('通知禁止の期限').fill(isoDay(60));
    await page.getByRole('button', { name: '送信' }).click();
    expect(await page.locator('#fields-error').textContent()).toContain('name at least one requested field');
    expect(await page.locator('#justification-error').textContent()).toMatch(/\S/);
    await check(page, 'legal-form-errors');
    expect(await disclosures()).toBe(before);

    await page.getByRole('checkbox', { name: 'name', exact: true }).check();
    await page.getByRole('checkbox', { name: 'phone', exact: true }).check();
    await page.getByLabel('理由・必要性').fill('救急搬送中の意識不明者の身元確認のため');
    await page.getByRole('button', { name: '送信' }).click();
    const id = idFromUrl(page.url());
    await until('awaiting approval', async () => (await disclosureStatus(t.h.ctx, id)).status === 'awaiting-approval');
    expect(await t.h.store.getDisclosure(id)).toMatchObject({ kind: 'legal', requestedBy: 'staff:ito' });
    await context.close();

    // The approver's queue shows what the form took in, the default official included.
    const approver = await t.signIn(t.tokens.approver!);
    await approver.page.goto('/approvals');
    const card = approver.page.getByRole('article', { name: id });
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('緊急-2026-077');
    expect(text).toContain('name, phone');
    expect(text).toContain(policeMarunouchi.representative!);
    await approver.context.close();
  });
});
