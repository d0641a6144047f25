import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { auditReplay } from '../../service/audit-replay';
import { createCheckpoint } from '../../service/ledger';
import { runCli } from '../support/cli';
import { engineCodec } from '../../infra/data-converter';
import { ackLinkFactory, mintAckToken } from '../../service/ack-token';
import { confirmNotice, confirmNoticeWithToken, eraseSubject, previewNotice, rectifySubject } from '../../service/notices';
import { withdrawConsent } from '../../service/registry';
import { InputError } from '../../service/errors';
import { reportText } from '../../service/report-render';
import { buildSubjectReport } from '../../service/reports';
import type { NoticeState } from '../../workflows/notice-definitions';
import type { Harness } from '../support/harness';
import { POLICY_PATH, startHarness } from '../support/harness';
import { dealerOsaka, dealerTokyo, hanako, personalValues, taro, testRegistrar } from '../support/fixtures';
import { readMessages, waitForMessages } from '../support/mailbox';
import { consentedCatalogRequest } from '../support/requests';
import { decodedText, payloadsIn, rawHistory } from '../security/history';

const key = randomBytes(32);
const PUBLIC = 'https://disclosure.example.test';
const OFFICE = 'privacy-office@provider.test';
const STAFF = { name: 'staff:ito', via: 'cli' as const };
let h: Harness;
let tokyoConsent: string;

const tokenIn = (text: string | undefined): string => {
  const m = /\/notice\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(text ?? '');
  if (m?.[1] === undefined) throw new Error(`no notice link in:\n${text ?? ''}`);
  return m[1];
};

const NEW_EMAIL = 'hanako.yamada@example.jp';
const NEW_BIRTH = '1985-04-21';
const NEW_PHONE = '070-5555-0101';

beforeAll(async () => {
  h = await startHarness({ noticeLink: ackLinkFactory({ apiUrl: PUBLIC, key, ttlMs: 60 * 60_000, clock: () => new Date() }, 'notice') });
  // Long enough that nothing is reminded unless a test asks for short timing.
  h.ctx.noticeTiming = { confirmWithinMs: 10 * 60_000, reminderIntervalMs: 10 * 60_000, escalateAfterReminders: 2 };
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo, dealerOsaka]);
  // Hand-computed holdings: Tokyo has hanako's name and email, and taro's name and email;
  // Osaka has hanako's name, phone, postal code and address.
  const tokyo = await consentedCatalogRequest(h);
  const basis = (await h.store.listRecords({ disclosureId: tokyo.id }))[0]!.basis;
  tokyoConsent = basis?.type === 'consent' ? basis.consentId : '';
  await consentedCatalogRequest(h, { dealerId: dealerOsaka.id, contact: 'phone', handover: 'in-person' });
  await consentedCatalogRequest(h, { subjectId: taro.id });
  expect((await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).length).toBe(2);
  expect((await readMessages(h.catcher.mailboxDir, dealerOsaka.email)).length).toBe(1);
});
afterAll(() => h.stop());

const workflowResult = (workflowId: string) => h.client.workflow.getHandle(workflowId).result() as Promise<{ notices: NoticeState[] }>;
const noticeRecords = async (noticeId: string) => h.store.listRecords({ disclosureId: noticeId });

async function historyText(workflowId: string): Promise<string> {
  return decodedText(engineCodec(h.home), payloadsIn(await rawHistory(h.client, workflowId)));
}

