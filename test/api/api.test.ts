import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Role } from '../../api/auth';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import { ROUTES } from '../../api/routes';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import { ackLinkFactory, mintAckToken } from '../../service/ack-token';
import { grantConsent } from '../../service/registry';
import { dealerOsaka, dealerTokyo, hanako, taro, testRegistrar } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { POLICY_PATH, startHarness } from '../support/harness';
import { parseCsv } from '../support/csv';
import { waitForMessages } from '../support/mailbox';

let h: Harness;
let api: ApiServer;
const ackKey = randomBytes(32);
const tokens: Record<string, string> = {};
let osakaTokenId: string;

beforeAll(async () => {
  let apiUrl = 'http://127.0.0.1:1';
  h = await startHarness({
    ackLink: (d, r) => ackLinkFactory({ apiUrl, key: ackKey, ttlMs: 60 * 60_000, clock: () => new Date() })(d, r),
  });
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo, dealerOsaka]);
  const file = path.join(h.home, 'api-tokens.json');
  tokens.admin = (await ensureTokenFile(file)).adminToken!;
  tokens.requester = (await addToken(file, { role: 'requester', name: 'staff:ito' })).token;
  tokens.approver = (await addToken(file, { role: 'approver', name: 'staff:sato' })).token;
  tokens.registrar = (await addToken(file, { role: 'registrar', name: 'staff:mori' })).token;
  tokens.auditor = (await addToken(file, { role: 'auditor', name: 'audit:kato' })).token;
  tokens.recipient = (await addToken(file, { role: 'recipient', name: dealerTokyo.name, recipientId: dealerTokyo.id })).token;
  const osaka = await addToken(file, { role: 'recipient', name: dealerOsaka.name, recipientId: dealerOsaka.id });
  tokens.osaka = osaka.token;
  osakaTokenId = osaka.id;
  api = await startApiServer({
    tokens: fileTokenRegistry(file),
    deps: { ctx: h.ctx, home: h.home, ackKey, policyPath: POLICY_PATH, timeZone: 'Asia/Tokyo', replay: { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter: h.dataConverter }, ledgerKey: () => undefined },
  });
  apiUrl = api.url;
});
afterAll(async () => {
  await api.close();
  await h.stop();
});

