import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import { ackLinkFactory, mintAckToken } from '../../service/ack-token';
import { runCliText } from '../support/cli';
import { dealerOsaka, dealerTokyo, hanako, personalValues, taro } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { POLICY_PATH, startHarness } from '../support/harness';
import { readMessages, waitForMessages } from '../support/mailbox';
import { consentedCatalogRequest } from '../support/requests';

let h: Harness;
let api: ApiServer;
const key = randomBytes(32);
const tokens: Record<string, string> = {};

beforeAll(async () => {
  let apiUrl = 'http://127.0.0.1:1';
  const link = (scope: 'ack' | 'notice') => (d: string, r: string) => ackLinkFactory({ apiUrl, key, ttlMs: 60 * 60_000, clock: () => new Date() }, scope)(d, r);
  h = await startHarness({ ackLink: link('ack'), noticeLink: link('notice') });
  h.ctx.noticeTiming = { confirmWithinMs: 10 * 60_000, reminderIntervalMs: 10 * 60_000, escalateAfterReminders: 2 };
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo, dealerOsaka]);
  const file = path.join(h.home, 'api-tokens.json');
  tokens.admin = (await ensureTokenFile(file)).adminToken!;
  tokens.requester = (await addToken(file, { role: 'requester', name: 'staff:ito' })).token;
  tokens.registrar = (await addToken(file, { role: 'registrar', name: 'staff:mori' })).token;
  tokens.auditor = (await addToken(file, { role: 'auditor', name: 'audit:kato' })).token;
  tokens.tokyo = (await addToken(file, { role: 'recipient', name: dealerTokyo.name, recipientId: dealerTokyo.id })).token;
  tokens.osaka = (await addToken(file, { role: 'recipient', name: dealerOsaka.name, recipientId: dealerOsaka.id })).token;
  api = await startApiServer({
    tokens: fileTokenRegistry(file),
    deps: { ctx: h.ctx, home: h.home, ackKey: key, policyPath: POLICY_PATH, timeZone: 'Asia/Tokyo', replay: {}, ledgerKey: () => undefined },
  });
  apiUrl = api.url;
  // Tokyo holds hanako's name and email and taro's name and email; Osaka holds taro's name and email.
  await consentedCatalogRequest(h);
  await consentedCatalogRequest(h, { subjectId: taro.id });
  await consentedCatalogRequest(h, { subjectId: taro.id, dealerId: dealerOsaka.id });
});
afterAll(async () => {
  await api.close();
  await h.stop();
});

