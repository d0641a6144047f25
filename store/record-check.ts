import type { DisclosureRecord } from '../domain/record';
import { formatRecordId, hashRecord } from './chain';

/**
 * A ledger row as a reader fetches it: the body, the columns queries filter on, and the hashes of
 * its neighbours, so that a reader can refuse a record that does not hold up on its own.
 */
export interface StoredRecordRow {
  seq: number;
  recordId: string;
  disclosureId: string;
  kind: string;
  recipientId: string;
  body: string;
  prevHash: string;
  hash: string;
  /** The stored hash of the record at seq - 1 (null for the first record or when it is gone). */
  hashBefore: string | null;
  /** The stored prevHash of the record at seq + 1 (null for the newest record). */
  prevHashAfter: string | null;
}

/** A record a reader fetched does not hold up; `ledger verify` finds the whole extent. */
export class LedgerTamperError extends Error {
  constructor(
    readonly seq: number,
    readonly recordId: string,
    readonly problem: string,
  ) {
    super(
      `ledger record ${recordId} (seq ${seq}) ${problem}; run \`disclosure ledger verify\` to check the whole ledger`,
    );
    this.name = 'LedgerTamperError';
  }
}

function problemOf(row: StoredRecordRow, body: DisclosureRecord): string | undefined {
  if (body.seq !== row.seq || body.recordId !== formatRecordId(row.seq))
    return `is out of place: it holds ${String(body.recordId)}`;
  const { hash, ...rest } = body;
  if (hashRecord(rest) !== hash || hash !== row.hash) return 'was changed: its content no longer matches its hash';
  const columns: [string, unknown, unknown][] = [
    ['record_id', row.recordId, body.recordId],
    ['disclosure_id', row.disclosureId, body.disclosureId],
    ['kind', row.kind, body.kind],
    ['recipient_id', row.recipientId, body.recipient?.id],
    ['prev_hash', row.prevHash, body.prevHash],
  ];
  const bad = columns.find(([, col, inBody]) => col !== inBody);
  if (bad !== undefined) return `was changed: column ${bad[0]} differs from the hashed record`;
  if (row.seq === 1 ? false : row.hashBefore !== body.prevHash) return 'is not linked to the record before it';
  if (row.prevHashAfter !== null && row.prevHashAfter !== hash)
    return 'was changed: the record after it no longer links to it';
  return undefined;
}

/**
 * Parses a stored record and checks what can be checked from the row and its neighbours: valid
 * JSON, its place, its hash, its columns and both links. A rewrite of the whole tail passes this
 * and is caught only against signed checkpoints by `ledger verify`.
 */
export function readStoredRecord(row: StoredRecordRow): DisclosureRecord {
  let body: DisclosureRecord;
  try {
    body = JSON.parse(row.body) as DisclosureRecord;
  } catch {
    throw new LedgerTamperError(row.seq, row.recordId, 'is not valid JSON');
  }
  if (typeof body !== 'object' || body === null) throw new LedgerTamperError(row.seq, row.recordId, 'is not a record');
  const problem = problemOf(row, body);
  if (problem !== undefined) throw new LedgerTamperError(row.seq, row.recordId, problem);
  return body;
}

/** The SELECT list both backends use for readers (ledger aliased `l`, neighbours `p` and `n`). */
export const READER_COLUMNS = `l.seq, l.record_id, l.disclosure_id, l.kind, l.recipient_id, l.body, l.prev_hash, l.hash,
  p.hash AS hash_before, n.prev_hash AS prev_hash_after`;
export const READER_JOINS = 'LEFT JOIN ledger p ON p.seq = l.seq - 1 LEFT JOIN ledger n ON n.seq = l.seq + 1';

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A reader row from either driver. */
export const toStoredRecordRow = (r: Record<string, unknown>): StoredRecordRow => ({
  seq: Number(r.seq),
  recordId: String(r.record_id),
  disclosureId: String(r.disclosure_id),
  kind: String(r.kind),
  recipientId: String(r.recipient_id),
  body: String(r.body),
  prevHash: String(r.prev_hash),
  hash: String(r.hash),
  hashBefore: text(r.hash_before),
  prevHashAfter: text(r.prev_hash_after),
});
