import { canonicalJson } from '../../domain/canonical';
import type { DisclosureRecordInput } from '../../domain/record';
import { buildRecord, GENESIS_HASH } from '../../store/chain';
import { BENCH_DEALER } from './dataset';

/** A delivered catalog handoff's record, as dealerCatalog writes it; only the ids vary. */
export function sampleRecordInput(i: number, tag: string): DisclosureRecordInput {
  const disclosureId = `D-BENCH-${tag}-${String(i).padStart(8, '0')}`;
  return {
    idempotencyKey: disclosureId,
    entryType: 'disclosure',
    disclosureId,
    kind: 'dealer-catalog',
    outcome: 'delivered',
    workflowId: `disclosure-${disclosureId}`,
    runId: '00000000-0000-4000-8000-000000000000',
    subjectIds: [`C-B${String((i % 10_000) + 1).padStart(6, '0')}`],
    recipient: { id: BENCH_DEALER.id, kind: 'dealer', name: BENCH_DEALER.name, address: BENCH_DEALER.address, email: BENCH_DEALER.email, representative: BENCH_DEALER.representative },
    purpose: 'catalog-request',
    basis: { type: 'consent', consentId: `CN-${String(i).padStart(6, '0')}`, noticeVersion: 'notice-2026-04', channel: 'web-form', grantedAt: '2026-11-01T00:00:00.000Z' },
    items: ['name', 'email'],
    policy: { version: '2026-11-01', digest: `sha256:${'a'.repeat(64)}` },
    requestedBy: 'bench',
    payloadDigest: `sha256:${'b'.repeat(64)}`,
    messageId: `<${disclosureId}@disclosure.engine>`,
    occurredAt: '2026-11-24T00:00:00.000Z',
    details: { catalog: 'Prius 2026', contact: 'email', handover: 'digital' },
  };
}

/** The columns of one ledger row and its customer index, as both stores lay them out. */
export interface LedgerInsert {
  seq: number;
  recordId: string;
  idempotencyKey: string;
  disclosureId: string;
  kind: string;
  recipientId: string;
  body: string;
  prevHash: string;
  hash: string;
  recordedAt: string;
  subjectIds: string[];
}

/**
 * Yields `count` correctly chained records in batches, hashed by the stores' own buildRecord,
 * so that a large ledger can be written in a few big transactions instead of one per record.
 */
export function* chainedBatches(count: number, batchSize: number, tag: string): Generator<LedgerInsert[]> {
  let prevHash = GENESIS_HASH;
  const recordedAt = '2026-11-24T00:00:01.000Z';
  for (let start = 1; start <= count; start += batchSize) {
    const batch: LedgerInsert[] = [];
    for (let seq = start; seq < Math.min(count + 1, start + batchSize); seq++) {
      const input = sampleRecordInput(seq, tag);
      const record = buildRecord(input, seq, recordedAt, prevHash);
      prevHash = record.hash;
      batch.push({
        seq,
        recordId: record.recordId,
        idempotencyKey: input.idempotencyKey,
        disclosureId: input.disclosureId,
        kind: input.kind,
        recipientId: input.recipient.id,
        body: canonicalJson(record),
        prevHash: record.prevHash,
        hash: record.hash,
        recordedAt,
        subjectIds: input.subjectIds,
      });
    }
    yield batch;
  }
}