async function call(method: string, url: string, opts: { token?: string; body?: unknown; form?: boolean } = {}) {
  const res = await fetch(url.startsWith('http') ? url : `${api.url}${url}`, {
    method,
    headers: {
      ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
      'content-type': opts.form === true ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    ...(opts.form === true && method === 'POST' ? { body: '' } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : undefined, text };
}

const linkIn = (text: string | undefined): string => {
  const m = /(https?:\/\/\S+\/notice\/\S+)/.exec(text ?? '');
  if (m?.[1] === undefined) throw new Error(`no notice link in:\n${text ?? ''}`);
  return m[1];
};

const NEW_EMAIL = 'hanako.new@example.jp';

describe('downstream notices over HTTP and the command line', () => {
  test('rectify and erase are the registry writers\' (registrar, admin): a requester, an auditor or a recipient gets 403 and nothing changes', async () => {
    for (const who of ['requester', 'auditor', 'tokyo']) {
      expect((await call('POST', `/api/subjects/${hanako.id}/rectify`, { token: tokens[who], body: { email: NEW_EMAIL } })).status).toBe(403);
      expect((await call('POST', `/api/subjects/${hanako.id}/erase`, { token: tokens[who] })).status).toBe(403);
    }
    expect((await call('POST', `/api/subjects/${hanako.id}/rectify`, { body: { email: NEW_EMAIL } })).status).toBe(401);
    const bad = await call('POST', `/api/subjects/${hanako.id}/rectify`, { token: tokens.registrar, body: { email: NEW_EMAIL, shoeSize: 27 } });
    expect(bad.status).toBe(400);
    expect(await h.store.getSubject(hanako.id)).toEqual(hanako);
    expect(await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).toHaveLength(2);
  });

  test('a registrar rectifies; the dealer opens the link (GET records nothing), confirms with the button (POST records once), and a second POST is refused', async () => {
    const res = await call('POST', `/api/subjects/${hanako.id}/rectify`, { token: tokens.registrar, body: { email: NEW_EMAIL } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ changed: ['email'], cause: 'rectification', notices: [{ recipientId: dealerTokyo.id, items: ['email'] }] });
    const noticeId = (res.json!.notices as { noticeId: string }[])[0]!.noticeId;
    const mail = (await waitForMessages(h.catcher.mailboxDir, dealerTokyo.email, 3, 30_000))[2]!;
    const link = linkIn(mail.text);
    expect(link.startsWith(`${api.url}/notice/`)).toBe(true);

    const count = async () => (await h.store.listRecords({ disclosureId: noticeId })).length;
    for (let i = 0; i < 300 && (await count()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const [sent] = await h.store.listRecords({ disclosureId: noticeId });
    expect(sent).toMatchObject({ entryType: 'recipient-notice', requestedBy: 'staff:mori', actor: { name: 'staff:mori', tokenId: expect.any(String), via: 'api' }, items: ['email'] });

    const page = await call('GET', link);
    expect(page.status).toBe(200);
    expect(page.text).toContain(noticeId);
    expect(page.text).toContain('<form method="post">');
    expect(page.text).not.toContain(NEW_EMAIL);
    expect(await count()).toBe(1);

    const confirmed = await call('POST', link, { form: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.text).toContain('確認しました / Confirmed');
    const again = await call('POST', link, { form: true });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already confirmed');
    expect((await call('GET', link)).status).toBe(409);
    const entries = await h.store.listRecords({ disclosureId: noticeId });
    expect(entries.map((r) => r.entryType)).toEqual(['recipient-notice', 'recipient-notice-confirmation']);
    expect(entries[1]).toMatchObject({ details: { via: 'link' } });
  });

  test('forged, edited, expired, other-recipient and handoff-ack tokens change nothing, on GET and POST; a notice link is no acknowledgement link', async () => {
    const res = await call('POST', `/api/subjects/${taro.id}/rectify`, { token: tokens.admin, body: { name: '佐藤 太郎次' } });
    const notices = res.json!.notices as { noticeId: string; recipientId: string }[];
    expect(notices.map((n) => n.recipientId)).toEqual([dealerOsaka.id, dealerTokyo.id]);
    const osakaNotice = notices[0]!.noticeId;
    await waitForMessages(h.catcher.mailboxDir, dealerOsaka.email, 2, 30_000);
    // Both notices' entries first, so the count below holds still while the tokens are tried.
    for (const { noticeId } of notices) {
      for (let i = 0; i < 300 && (await h.store.listRecords({ disclosureId: noticeId })).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    }
    const total = (await h.store.listRecords()).length;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const genuine = mintAckToken(key, { disclosureId: osakaNotice, recipientId: dealerOsaka.id, expiresAt: inAnHour }, 'notice');
    const edited = `${Buffer.from(JSON.stringify({ d: notices[1]!.noticeId, r: dealerTokyo.id, e: inAnHour })).toString('base64url')}.${genuine.split('.')[1]!}`;
    const forged = mintAckToken(randomBytes(32), { disclosureId: osakaNotice, recipientId: dealerOsaka.id, expiresAt: inAnHour }, 'notice');
    const asAck = mintAckToken(key, { disclosureId: osakaNotice, recipientId: dealerOsaka.id, expiresAt: inAnHour });
    const expired = mintAckToken(key, { disclosureId: osakaNotice, recipientId: dealerOsaka.id, expiresAt: new Date(Date.now() - 1000).toISOString() }, 'notice');
    const wrongRecipient = mintAckToken(key, { disclosureId: osakaNotice, recipientId: dealerTokyo.id, expiresAt: inAnHour }, 'notice');
    for (const method of ['GET', 'POST']) {
      expect((await call(method, `/notice/${forged}`, { form: true })).status).toBe(403);
      expect((await call(method, `/notice/${edited}`, { form: true })).status).toBe(403);
      expect((await call(method, `/notice/${asAck}`, { form: true })).status).toBe(403);
      expect((await call(method, `/notice/not-a-token`, { form: true })).status).toBe(403);
      expect((await call(method, `/notice/${expired}`, { form: true })).status).toBe(410);
      expect((await call(method, `/notice/${wrongRecipient}`, { form: true })).status).toBe(403);
      expect((await call(method, `/ack/${genuine}`, { form: true })).status).toBe(403);
    }
    expect((await call('POST', `/api/notices/${osakaNotice}/confirm`, { token: tokens.tokyo })).status).toBe(403);
    expect((await call('POST', `/api/notices/${osakaNotice}/confirm`, { token: tokens.registrar })).status).toBe(403);
    expect((await h.store.listRecords()).length).toBe(total);

    const byApi = await call('POST', `/api/notices/${osakaNotice}/confirm`, { token: tokens.osaka });
    expect(byApi.status).toBe(201);
    expect(byApi.json).toMatchObject({ ok: true, noticeId: osakaNotice });
    expect((await call('POST', `/api/notices/${osakaNotice}/confirm`, { token: tokens.osaka })).status).toBe(409);
    expect((await h.store.listRecords({ disclosureId: osakaNotice })).filter((r) => r.entryType === 'recipient-notice-confirmation')).toHaveLength(1);
  });

  test('the command line: subject update reads the values from a file (never argv) and names items only; subject erase exits 0, a second erase exits 2', async () => {
    const file = path.join(h.home, 'phone.json');
    await writeFile(file, JSON.stringify({ email: 'taro.sato@example.jp' }), { mode: 0o600 });
    const update = await runCliText(h, ['subject', 'update', '--subject', taro.id, '--file', file, '--json']);
    expect(update.code).toBe(0);
    const out = JSON.parse(update.stdout) as { changed: string[]; notices: { recipientId: string; items: string[] }[] };
    expect(out.changed).toEqual(['email']);
    expect(out.notices.map((n) => [n.recipientId, n.items])).toEqual([
      [dealerOsaka.id, ['email']],
      [dealerTokyo.id, ['email']],
    ]);
    expect(update.stdout).not.toContain('taro.sato@example.jp');
    const text = await runCliText(h, ['subject', 'update', '--subject', taro.id, '--file', file]);
    expect(text).toMatchObject({ code: 0, stdout: `${taro.id}: nothing changed` });

    const erase = await runCliText(h, ['subject', 'erase', '--subject', hanako.id]);
    expect(erase.code).toBe(0);
    expect(erase.stdout).toContain(`${hanako.id}: erased from the registry`);
    expect(erase.stdout).toContain(dealerTokyo.name);
    for (const value of [...personalValues(hanako), NEW_EMAIL]) expect(erase.stdout).not.toContain(value);
    expect(await h.store.getSubject(hanako.id)).toBeUndefined();
    const twice = await runCliText(h, ['subject', 'erase', '--subject', hanako.id]);
    expect(twice.code).toBe(2);
    expect(twice.stdout + twice.stderr).toContain('no customer C-1001');
  });
});
