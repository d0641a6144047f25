import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import type { Recipient } from '../../domain/registry';
import { hanako } from '../support/fixtures';
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
});