describe('downstream notices through Temporal, SMTP and the ledger', () => {
  let rectifiedNotice = '';
  let rectifiedWorkflow = '';

  test('rectification: only the dealer that holds the changed email is told, of the email only, with its new value', async () => {
    const out = await rectifySubject(h.ctx, { subject: hanako.id, changes: { email: NEW_EMAIL, birthDate: NEW_BIRTH } }, STAFF);
    expect(out.changed).toEqual(['email', 'birthDate']);
    expect(out.notices.map((n) => [n.recipientId, n.items])).toEqual([[dealerTokyo.id, ['email']]]);
    rectifiedNotice = out.notices[0]!.noticeId;
    rectifiedWorkflow = out.workflowId!;
    expect(await h.store.getSubject(hanako.id)).toMatchObject({ email: NEW_EMAIL, birthDate: NEW_BIRTH });

    const mails = await waitForMessages(h.catcher.mailboxDir, dealerTokyo.email, 3, 30_000);
    const notice = mails[2]!;
    expect(notice.subject).toContain(rectifiedNotice);
    expect(notice.text).toContain(`メールアドレス / Email: ${NEW_EMAIL}`);
    for (const absent of [NEW_BIRTH, hanako.email!, hanako.name, hanako.phone!, hanako.address!, taro.email!]) expect(notice.text).not.toContain(absent);
    expect(notice.text).toContain(`${PUBLIC}/notice/`);
    expect(await readMessages(h.catcher.mailboxDir, dealerOsaka.email)).toHaveLength(1);

    for (let i = 0; i < 300 && (await noticeRecords(rectifiedNotice)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const [sent] = await noticeRecords(rectifiedNotice);
    expect(sent).toMatchObject({ entryType: 'recipient-notice', outcome: 'delivered', items: ['email'], subjectIds: [hanako.id], recipient: { id: dealerTokyo.id }, requestedBy: 'staff:ito', messageId: notice.messageId });
    expect(sent!.details).toMatchObject({ cause: 'rectification' });
  });

  test('the confirmation link: GET-side preview changes nothing; the POST records once; forged, other-kind and other-recipient tokens change nothing', async () => {
    const token = tokenIn((await readMessages(h.catcher.mailboxDir, dealerTokyo.email))[2]!.text);
    const preview = await previewNotice(h.ctx, key, token);
    expect(preview).toMatchObject({ ok: true, notice: { noticeId: rectifiedNotice, items: ['email'], recipientId: dealerTokyo.id } });
    expect(await noticeRecords(rectifiedNotice)).toHaveLength(1);

    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const asAck = mintAckToken(key, { disclosureId: rectifiedNotice, recipientId: dealerTokyo.id, expiresAt });
    const otherRecipient = mintAckToken(key, { disclosureId: rectifiedNotice, recipientId: dealerOsaka.id, expiresAt }, 'notice');
    const expired = mintAckToken(key, { disclosureId: rectifiedNotice, recipientId: dealerTokyo.id, expiresAt: new Date(Date.now() - 1000).toISOString() }, 'notice');
    const otherKey = mintAckToken(randomBytes(32), { disclosureId: rectifiedNotice, recipientId: dealerTokyo.id, expiresAt }, 'notice');
    expect(await confirmNoticeWithToken(h.ctx, key, asAck)).toMatchObject({ ok: false, reason: 'forged' });
    expect(await confirmNoticeWithToken(h.ctx, key, otherKey)).toMatchObject({ ok: false, reason: 'forged' });
    expect(await confirmNoticeWithToken(h.ctx, key, expired)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await confirmNoticeWithToken(h.ctx, key, otherRecipient)).toMatchObject({ ok: false, reason: 'wrong-recipient' });
    expect(await noticeRecords(rectifiedNotice)).toHaveLength(1);

    const first = await confirmNoticeWithToken(h.ctx, key, token);
    expect(first).toMatchObject({ ok: true, noticeId: rectifiedNotice, recordId: expect.stringMatching(/^R-\d{8}$/) });
    const again = await confirmNoticeWithToken(h.ctx, key, token);
    expect(again).toMatchObject({ ok: false, reason: 'already-confirmed' });
    const entries = await noticeRecords(rectifiedNotice);
    expect(entries.map((r) => r.entryType)).toEqual(['recipient-notice', 'recipient-notice-confirmation']);
    expect(entries[1]).toMatchObject({ details: { via: 'link', overdue: false, reminders: 0 } });
    const done = await workflowResult(rectifiedWorkflow);
    expect(done.notices).toEqual([expect.objectContaining({ noticeId: rectifiedNotice, status: 'confirmed', reminders: 0, escalated: false })]);
    const history = await historyText(rectifiedWorkflow);
    expect(history).toContain(rectifiedNotice);
    for (const value of [NEW_EMAIL, NEW_BIRTH, hanako.name, hanako.phone!]) expect(history).not.toContain(value);
  });

  test('an unconfirmed notice is reminded every interval and escalated to the privacy office from the second reminder; each is a ledger entry; then confirmed over the API path', async () => {
    const officeBefore = (await readMessages(h.catcher.mailboxDir, OFFICE)).length;
    const out = await rectifySubject(
      h.ctx,
      { subject: hanako.id, changes: { phone: NEW_PHONE } },
      STAFF,
      { timing: { confirmWithinMs: 1_000, reminderIntervalMs: 1_000, escalateAfterReminders: 2 } },
    );
    expect(out.notices.map((n) => [n.recipientId, n.items])).toEqual([[dealerOsaka.id, ['phone']]]);
    const noticeId = out.notices[0]!.noticeId;
    // The notice, then reminders 1 and 2 to the dealer; the escalation of reminder 2 to the office.
    const osaka = await waitForMessages(h.catcher.mailboxDir, dealerOsaka.email, 4, 30_000);
    expect(osaka[1]!.text).toContain(`電話番号 / Phone: ${NEW_PHONE}`);
    expect(osaka[2]!.subject).toContain(`Please confirm notice ${noticeId}`);
    for (const m of osaka.slice(2)) expect(m.text).not.toContain(NEW_PHONE);
    const office = await waitForMessages(h.catcher.mailboxDir, OFFICE, officeBefore + 1, 30_000);
    expect(office.some((m) => m.subject?.includes(`Notice confirmation overdue: ${noticeId}`))).toBe(true);

    const wrong = await confirmNotice(h.ctx, { noticeId, recipientId: dealerTokyo.id, via: 'api' });
    expect(wrong).toMatchObject({ ok: false, reason: 'wrong-recipient' });
    expect(await confirmNotice(h.ctx, { noticeId, recipientId: dealerOsaka.id, via: 'api' })).toMatchObject({ ok: true, noticeId });
    const done = await workflowResult(out.workflowId!);
    expect(done.notices[0]).toMatchObject({ status: 'confirmed', escalated: true });
    expect(done.notices[0]!.reminders).toBeGreaterThanOrEqual(2);
    const types = (await noticeRecords(noticeId)).map((r) => r.entryType);
    expect(types[0]).toBe('recipient-notice');
    expect(types.filter((t) => t === 'recipient-notice-reminder').length).toBeGreaterThanOrEqual(2);
    expect(types.filter((t) => t === 'recipient-notice-escalation').length).toBeGreaterThanOrEqual(1);
    expect(types[types.length - 1]).toBe('recipient-notice-confirmation');
    expect((await noticeRecords(noticeId)).find((r) => r.entryType === 'recipient-notice-confirmation')).toMatchObject({ details: { via: 'api', overdue: true } });
  });

  test('consent withdrawn after delivery: the dealer that received data under it is asked to stop using and delete name and email; no one else', async () => {
    const osakaBefore = (await readMessages(h.catcher.mailboxDir, dealerOsaka.email)).length;
    const { notices } = await withdrawConsent(h.ctx, tokyoConsent, testRegistrar);
    expect(notices.notices.map((n) => [n.recipientId, n.items])).toEqual([[dealerTokyo.id, ['name', 'email']]]);
    const mails = await waitForMessages(h.catcher.mailboxDir, dealerTokyo.email, 4, 30_000);
    expect(mails[3]!.text).toContain(tokyoConsent);
    expect(mails[3]!.text).toContain('Please stop using them and delete them');
    for (const value of personalValues(hanako)) expect(mails[3]!.text).not.toContain(value);
    expect(mails[3]!.text).not.toContain(NEW_EMAIL);
    expect(await readMessages(h.catcher.mailboxDir, dealerOsaka.email)).toHaveLength(osakaBefore);
    const noticeId = notices.notices[0]!.noticeId;
    for (let i = 0; i < 300 && (await noticeRecords(noticeId)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await noticeRecords(noticeId)).toEqual([expect.objectContaining({ entryType: 'recipient-notice', outcome: 'delivered', details: expect.objectContaining({ cause: 'withdrawal', consentId: tokyoConsent }) })]);
  });

  test('erasure: the registry row goes; the dealer still holding data is asked to delete it (the one already asked is not asked again); the ledger keeps ids and item names, never a value', async () => {
    await expect(eraseSubject(h.ctx, { subject: 'C-NOPE' }, STAFF)).rejects.toThrow(InputError);
    const tokyoBefore = (await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).length;
    const out = await eraseSubject(h.ctx, { subject: hanako.id }, STAFF);
    expect(out.notices.map((n) => [n.recipientId, n.items])).toEqual([[dealerOsaka.id, ['name', 'phone', 'postalCode', 'address']]]);
    expect(await h.store.getSubject(hanako.id)).toBeUndefined();
    expect(await h.store.getSubject(taro.id)).toBeDefined();
    const osaka = await waitForMessages(h.catcher.mailboxDir, dealerOsaka.email, 5, 30_000);
    const erasure = osaka[4]!;
    expect(erasure.text).toContain('Please delete the items below');
    for (const value of [...personalValues(hanako), NEW_EMAIL, NEW_PHONE]) expect(erasure.text).not.toContain(value);
    expect(await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).toHaveLength(tokyoBefore);

    const noticeId = out.notices[0]!.noticeId;
    for (let i = 0; i < 300 && (await noticeRecords(noticeId)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const acts = (await h.store.listRecords({ entryType: 'registry' })).filter((r) => r.details?.subjectId === hanako.id);
    expect(acts.map((r) => [r.details?.action, r.requestedBy, r.actor?.name])).toEqual([
      ['subject-rectified', 'staff:ito', 'staff:ito'],
      ['subject-rectified', 'staff:ito', 'staff:ito'],
      ['subject-erased', 'staff:ito', 'staff:ito'],
    ]);
    expect(acts[0]!.details).toMatchObject({ items: 'email,birthDate' });
    expect(acts[2]!.details).toMatchObject({ noticeBatch: out.batchId });
    const ledger = JSON.stringify([...(await h.store.listRecords({ subjectId: hanako.id })), ...acts]);
    expect(ledger).toContain(noticeId);
    for (const value of [...personalValues(hanako), NEW_EMAIL, NEW_PHONE, NEW_BIRTH]) expect(ledger).not.toContain(value);
    for (const wf of [out.workflowId!, rectifiedWorkflow]) {
      const history = await historyText(wf);
      for (const value of [hanako.name, NEW_EMAIL, NEW_PHONE, hanako.address!]) expect(history).not.toContain(value);
    }
  });

  test("the erased customer's report lists which recipients were told, of what, when, and whether they confirmed; no value", async () => {
    const report = await buildSubjectReport(h.store, hanako.id, { policyPath: POLICY_PATH });
    expect(report.recipientsTold.map((t) => [t.recipient.id, t.cause, t.items, t.confirmedAt !== undefined, t.escalated])).toEqual([
      [dealerTokyo.id, 'rectification', ['email'], true, false],
      [dealerOsaka.id, 'rectification', ['phone'], true, true],
      [dealerTokyo.id, 'withdrawal', ['name', 'email'], false, false],
      [dealerOsaka.id, 'erasure', ['name', 'phone', 'postalCode', 'address'], false, false],
    ]);
    for (const t of report.recipientsTold) expect(t.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const text = reportText(report);
    expect(text).toContain('GDPR Art. 19: recipients told of changes');
    expect(text).toContain('erasure (asked to delete)');
    for (const value of [...personalValues(hanako), NEW_EMAIL, NEW_PHONE]) expect(text).not.toContain(value);
    expect(reportText(await buildSubjectReport(h.store, taro.id))).not.toContain('recipients told');
  });

  test("audit: every notice workflow replays against today's code, and an evidence bundle verifies each notice entry against its history", async () => {
    process.env.DISCLOSURE_WORKFLOW_BUNDLE = process.env.TEST_WORKFLOW_BUNDLE;
    const replay = await auditReplay(h.ctx, {}, { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter: h.dataConverter });
    expect(replay.consistent).toBe(true);
    const notifyRuns = replay.results.map((r) => r.workflowId).filter((id) => id.startsWith('notify-'));
    expect(notifyRuns).toHaveLength(4);
    expect(notifyRuns).toContain(rectifiedWorkflow);
    await createCheckpoint(h.store, loadLedgerKey(keyPathsOf({ home: h.home }), { create: true })!, new Date());
    const bundle = path.join(await mkdtemp(path.join(os.tmpdir(), 'notice-evidence-')), 'bundle');
    expect((await runCli(h, ['audit', 'export', '--out', bundle, '--json'])).code).toBe(0);
    const verified = await runCli(h, ['audit', 'verify', bundle, '--json']);
    expect((verified.json as { checks: unknown[] }).checks).toEqual(['manifest', 'checkpoint', 'chain', 'replay', 'records'].map((check) => ({ check, ok: true, problems: [] })));
    expect(verified.code).toBe(0);
  });

  test('bad input writes nothing: an unknown customer, an unknown item, an id that names another customer', async () => {
    await expect(rectifySubject(h.ctx, { subject: 'C-NOPE', changes: { email: NEW_EMAIL } }, STAFF)).rejects.toThrow(/no customer C-NOPE/);
    await expect(rectifySubject(h.ctx, { subject: taro.id, changes: { shoeSize: 27 } }, STAFF)).rejects.toThrow(InputError);
    await expect(rectifySubject(h.ctx, { subject: taro.id, changes: { id: hanako.id, email: NEW_EMAIL } }, STAFF)).rejects.toThrow(/file\.id/);
    await expect(rectifySubject(h.ctx, { subject: taro.id, changes: { email: 'not-an-email' } }, STAFF)).rejects.toThrow(/email/);
    expect(await h.store.getSubject(taro.id)).toEqual(taro);
  });
});
