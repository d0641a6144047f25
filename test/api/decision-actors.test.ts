import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import { waitForHandoff } from '../../service/deletion';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { legalAftercare } from '../../service/legal';
import { requestShipping } from '../../service/shipping';
import { carrier, customer } from '../support/entrustment-fixtures';
import { hanako, policeMarunouchi } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { POLICY_PATH, startHarness } from '../support/harness';

/** Approvals, rejections, reviews and deletion confirmations through the API name the token that made them, not only a name. */
const shipper = carrier('R-CARRIER-ACT');
const parcelFor = customer('ACT', 1);
let h: Harness;
let api: ApiServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako, parcelFor]);
  await h.store.putRecipients([policeMarunouchi, shipper]);
  const file = path.join(h.home, 'api-tokens.json');
  await ensureTokenFile(file);
  for (const [key, role, name] of [
    ['a', 'requester', 'staff:ito'],
    ['b', 'approver', 'staff:sato'],
    ['c', 'approver', 'staff:kato'],
  ] as const) {
    const issued = await addToken(file, { role, name });
    tokens[key] = issued.token;
    ids[key] = issued.id;
  }
  const carrierToken = await addToken(file, { role: 'recipient', name: shipper.name, recipientId: shipper.id });
  tokens.carrier = carrierToken.token;
  ids.carrier = carrierToken.id;
  api = await startApiServer({
    tokens: fileTokenRegistry(file),
    deps: { ctx: h.ctx, home: h.home, ackKey: randomBytes(32), policyPath: POLICY_PATH, timeZone: 'Asia/Tokyo', replay: { dataConverter: h.dataConverter }, ledgerKey: () => undefined },
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

async function post(url: string, token: string, body: unknown) {
  const res = await fetch(`${api.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await sleep(50);
  }
  throw new Error(`never: ${what}`);
}

/** Token A files a request; returns its id once it waits for a second person. */
async function fileByA(over: Record<string, unknown> = {}) {
  const started = await post('/api/disclosures/legal', tokens.a!, {
    subjectId: hanako.id,
    authorityId: policeMarunouchi.id,
    ground: 'warrant',
    documentRef: '令和8年(わ)第77号',
    issuingOfficial: '東京地方裁判所 裁判官 中村 一郎',
    fields: ['name', 'address'],
    justification: '差押許可状に基づく照会',
    notice: { mode: 'prohibited' },
    ...over,
  });
  expect(started).toMatchObject({ status: 202, json: { id: expect.any(String) } });
  const id = started.json.id as string;
  await until(`${id} awaits approval`, async () => (await disclosureStatus(h.ctx, id)).status === 'awaiting-approval');
  return id;
}

const token = (key: string, name: string) => ({ tokenId: ids[key], name, via: 'api' });
const entries = async (id: string, entryType: string) => (await h.store.listRecords({ disclosureId: id })).filter((r) => r.entryType === entryType);

describe('decisions on legal requests through the API name the acting token', () => {
  test('a request filed by token A and approved by token B: the record names A as requester and B as the approver; a body cannot claim another', async () => {
    const id = await fileByA();
    const forged = { tokenId: ids.c, name: 'staff:kato', via: 'api' };
    const approved = await post(`/api/disclosures/${id}/approve`, tokens.b!, { authorityCheck: '代表番号に架電し確認', actor: forged, approver: 'staff:kato' });
    expect(approved).toMatchObject({ status: 200, json: { approvedBy: 'staff:sato' } });
    expect(await waitForDisclosure(h.ctx, id)).toMatchObject({ status: 'delivered' });
    const [record] = await entries(id, 'disclosure');
    expect(record).toMatchObject({ requestedBy: 'staff:ito', actor: token('a', 'staff:ito'), approvedBy: ['staff:sato'], decidedBy: token('b', 'staff:sato') });
    expect(JSON.stringify(record)).not.toContain(ids.c!);
  });

  test('a rejection by token B names B', async () => {
    const id = await fileByA({ documentRef: '令和8年(わ)第78号' });
    expect((await post(`/api/disclosures/${id}/reject`, tokens.b!, { reason: '令状の記載不備' })).status).toBe(200);
    expect(await waitForDisclosure(h.ctx, id)).toMatchObject({ status: 'refused', reason: { code: 'approval-rejected' } });
    const [record] = await entries(id, 'disclosure');
    expect(record).toMatchObject({ actor: token('a', 'staff:ito'), decidedBy: token('b', 'staff:sato'), details: { rejectedBy: 'staff:sato' } });
  });

  test('an emergency released by token C and reviewed by token B: the review entry names B, the record names C as the approver', async () => {
    const id = await fileByA({ ground: 'emergency', documentRef: '119-2026-7001', fields: ['name', 'phone'] });
    expect((await post(`/api/disclosures/${id}/approve`, tokens.c!, { authorityCheck: '消防指令センターに折り返し確認' })).status).toBe(200);
    await waitForDisclosure(h.ctx, id);
    await until(`${id} review due`, async () => (await legalAftercare(h.ctx, id))?.review.startsWith('due by') === true);
    expect((await post(`/api/disclosures/${id}/review`, tokens.c!, { outcome: 'upheld', notes: 'self' })).status).toBe(422);
    const reviewed = await post(`/api/disclosures/${id}/review`, tokens.b!, { outcome: 'upheld', notes: '生命の危険があり妥当' });
    expect(reviewed).toMatchObject({ status: 200, json: { reviewedBy: 'staff:sato' } });
    await until(`${id} reviewed`, async () => (await entries(id, 'review')).length === 1);
    const [disclosure] = await entries(id, 'disclosure');
    expect(disclosure).toMatchObject({ actor: token('a', 'staff:ito'), decidedBy: token('c', 'staff:kato') });
    const [review] = await entries(id, 'review');
    expect(review).toMatchObject({ approvedBy: ['staff:kato'], actor: token('b', 'staff:sato'), details: { reviewedBy: 'staff:sato' } });
  });
});

test("a carrier's deletion confirmation through the API names its recipient token, not the requester's", async () => {
  const started = await requestShipping(h.ctx, { subjectId: parcelFor.id, carrierId: shipper.id, shipmentRef: 'SHP-ACT-1', requestedBy: 'staff:ito', actor: { name: 'staff:ito', tokenId: ids.a!, via: 'api' } });
  expect(await waitForHandoff(h.ctx, started.id)).toMatchObject({ status: 'delivered' });
  const confirmed = await post(`/api/disclosures/${started.id}/confirm-deletion`, tokens.carrier!, { by: '運輸 情報管理部 小林' });
  expect(confirmed).toMatchObject({ status: 200, json: { alreadyConfirmed: false } });
  const [entry] = await entries(started.id, 'deletion-confirmation');
  expect(entry).toMatchObject({ actor: { tokenId: ids.carrier, name: shipper.name, via: 'api' }, details: { confirmedBy: '運輸 情報管理部 小林' } });
  const [delivered] = await entries(started.id, 'disclosure');
  expect(delivered).toMatchObject({ actor: token('a', 'staff:ito') });
});
