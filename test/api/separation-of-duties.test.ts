import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import type { Recipient } from '../../domain/registry';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { dealerTokyo, hanako } from '../support/fixtures';
import { readMessages } from '../support/mailbox';
import { runCli } from '../support/cli';
import type { Harness } from '../support/harness';
import { POLICY_PATH, startHarness } from '../support/harness';

let h: Harness;
let api: ApiServer;
const tokens: Record<string, string> = {};
const tokenIds: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  const file = path.join(h.home, 'api-tokens.json');
  tokens.admin = (await ensureTokenFile(file)).adminToken!;
  for (const [key, role, name] of [
    ['requester', 'requester', 'staff:ito'],
    ['registrar', 'registrar', 'staff:mori'],
    ['registrar2', 'registrar', 'staff:abe'],
    ['approver', 'approver', 'staff:sato'],
  ] as const) {
    const issued = await addToken(file, { role, name });
    tokens[key] = issued.token;
    tokenIds[key] = issued.id;
  }
  api = await startApiServer({
    tokens: fileTokenRegistry(file),
    deps: { ctx: h.ctx, home: h.home, ackKey: randomBytes(32), policyPath: POLICY_PATH, timeZone: 'Asia/Tokyo', replay: { dataConverter: h.dataConverter }, ledgerKey: () => undefined },
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

async function call(method: string, url: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${api.url}${url}`, {
    method,
    headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

/** Polls until `done` holds, for at most about ten seconds. */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition never held');
}

const dealer = (id: string, over: Partial<Recipient> = {}): Recipient => ({
  id,
  kind: 'dealer',
  name: '名古屋トヨペット株式会社 栄店',
  address: '愛知県名古屋市中区栄3-1-1',
  email: `catalog@${id.toLowerCase()}.test`,
  ...over,
});

describe('separation of duties in the registry', () => {
  test('a requester cannot register a recipient, a customer or a consent', async () => {
    const before = { recipients: await h.store.listRecipients(), records: await h.store.listRecords() };
    expect((await call('POST', '/api/recipients', tokens.requester, dealer('R-DEALER-EVIL'))).status).toBe(403);
    expect((await call('POST', '/api/subjects', tokens.requester, hanako)).status).toBe(403);
    expect((await call('POST', '/api/consents', tokens.requester, { subject: hanako.id, recipient: 'R-DEALER-EVIL', purpose: 'catalog-request', noticeVersion: 'n-1' })).status).toBe(403);
    expect(await h.store.listRecipients()).toEqual(before.recipients);
    expect(await h.store.getSubject(hanako.id)).toBeUndefined();
    expect(await h.store.listRecords()).toEqual(before.records);
  });

  test('a registrar writes customers', async () => {
    const res = await call('POST', '/api/subjects', tokens.registrar, hanako);
    expect(res).toEqual({ status: 200, json: { added: [hanako.id] } });
    expect(await h.store.getSubject(hanako.id)).toMatchObject({ name: hanako.name });
  });

  const registryEntries = async (action: string) => (await h.store.listRecords({ entryType: 'registry' })).filter((r) => r.details?.action === action);

  test('every registry write names the acting token', async () => {
    const [entry] = await registryEntries('subjects-written');
    expect(entry).toMatchObject({ entryType: 'registry', requestedBy: 'staff:mori', actor: { tokenId: tokenIds.registrar, name: 'staff:mori', via: 'api' }, subjectIds: [] });
    expect(JSON.stringify(entry)).not.toContain(hanako.name);
  });

  test('a new recipient is pending until a second person approves it', async () => {
    const proposed = await call('POST', '/api/recipients', tokens.registrar, dealer('R-DEALER-NEW'));
    expect(proposed.status).toBe(200);
    expect(proposed.json).toMatchObject({ added: [], pending: [{ recipientId: 'R-DEALER-NEW', changeId: expect.stringMatching(/^RC-\d{6}$/) }] });
    expect(await h.store.getRecipient('R-DEALER-NEW')).toBeUndefined();
    const [entry] = await registryEntries('recipient-proposed');
    expect(entry).toMatchObject({ actor: { tokenId: tokenIds.registrar, name: 'staff:mori' }, recipient: { id: 'R-DEALER-NEW' } });
    const pending = await call('GET', '/api/registry/pending', tokens.registrar2);
    expect(pending.json).toMatchObject({ changes: [{ recipient: { id: 'R-DEALER-NEW' }, proposedBy: { tokenId: tokenIds.registrar } }] });
  });

  test('a registrar cannot approve their own recipient', async () => {
    const [change] = await h.store.listRecipientChanges({ pending: true });
    const res = await call('POST', `/api/registry/changes/${change!.id}/approve`, tokens.registrar);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { details: { code: 'approval-same-person' } } });
    expect(String((res.json!.error as { message: string }).message)).toMatch(/second person/);
    expect(await h.store.getRecipient('R-DEALER-NEW')).toBeUndefined();
    expect(await registryEntries('recipient-approved')).toEqual([]);
  });

  test('a requester or an approver cannot approve a recipient change', async () => {
    const [change] = await h.store.listRecipientChanges({ pending: true });
    for (const who of ['requester', 'approver']) {
      expect((await call('POST', `/api/registry/changes/${change!.id}/approve`, tokens[who])).status).toBe(403);
    }
    expect(await h.store.getRecipient('R-DEALER-NEW')).toBeUndefined();
  });

  test('a second registrar approves it; the approval is a ledger entry naming their token', async () => {
    const [change] = await h.store.listRecipientChanges({ pending: true });
    const res = await call('POST', `/api/registry/changes/${change!.id}/approve`, tokens.registrar2);
    expect(res).toMatchObject({ status: 200, json: { state: 'approved', decidedBy: { tokenId: tokenIds.registrar2, name: 'staff:abe' } } });
    expect(await h.store.getRecipient('R-DEALER-NEW')).toMatchObject({ email: 'catalog@r-dealer-new.test' });
    expect(await registryEntries('recipient-approved')).toEqual([expect.objectContaining({ actor: { tokenId: tokenIds.registrar2, name: 'staff:abe', via: 'api' } })]);
    expect((await call('POST', `/api/registry/changes/${change!.id}/approve`, tokens.admin)).status).toBe(400);
  });

  test('a change of name alone takes effect at once; a change of email waits', async () => {
    const renamed = await call('POST', '/api/recipients', tokens.registrar, dealer('R-DEALER-NEW', { name: '名古屋トヨペット株式会社 栄本店' }));
    expect(renamed.json).toEqual({ added: ['R-DEALER-NEW'], pending: [] });
    const moved = await call('POST', '/api/recipients', tokens.registrar, dealer('R-DEALER-NEW', { name: '名古屋トヨペット株式会社 栄本店', email: 'attacker@evil.test' }));
    expect(moved.json).toMatchObject({ added: [], pending: [{ recipientId: 'R-DEALER-NEW', changed: ['email'] }] });
    expect(await h.store.getRecipient('R-DEALER-NEW')).toMatchObject({ email: 'catalog@r-dealer-new.test' });
  });

  test('a pending recipient receives nothing: the basis check refuses with recipient-pending', async () => {
    await h.store.putRecipients([dealerTokyo]);
    const consent = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1' });
    expect(consent.status).toBe(201);
    const changed = await call('POST', '/api/recipients', tokens.registrar, { ...dealerTokyo, email: 'attacker@evil.test' });
    expect(changed.json).toMatchObject({ pending: [{ recipientId: dealerTokyo.id }] });
    const started = await requestDealerCatalog(h.ctx, { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId: consent.json!.id as string, catalog: 'Prius 2026', requestedBy: 'staff:ito' });
    const result = await waitForDisclosure(h.ctx, started.id);
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'recipient-pending' } });
    const [record] = await h.store.listRecords({ disclosureId: started.id });
    expect(record).toMatchObject({ outcome: 'refused', items: [] });
    expect(await readMessages(h.catcher.mailboxDir, 'attacker@evil.test')).toHaveLength(0);
    expect(await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).toHaveLength(0);
  });

  test('a rejected change leaves the recipient as it was, and the rejection names the token', async () => {
    const [change] = await h.store.listRecipientChanges({ recipientId: dealerTokyo.id, pending: true });
    expect((await call('POST', `/api/registry/changes/${change!.id}/reject`, tokens.registrar2, {})).status).toBe(400);
    const res = await call('POST', `/api/registry/changes/${change!.id}/reject`, tokens.registrar2, { reason: '販売店に確認できない' });
    expect(res.json).toMatchObject({ state: 'rejected', reason: '販売店に確認できない' });
    expect(await h.store.getRecipient(dealerTokyo.id)).toMatchObject({ email: dealerTokyo.email });
    expect(await registryEntries('recipient-rejected')).toEqual([expect.objectContaining({ actor: expect.objectContaining({ tokenId: tokenIds.registrar2 }) })]);
  });

  test('a recipient change proposed after the first check and before the send: the send refuses with recipient-pending, nothing is sent', async () => {
    const consent = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1' });
    expect(consent.status).toBe(201);
    const started = await requestDealerCatalog(
      h.ctx,
      { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId: consent.json!.id as string, catalog: 'Prius 2026', requestedBy: 'staff:ito' },
      { dispatchDelayMs: 3_000 },
    );
    // The basis was checked and the message staged; the workflow waits before dispatch.
    await until(async () => (await disclosureStatus(h.ctx, started.id)).step === 'holding before dispatch');
    expect(await h.store.getHandoff(started.id)).toMatchObject({ sentAt: null, raw: expect.anything() });
    // A change of email reaches no workflow; only the re-check inside the send activity can see it.
    const changed = await call('POST', '/api/recipients', tokens.registrar, { ...dealerTokyo, email: 'attacker@evil.test' });
    expect(changed.json).toMatchObject({ pending: [{ recipientId: dealerTokyo.id, changed: ['email'] }] });

    const result = await waitForDisclosure(h.ctx, started.id);
    expect(result).toMatchObject({ status: 'refused', fields: [], reason: { code: 'recipient-pending' } });
    expect(await h.store.listRecords({ disclosureId: started.id })).toEqual([expect.objectContaining({ outcome: 'refused', items: [] })]);
    expect(await h.store.getHandoff(started.id)).toMatchObject({ raw: null, sentAt: null });
    expect(await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).toHaveLength(0);
    expect(await readMessages(h.catcher.mailboxDir, 'attacker@evil.test')).toHaveLength(0);

    const [change] = await h.store.listRecipientChanges({ recipientId: dealerTokyo.id, pending: true });
    expect((await call('POST', `/api/registry/changes/${change!.id}/reject`, tokens.registrar2, { reason: 'test over' })).status).toBe(200);
  });

  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  const consentCount = async () => (await h.store.listConsents(hanako.id)).length;

  test('a consent records who entered it, when it arrived, its channel and its evidence', async () => {
    const res = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1', channel: 'paper', evidenceRef: 'SCAN-2026-0042' });
    expect(res.status).toBe(201);
    const stored = await h.store.getConsent(res.json!.id as string);
    expect(stored).toMatchObject({ channel: 'paper', evidenceRef: 'SCAN-2026-0042', grantedAtClaimed: false, enteredBy: { tokenId: tokenIds.registrar, name: 'staff:mori', via: 'api' } });
    expect(stored!.receivedAt).toBe(stored!.grantedAt);
    const [entry] = (await registryEntries('consent-granted')).filter((r) => r.details?.consentId === stored!.id);
    expect(entry).toMatchObject({ actor: { tokenId: tokenIds.registrar }, details: { channel: 'paper', evidenceRef: 'SCAN-2026-0042' } });
  });

  test('a consent given ten days before it is entered is recorded as claimed, with its evidence', async () => {
    const grantedAt = daysAgo(10);
    const missing = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1', grantedAt });
    expect(missing).toMatchObject({ status: 400, json: { error: { issues: [{ field: 'evidenceRef' }] } } });
    const res = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1', grantedAt, evidenceRef: 'FORM-77' });
    expect(res.status).toBe(201);
    const stored = await h.store.getConsent(res.json!.id as string);
    expect(stored).toMatchObject({ grantedAt, grantedAtClaimed: true, evidenceRef: 'FORM-77' });
    expect(Date.parse(stored!.receivedAt!)).toBeGreaterThan(Date.parse(grantedAt));
  });

  test('a consent backdated beyond the policy window is bad input, and nothing is written (API 400, CLI exit 2)', async () => {
    const before = { consents: await consentCount(), records: (await h.store.listRecords()).length };
    const res = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1', grantedAt: daysAgo(31), evidenceRef: 'FORM-78' });
    expect(res).toMatchObject({ status: 400, json: { error: { issues: [{ field: 'grantedAt', message: expect.stringContaining('30 days') }] } } });
    const future = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1', grantedAt: daysAgo(-1), evidenceRef: 'FORM-79' });
    expect(future).toMatchObject({ status: 400, json: { error: { issues: [{ field: 'grantedAt' }] } } });
    const cli = await runCli(h, ['consent', 'grant', '--subject', hanako.id, '--recipient', dealerTokyo.id, '--purpose', 'catalog-request', '--notice-version', 'n-1', '--granted-at', daysAgo(45), '--evidence', 'FORM-80', '--json']);
    expect(cli.code).toBe(2);
    expect(cli.json).toMatchObject({ error: { issues: [{ field: 'grantedAt' }] } });
    expect({ consents: await consentCount(), records: (await h.store.listRecords()).length }).toEqual(before);
  });

  test('a disclosure requested through the API names the requesting token in its record; a body cannot claim another', async () => {
    const consent = await call('POST', '/api/consents', tokens.registrar, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1' });
    const forged = { tokenId: tokenIds.approver, name: 'staff:sato', via: 'api' };
    const started = await call('POST', '/api/disclosures/dealer-catalog', tokens.requester, { subjectId: hanako.id, dealerId: dealerTokyo.id, consentId: consent.json!.id, catalog: 'Prius 2026', actor: forged });
    expect(started.status).toBe(202);
    expect(await waitForDisclosure(h.ctx, started.json!.id as string)).toMatchObject({ status: 'delivered' });
    const [record] = await h.store.listRecords({ disclosureId: started.json!.id as string });
    expect(record).toMatchObject({ requestedBy: 'staff:ito', actor: { tokenId: tokenIds.requester, name: 'staff:ito', via: 'api' } });
  });
});
