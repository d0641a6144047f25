import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DisclosureRecordInput } from '../../domain/record';
import { snapshotRecipient } from '../../domain/registry';
import { InputError } from '../../service/errors';
import { transparencyReport } from '../../service/transparency';
import { SqliteStore } from '../../store/sqlite';
import { policeMarunouchi } from '../support/fixtures';

let dir: string;
let store: SqliteStore;

const legal = (n: number, over: Partial<DisclosureRecordInput>): DisclosureRecordInput => ({
  idempotencyKey: `L-${n}`,
  entryType: 'disclosure',
  disclosureId: `L-${n}`,
  kind: 'legal',
  outcome: 'delivered',
  workflowId: `wf-L-${n}`,
  runId: `run-${n}`,
  subjectIds: ['C-1001'],
  recipient: snapshotRecipient(policeMarunouchi),
  purpose: 'warrant',
  items: ['name', 'address'],
  requestedItems: ['name', 'address', 'phone'],
  policy: { version: 'test', digest: 'sha256:test' },
  requestedBy: 'staff:ito',
  occurredAt: '2026-06-10T10:00:00.000Z',
  ...over,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'legal-transparency-'));
  store = new SqliteStore(path.join(dir, 'ledger.db'), { schema: 'migrate' });
  const rows = [
    legal(1, {}),
    legal(2, { items: ['name', 'address', 'phone'] }),
    legal(3, { outcome: 'refused', items: [], refusal: { code: 'approval-expired', message: 'deadline' } }),
    legal(4, { purpose: 'emergency', items: ['phone'], requestedItems: ['phone'] }),
    // Follow-up entries of disclosure 4 are not further requests.
    legal(5, { disclosureId: 'L-4', entryType: 'review', items: [] }),
    legal(6, { disclosureId: 'L-4', entryType: 'notice', items: [] }),
    // 23:00 JST on 31 December 2025: outside 2026 in the engine's zone.
    legal(7, { occurredAt: '2025-12-31T14:00:00.000Z' }),
  ];
  for (const r of rows) await store.appendRecord(r, r.occurredAt);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('transparency report from the ledger', () => {
  test('counts one request per disclosure record within the period, by ground and outcome, with narrowing', async () => {
    const report = await transparencyReport(store, { from: '2026-01-01', to: '2026-12-31' });
    expect(report.total).toBe(4);
    expect(report.byGround.warrant).toEqual({
      requests: 3,
      delivered: 2,
      narrowed: 1,
      refused: 1,
      other: 0,
      fieldsRequested: 9,
      fieldsDisclosed: 5,
    });
    expect(report.byGround.emergency).toMatchObject({ requests: 1, delivered: 1, narrowed: 0 });
    expect(report.byRefusal).toEqual({ 'approval-expired': 1 });
    expect(JSON.stringify(report)).not.toContain('C-1001');
  });

  test('without a period every year counts; a malformed date is bad input', async () => {
    expect((await transparencyReport(store, {})).total).toBe(5);
    await expect(transparencyReport(store, { from: '1 June' })).rejects.toThrow(InputError);
  });
});
