import { canonicalJson } from '../../domain/canonical';
import type { DisclosureRecord } from '../../domain/record';
import { writeFileSync } from 'node:fs';
import { exportPublicKeyPem, keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { createCheckpoint, verifyLedger } from '../../service/ledger';
import { formatRecordId, GENESIS_HASH, hashRecord } from '../../store/chain';
import { BACKENDS, type Ledger } from './backends';
import { recordInput } from './records';

const now = new Date('2026-06-01T00:00:00Z');
const keyOf = (l: Ledger) => loadLedgerKey(keyPathsOf({ home: l.home }), { create: true })!;

async function appendFive(l: Ledger): Promise<DisclosureRecord[]> {
  const out: DisclosureRecord[] = [];
  for (let n = 1; n <= 5; n++) out.push((await l.store.appendRecord(recordInput(n), `2026-05-0${n}T10:00:01.000Z`)).record);
  return out;
}

type Row = { seq: number; body: string; hash: string };

/** Re-hashes every record from `fromSeq` on so the chain is consistent again, as a careful intruder would. */
async function rewriteChainFrom(l: Ledger, fromSeq: number, edit: (r: DisclosureRecord) => void): Promise<void> {
  const raw = await l.raw();
  await raw.dropAppendOnlyTriggers();
  const rows = await raw.all<Row>('SELECT seq, body, hash FROM ledger ORDER BY seq');
  let prev = rows.find((r) => Number(r.seq) === fromSeq - 1)?.hash ?? GENESIS_HASH;
  for (const row of rows.filter((r) => Number(r.seq) >= fromSeq)) {
    const { hash: _old, ...rest } = JSON.parse(row.body) as DisclosureRecord;
    if (Number(row.seq) === fromSeq) edit(rest as DisclosureRecord);
    rest.prevHash = prev;
    const hash = hashRecord(rest);
    await raw.run('UPDATE ledger SET body = ?, hash = ?, prev_hash = ? WHERE seq = ?', [canonicalJson({ ...rest, hash }), hash, prev, row.seq]);
    prev = hash;
  }
  await raw.close();
}

describe.each(BACKENDS)('the disclosure ledger on $name', (backend) => {
  let l: Ledger;
  beforeAll(() => backend.start(), 120_000);
  afterAll(() => backend.stop());
  beforeEach(async () => {
    l = await backend.ledger();
  });
  afterEach(() => l.dispose());

  test('the database itself rejects UPDATE and DELETE on the ledger and on consent history', async () => {
    const [first] = await appendFive(l);
    await l.store.grantConsent({ subjectId: 'C-1001', recipientId: 'R-1', purpose: 'p', noticeVersion: 'v1', channel: 'web-form', grantedAt: '2026-04-01T00:00:00.000Z' });
    const raw = await l.raw();
    await expect(raw.run("UPDATE ledger SET kind = 'legal' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(raw.run('DELETE FROM ledger WHERE seq = 5')).rejects.toThrow(/append-only/);
    await expect(raw.run("DELETE FROM ledger_subjects WHERE subject_id = 'C-1001'")).rejects.toThrow(/append-only/);
    await expect(raw.run("UPDATE consents SET purpose = 'other'")).rejects.toThrow(/append-only/);
    await expect(raw.run('DELETE FROM consents')).rejects.toThrow(/append-only/);
    await raw.close();
    expect(await l.store.listRecords()).toHaveLength(5);
    expect((await l.store.listRecords({ recordId: 'R-00000001' }))[0]).toEqual(first);
    expect((await l.store.getConsent('CN-000001'))?.purpose).toBe('p');
  });

  test('an untouched chain verifies, and every record carries its retention date', async () => {
    const records = await appendFive(l);
    await createCheckpoint(l.store, keyOf(l), now);
    const report = await verifyLedger(l.store, keyOf(l));
    expect(report).toMatchObject({ ok: true, records: 5, checkpointIssues: [], head: { seq: 5, hash: records[4]!.hash } });
    expect(report.firstBad).toBeUndefined();
    expect(records[0]).toMatchObject({ recordId: 'R-00000001', prevHash: GENESIS_HASH, retention: { appiUntil: '2029-05-01', appiRule: 'APPI Art. 29(2); Enforcement Rules Art. 21(iii)', hipaaUntil: '2032-05-01', retainUntil: '2032-05-01' } });
    expect(records[1]!.prevHash).toBe(records[0]!.hash);
  });

  test('editing a field behind the application is named at that record', async () => {
    await appendFive(l);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    const [row] = await raw.all<Row>('SELECT body FROM ledger WHERE seq = 3');
    await raw.run('UPDATE ledger SET body = ? WHERE seq = 3', [row!.body.replace('["name","email"]', '["name"]')]);
    await raw.close();
    const report = await verifyLedger(l.store, undefined);
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ seq: 3, recordId: 'R-00000003', problem: expect.stringMatching(/no longer matches its hash/) });
  });

  test('a stored body rewritten out of canonical form is named, even with its content unchanged', async () => {
    await appendFive(l);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    const [row] = await raw.all<Row>('SELECT body FROM ledger WHERE seq = 2');
    // Same members and values, the hash member last and spaces between: JSON.parse reads the same record.
    const { hash, ...rest } = JSON.parse(row!.body) as DisclosureRecord;
    await raw.run('UPDATE ledger SET body = ? WHERE seq = 2', [JSON.stringify({ ...rest, hash }, null, 1)]);
    await raw.close();
    const report = await verifyLedger(l.store, undefined);
    expect(report.ok).toBe(false);
    expect(report.records).toBe(1);
    expect(report.firstBad).toMatchObject({ seq: 2, recordId: 'R-00000002', problem: expect.stringMatching(/stored bytes were rewritten/) });
  });

  test('a changed field in a body stored out of canonical form is named as changed content', async () => {
    await appendFive(l);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    const [row] = await raw.all<Row>('SELECT body FROM ledger WHERE seq = 4');
    const body = JSON.parse(row!.body) as DisclosureRecord;
    await raw.run('UPDATE ledger SET body = ? WHERE seq = 4', [JSON.stringify({ ...body, items: ['name'] }, null, 2)]);
    await raw.close();
    expect((await verifyLedger(l.store, undefined)).firstBad).toMatchObject({ seq: 4, problem: expect.stringMatching(/no longer matches its hash/) });
  });

  test('a customer dropped from the index only is named at that record', async () => {
    await appendFive(l);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run('DELETE FROM ledger_subjects WHERE seq = 4');
    await raw.close();
    expect((await verifyLedger(l.store, undefined)).firstBad).toMatchObject({ seq: 4, problem: expect.stringMatching(/customers indexed/) });
  });

  test('editing an indexed column only is named at that record', async () => {
    await appendFive(l);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run("UPDATE ledger SET recipient_id = 'R-OTHER' WHERE seq = 2");
    await raw.close();
    expect((await verifyLedger(l.store, undefined)).firstBad).toMatchObject({ seq: 2, problem: expect.stringMatching(/recipient_id/) });
  });

  test('a deleted row is named as the missing record', async () => {
    await appendFive(l);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run('DELETE FROM ledger_subjects WHERE seq = 3');
    await raw.run('DELETE FROM ledger WHERE seq = 3');
    await raw.close();
    expect((await verifyLedger(l.store, undefined)).firstBad).toMatchObject({ seq: 3, recordId: 'R-00000003', problem: expect.stringMatching(/missing/) });
  });

  test('two workers signing at once, each on its own connection, chain one checkpoint onto the other', async () => {
    const other = await l.open(); // closed with the ledger
    for (let round = 0; round < 3; round++) {
      for (let n = 1; n <= 3; n++) await l.store.appendRecord(recordInput(round * 3 + n), `2026-05-0${n}T1${round}:00:01.000Z`);
      const [a, b] = await Promise.all([createCheckpoint(l.store, keyOf(l), now), createCheckpoint(other, keyOf(l), now)]);
      // One of them signs the new head; the other finds it signed and adds nothing.
      expect([a.created, b.created].sort()).toEqual([false, true]);
    }
    const checkpoints = await l.store.listCheckpoints();
    expect(checkpoints.map((c) => c.seq)).toEqual([3, 6, 9]);
    expect(await verifyLedger(l.store, keyOf(l))).toMatchObject({ ok: true, checkpointIssues: [], checkpoints: { trusted: 3 } });
    // A checkpoint built on a predecessor that is no longer the newest is not appended.
    const { id: _id, ...stale } = checkpoints[1]!;
    expect(await other.appendCheckpoint(stale, { after: checkpoints[0]!.id })).toBeUndefined();
    expect(await l.store.listCheckpoints()).toHaveLength(3);
  });

  test('deleting the newest rows is caught by the signed checkpoint', async () => {
    await appendFive(l);
    await createCheckpoint(l.store, keyOf(l), now);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run('DELETE FROM ledger_subjects WHERE seq >= 4');
    await raw.run('DELETE FROM ledger WHERE seq >= 4');
    await raw.close();
    expect((await verifyLedger(l.store, keyOf(l))).firstBad).toMatchObject({ seq: 4, recordId: 'R-00000004', problem: expect.stringMatching(/missing/) });
  });

  test('an inserted row is named, even when the intruder hashed it correctly', async () => {
    const records = await appendFive(l);
    await createCheckpoint(l.store, keyOf(l), now);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    for (const seq of [5, 4, 3]) {
      await raw.run('UPDATE ledger_subjects SET seq = ? WHERE seq = ?', [seq + 1, seq]);
      await raw.run('UPDATE ledger SET seq = ? WHERE seq = ?', [seq + 1, seq]);
    }
    const { hash: _h, ...forged } = { ...records[1]!, seq: 3, recordId: formatRecordId(3), idempotencyKey: 'FORGED', disclosureId: 'FORGED', prevHash: records[1]!.hash, items: ['name', 'address'] };
    const hash = hashRecord(forged as DisclosureRecord);
    await raw.run(
      `INSERT INTO ledger (seq, record_id, idempotency_key, disclosure_id, kind, recipient_id, body, prev_hash, hash, recorded_at)
       VALUES (3, 'R-00000003-F', 'FORGED', 'FORGED', 'dealer-catalog', ?, ?, ?, ?, ?)`,
      [forged.recipient.id, canonicalJson({ ...forged, hash }), forged.prevHash, hash, forged.recordedAt],
    );
    await raw.close();
    const report = await verifyLedger(l.store, keyOf(l));
    expect(report.firstBad).toMatchObject({ seq: 3, recordId: 'R-00000003' });
  });

  test('reordered rows are named at the first one out of place', async () => {
    await appendFive(l);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run('UPDATE ledger_subjects SET seq = 100 WHERE seq = 2');
    await raw.run('UPDATE ledger SET seq = 100 WHERE seq = 2');
    await raw.run('UPDATE ledger_subjects SET seq = 2 WHERE seq = 3');
    await raw.run('UPDATE ledger SET seq = 2 WHERE seq = 3');
    await raw.run('UPDATE ledger_subjects SET seq = 3 WHERE seq = 100');
    await raw.run('UPDATE ledger SET seq = 3 WHERE seq = 100');
    await raw.close();
    expect((await verifyLedger(l.store, undefined)).firstBad).toMatchObject({ seq: 2, recordId: 'R-00000002', problem: expect.stringMatching(/out of place/) });
  });

  test('a whole chain rewritten with fresh hashes passes the chain check but not the signed checkpoint', async () => {
    await appendFive(l);
    await createCheckpoint(l.store, keyOf(l), now);
    await rewriteChainFrom(l, 4, (r) => {
      r.items = ['name'];
    });
    expect((await verifyLedger(l.store, undefined)).firstBad).toBeUndefined();
    const report = await verifyLedger(l.store, keyOf(l));
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ seq: 4, recordId: 'R-00000004', problem: expect.stringMatching(/checkpoint CP-000001/) });
  });

  test('a rewrite inside the second of three checkpoints is named at its first record, against that checkpoint', async () => {
    for (let n = 1; n <= 9; n++) {
      await l.store.appendRecord(recordInput(n), `2026-05-0${n}T10:00:01.000Z`);
      if (n % 3 === 0) await createCheckpoint(l.store, keyOf(l), now);
    }
    expect(await verifyLedger(l.store, keyOf(l))).toMatchObject({ ok: true, records: 9, checkpoints: { trusted: 3 } });
    await rewriteChainFrom(l, 5, (r) => {
      r.items = ['name'];
    });
    const report = await verifyLedger(l.store, keyOf(l));
    expect(report.firstBad).toMatchObject({ seq: 5, recordId: 'R-00000005', problem: expect.stringMatching(/checkpoint CP-000002/) });
  });

  test('deleting the checkpoints from the database does not hide a rewrite: the key folder keeps a witness', async () => {
    await appendFive(l);
    await createCheckpoint(l.store, keyOf(l), now);
    await rewriteChainFrom(l, 2, (r) => {
      r.purpose = 'rewritten';
    });
    const raw = await l.raw();
    await raw.run('DELETE FROM ledger_checkpoints');
    await raw.close();
    const report = await verifyLedger(l.store, keyOf(l));
    expect(report.firstBad).toMatchObject({ seq: 2 });
    expect(report.checkpointIssues).toEqual([expect.stringMatching(/CP-000001 .*missing from the database/)]);
  });

  test('a checkpoint re-signed with another key is not trusted', async () => {
    await appendFive(l);
    const ours = keyOf(l);
    await createCheckpoint(l.store, ours, now);
    const intruder = loadLedgerKey({ privateKeyPath: `${l.home}/intruder/key.pem` }, { create: true })!;
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run('DELETE FROM ledger_checkpoints');
    await raw.close();
    await l.store.appendRecord(recordInput(6), now.toISOString());
    await createCheckpoint(l.store, { ...intruder, witnessFile: `${l.home}/intruder/w.jsonl` }, now);
    const report = await verifyLedger(l.store, ours);
    expect(report.ok).toBe(false);
    expect(report.checkpointIssues).toEqual(
      expect.arrayContaining([expect.stringMatching(/CP-000001 .*missing/), expect.stringMatching(new RegExp(`signed by key ${intruder.keyId}`))]),
    );
  });

  test('20 concurrent appends over 4 connections with 5 distinct keys make exactly 5 records and one chain', async () => {
    const stores = [l.store, await l.open(), await l.open(), await l.open()];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % 4]!.appendRecord(recordInput((i % 5) + 1), now.toISOString())),
    );
    expect(results.filter((r) => r.created)).toHaveLength(5);
    for (const key of ['D-1', 'D-2', 'D-3', 'D-4', 'D-5']) {
      expect(new Set(results.filter((r) => r.record.idempotencyKey === key).map((r) => r.record.recordId)).size).toBe(1);
    }
    expect(await l.store.listRecords()).toHaveLength(5);
    expect(await verifyLedger(l.store, undefined)).toMatchObject({ ok: true, records: 5 });
  });

  test("an auditor's public key alone verifies the checkpoints but cannot sign", async () => {
    await appendFive(l);
    const signer = keyOf(l);
    await createCheckpoint(l.store, signer, now);
    const pub = `${l.home}/auditor.pub.pem`;
    writeFileSync(pub, exportPublicKeyPem(signer));
    const auditor = loadLedgerKey({ privateKeyPath: `${l.home}/auditor/none.pem`, publicKeyPath: pub }, { create: false })!;
    expect(auditor.sign).toBeUndefined();
    expect(await verifyLedger(l.store, auditor)).toMatchObject({ ok: true, checkpoints: { trusted: 1 } });
    await l.store.appendRecord(recordInput(6), now.toISOString());
    await expect(createCheckpoint(l.store, auditor, now)).rejects.toThrow(/public key only/);
    expect(await l.store.listCheckpoints()).toHaveLength(1);
  });

  test('verify reports progress page by page on a large ledger', async () => {
    for (let n = 1; n <= 1100; n++) await l.store.appendRecord(recordInput(n, { idempotencyKey: `K-${n}`, occurredAt: now.toISOString() }), now.toISOString());
    const ticks: number[] = [];
    let finished = false;
    const report = await verifyLedger(l.store, undefined, { tick: (d) => ticks.push(d), done: () => (finished = true) });
    expect(report).toMatchObject({ ok: true, records: 1100 });
    expect(ticks).toEqual([500, 1000, 1100]);
    expect(finished).toBe(true);
  });

  test('a correction is a new record naming the one it corrects; the original stays untouched', async () => {
    const [, second] = await appendFive(l);
    const { correctRecord } = await import('../../service/ledger-entries');
    const input = { record: 'R-00000002', by: 'staff:sato', reason: 'email was not sent', items: ['name'] };
    const first = await correctRecord(l.store, now, input);
    const again = await correctRecord(l.store, now, input);
    expect(first).toMatchObject({ created: true, record: { seq: 6, entryType: 'correction', corrects: 'R-00000002', items: ['name'], disclosureId: 'D-2' } });
    expect(again).toMatchObject({ created: false, record: { recordId: first.record.recordId } });
    expect((await l.store.listRecords({ recordId: 'R-00000002' }))[0]).toEqual(second);
    expect(await l.store.listRecords()).toHaveLength(6);
  });

  test('recipient changes are kept as versions; an unchanged save adds none', async () => {
    const carrier = {
      id: 'R-CARRIER-1', kind: 'carrier' as const, name: '運輸株式会社', address: '東京都', email: 'h@carrier.test',
      contract: { id: 'K-1', validFrom: '2026-01-01', validTo: '2026-12-31', instructions: '配送のみ', lastSupervisionCheck: '2026-03-01' },
    };
    await l.store.putRecipients([carrier]);
    await l.store.putRecipients([carrier]);
    await l.store.putRecipients([{ ...carrier, contract: { ...carrier.contract, lastSupervisionCheck: '2026-09-30' } }]);
    const history = await l.store.recipientHistory('R-CARRIER-1');
    expect(history.map((v) => [v.version, v.data.contract?.lastSupervisionCheck])).toEqual([[1, '2026-03-01'], [2, '2026-09-30']]);
    expect((await l.store.getRecipient('R-CARRIER-1'))?.contract?.lastSupervisionCheck).toBe('2026-09-30');
  });
});