/** JSON by default; `form` posts what a browser's form does (urlencoded). */
async function call(method: string, url: string, opts: { token?: string; body?: unknown; form?: string } = {}) {
  const form = opts.form !== undefined && method === 'POST';
  const res = await fetch(url.startsWith('http') ? url : `${api.url}${url}`, {
    method,
    headers: {
      ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    ...(form ? { body: opts.form } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : undefined, text };
}

/** Starts a catalog request through the API and waits for its outcome. */
async function deliver(subjectId: string, dealer: typeof dealerTokyo) {
  const consent = await grantConsent(h.ctx, { subject: subjectId, recipient: dealer.id, purpose: 'catalog-request', noticeVersion: 'notice-2026-04' }, testRegistrar);
  const started = await call('POST', '/api/disclosures/dealer-catalog', {
    token: tokens.requester,
    body: { subjectId, dealerId: dealer.id, consentId: consent.id, catalog: 'Prius 2026', requestedBy: 'someone-else' },
  });
  expect(started.status).toBe(202);
  const id = started.json!.id as string;
  expect((await call('GET', `/api/disclosures/${id}/result`, { token: tokens.auditor })).json).toMatchObject({ status: 'delivered' });
  return id;
}

const ackRecords = async (id: string) => (await h.store.listRecords({ disclosureId: id })).filter((r) => r.entryType === 'acknowledgement');
const unacknowledged = async () =>
  ((await call('GET', '/api/handoffs?unacknowledged=true', { token: tokens.admin })).json!.handoffs as { disclosureId: string }[]).map((x) => x.disclosureId);

describe('HTTP API', () => {
  let tokyoId: string;
  let osakaId: string;
  let link: string | undefined;

  test('a requester starts a catalog request; the record names the caller, not what the body claims', async () => {
    tokyoId = await deliver(hanako.id, dealerTokyo);
    const [record] = await h.store.listRecords({ disclosureId: tokyoId });
    expect(record).toMatchObject({ requestedBy: 'staff:ito', outcome: 'delivered', items: ['name', 'email'] });
  });

  test('bad input is 400 with the field named, and nothing starts', async () => {
    const before = (await h.store.listDisclosures({})).length;
    const res = await call('POST', '/api/disclosures/dealer-catalog', { token: tokens.requester, body: { subjectId: hanako.id, dealerId: dealerTokyo.id, catalog: 'x', contact: 'fax' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { type: 'InputError', issues: [{ field: 'contact' }] } });
    const unknown = await call('POST', '/api/disclosures/dealer-catalog', { token: tokens.requester, body: { subjectId: 'C-NOPE', dealerId: dealerTokyo.id, catalog: 'x' } });
    expect(unknown.json).toMatchObject({ error: { issues: [{ field: 'subject' }] } });
    expect((await h.store.listDisclosures({})).length).toBe(before);
    expect((await call('GET', '/api/disclosures/D-NOPE', { token: tokens.auditor })).status).toBe(404);
  });

  test('a recipient sees only its own handoffs', async () => {
    osakaId = await deliver(taro.id, dealerOsaka);
    const mine = await call('GET', '/api/handoffs', { token: tokens.recipient });
    expect((mine.json!.handoffs as { disclosureId: string }[]).map((x) => x.disclosureId)).toEqual([tokyoId]);
    const asked = await call('GET', `/api/handoffs?recipient=${dealerOsaka.id}`, { token: tokens.recipient });
    expect((asked.json!.handoffs as { disclosureId: string }[]).map((x) => x.disclosureId)).toEqual([tokyoId]);
    expect((await call('GET', `/api/handoffs/${tokyoId}`, { token: tokens.osaka })).status).toBe(404);
    expect((await call('GET', `/api/handoffs/${osakaId}`, { token: tokens.osaka })).json).toMatchObject({ disclosureId: osakaId, items: ['name', 'email'] });
    expect(await unacknowledged()).toEqual([tokyoId, osakaId]);
  });

  test('opening the link shows what was received and records nothing, however often it is opened (mail scanners fetch links)', async () => {
    const [mail] = await waitForMessages(h.catcher.mailboxDir, dealerTokyo.email, 1);
    link = /(http:\/\/127\.0\.0\.1:\d+\/ack\/[A-Za-z0-9_.-]+)/.exec(mail!.text ?? '')?.[1];
    expect(link).toBeDefined();
    const total = (await h.store.listRecords()).length;
    const first = await call('GET', link!);
    const second = await call('GET', link!);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.text.indexOf('受領の確認')).toBeLessThan(first.text.indexOf('Confirm receipt'));
    expect(first.text).toContain(tokyoId);
    expect(first.text).toContain('氏名 / Name');
    expect(first.text).toContain('メールアドレス / Email');
    expect(first.text).not.toContain('住所 / Address');
    expect(first.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} JST/);
    expect(first.text).toContain('トヨタコネクティッド株式会社');
    expect(first.text).toMatch(/<form method="post"><button type="submit">/);
    expect(first.text).not.toContain(hanako.name);
    expect((await h.store.listRecords()).length).toBe(total);
    expect(await ackRecords(tokyoId)).toEqual([]);
    expect((await call('GET', `/api/disclosures/${tokyoId}`, { token: tokens.auditor })).json).toMatchObject({ status: 'delivered' });
  });

  test('the confirm button (POST) records the acknowledgement once; status becomes acknowledged; a second POST says it was already acknowledged', async () => {
    const confirmed = await call('POST', link!, { form: '' });
    expect(confirmed.status).toBe(201);
    expect(confirmed.text).toContain('Receipt acknowledged');
    // No API token acts on the link: the entry names the recipient it was issued to.
    expect(await ackRecords(tokyoId)).toEqual([
      expect.objectContaining({ entryType: 'acknowledgement', workflowId: `ack-${tokyoId}`, items: [], actor: { name: dealerTokyo.id, via: 'link' }, details: expect.objectContaining({ via: 'link' }) }),
    ]);
    expect((await call('GET', `/api/disclosures/${tokyoId}`, { token: tokens.auditor })).json).toMatchObject({ status: 'acknowledged' });
    const total = (await h.store.listRecords()).length;
    const again = await call('POST', link!, { form: '' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already acknowledged');
    const reopened = await call('GET', link!);
    expect(reopened.status).toBe(409);
    expect(reopened.text).toContain('already acknowledged');
    expect((await h.store.listRecords()).length).toBe(total);
    expect(await ackRecords(tokyoId)).toHaveLength(1);
    expect(await unacknowledged()).toEqual([osakaId]);
  });

  test('forged, expired and other-recipient tokens change nothing', async () => {
    const total = (await h.store.listRecords()).length;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const genuine = mintAckToken(ackKey, { disclosureId: osakaId, recipientId: dealerOsaka.id, expiresAt: inAnHour });
    const otherKey = mintAckToken(randomBytes(32), { disclosureId: osakaId, recipientId: dealerOsaka.id, expiresAt: inAnHour });
    const edited = `${Buffer.from(JSON.stringify({ d: tokyoId, r: dealerTokyo.id, e: inAnHour })).toString('base64url')}.${genuine.split('.')[1]!}`;
    const expired = mintAckToken(ackKey, { disclosureId: osakaId, recipientId: dealerOsaka.id, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const wrongRecipient = mintAckToken(ackKey, { disclosureId: osakaId, recipientId: dealerTokyo.id, expiresAt: inAnHour });
    for (const method of ['GET', 'POST']) {
      expect((await call(method, `/ack/${otherKey}`, { form: '' })).status).toBe(403);
      expect((await call(method, `/ack/${edited}`, { form: '' })).status).toBe(403);
      expect((await call(method, '/ack/not-a-token', { form: '' })).status).toBe(403);
      expect((await call(method, `/ack/${expired}`, { form: '' })).status).toBe(410);
      expect((await call(method, `/ack/${wrongRecipient}`, { form: '' })).status).toBe(403);
    }
    expect((await call('POST', `/api/handoffs/${osakaId}/ack`, { token: tokens.recipient })).status).toBe(403);
    expect((await h.store.listRecords()).length).toBe(total);
    expect(await ackRecords(osakaId)).toEqual([]);
    expect((await call('GET', `/api/disclosures/${osakaId}`, { token: tokens.auditor })).json).toMatchObject({ status: 'delivered' });
    expect(await unacknowledged()).toEqual([osakaId]);
  });

  test('the recipient acknowledges through the API with its own token, once; the entry names that token', async () => {
    const res = await call('POST', `/api/handoffs/${osakaId}/ack`, { token: tokens.osaka });
    expect(res.status).toBe(201);
    expect(await ackRecords(osakaId)).toEqual([expect.objectContaining({ actor: { tokenId: osakaTokenId, name: dealerOsaka.name, via: 'api' }, details: expect.objectContaining({ via: 'api' }) })]);
    expect((await call('POST', `/api/handoffs/${osakaId}/ack`, { token: tokens.osaka })).status).toBe(409);
    expect(await ackRecords(osakaId)).toHaveLength(1);
    expect(await unacknowledged()).toEqual([]);
  });

  test('the OpenAPI document is generated from the request schemas', async () => {
    const res = await call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.json!.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> }; 'x-roles'?: string[] }>>;
    const dealer = paths['/api/disclosures/dealer-catalog']!.post!;
    expect(Object.keys(dealer.requestBody!.content['application/json']!.schema.properties)).toEqual(expect.arrayContaining(['subjectId', 'dealerId', 'contact']));
    expect(dealer['x-roles']).toEqual(['requester', 'admin']);
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/handoffs/{id}/ack', '/api/audit/replay', '/ack/{token}']));
  });

  test('records and handoffs as text/csv: by ?format=csv or an Accept header; BOM, CRLF, +09:00 times, read back with csv-parse; JSON otherwise', async () => {
    const get = (url: string, accept?: string) =>
      fetch(`${api.url}${url}`, { headers: { authorization: `Bearer ${tokens.auditor}`, ...(accept !== undefined ? { accept } : {}) } });
    for (const res of [await get('/api/records?format=csv'), await get('/api/records', 'text/csv')]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="records.csv"');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      expect(text).not.toMatch(/[^\r]\n/);
      const rows = parseCsv(text);
      const at = (name: string) => rows.slice(1).map((r) => r[rows[0]!.indexOf(name)]);
      expect(at('disclosureId')).toEqual(expect.arrayContaining([tokyoId, osakaId]));
      for (const when of at('occurredAt')) expect(when).toMatch(/\+09:00$/);
    }
    const json = await get('/api/records', 'application/json, text/csv;q=0.5');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await json.json()) as { records: unknown[] }).records.length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const none = parseCsv((await (await get('/api/records?format=csv&from=2020-01-01&to=2020-12-31')).text()).slice(1));
    expect(none).toHaveLength(1);
    expect((await get(`/api/records?from=${today}&to=31-12-2026`)).status).toBe(400);

    const mine = await fetch(`${api.url}/api/handoffs?format=csv`, { headers: { authorization: `Bearer ${tokens.recipient}` } });
    expect(mine.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const handoffs = parseCsv((await mine.text()).slice(1));
    expect(handoffs.slice(1).map((r) => r[0])).toEqual([tokyoId]);

    const doc = (await call('GET', '/openapi.json')).json as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }>; parameters: { name: string }[] } }> };
    expect(Object.keys(doc.paths['/api/records']!.get.responses['200']!.content)).toEqual(['application/json', 'text/csv']);
    expect(doc.paths['/api/records']!.get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['format', 'from', 'to']));
    expect(Object.keys(doc.paths['/api/handoffs']!.get.responses['200']!.content)).toEqual(['application/json', 'text/csv']);
  });

  describe('every endpoint checks the role before doing anything', () => {
    const ROLES: Role[] = ['requester', 'registrar', 'approver', 'auditor', 'admin', 'recipient'];
    const snapshot = async () => ({
      records: (await h.store.listRecords()).length,
      disclosures: (await h.store.listDisclosures({})).length,
      recipients: (await h.store.listRecipients()).length,
      demoSubject: await h.store.getSubject('C-1003'),
    });
    const guarded = ROUTES.filter((r) => r.roles !== 'public');

    test.each(guarded.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
      const url = route.path.replace(/:[a-z]+/g, 'D-NOPE');
      const body = route.method === 'POST' ? {} : undefined;
      const before = await snapshot();
      expect((await call(route.method, url, { body })).status).toBe(401);
      expect((await call(route.method, url, { token: 'dsk_forged', body })).status).toBe(401);
      const allowed = route.roles as readonly Role[];
      for (const role of ROLES.filter((r) => !allowed.includes(r))) {
        const res = await call(route.method, url, { token: tokens[role], body });
        expect({ role, status: res.status }).toEqual({ role, status: 403 });
      }
      expect(await snapshot()).toEqual(before);
      for (const role of allowed) {
        const res = await call(route.method, url, { token: tokens[role], body });
        expect({ role, refused: [401, 403].includes(res.status) }).toEqual({ role, refused: false });
      }
    });
  });
});
