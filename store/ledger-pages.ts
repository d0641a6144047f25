import type { LedgerRow } from './store';

/** A ledger row as both stores select it for verify: the columns in this order, no customers. */
export type RawLedgerRow = [
  seq: number,
  recordId: string,
  idempotencyKey: string,
  disclosureId: string,
  kind: string,
  recipientId: string,
  body: string,
  prevHash: string,
  hash: string,
  recordedAt: string,
];

export const LEDGER_PAGE_COLUMNS = 'seq, record_id, idempotency_key, disclosure_id, kind, recipient_id, body, prev_hash, hash, recorded_at';

/**
 * Rows a page is read in by `ledger verify`. Large enough that the query per page does not
 * count, small enough that a page (about 1.4 MB of bodies) dies young: pages of 5,000 rows
 * outlived V8's young generation and tripled the cost of reading them (garbage collection).
 */
export const LEDGER_PAGE_SIZE = 1000;

/**
 * Joins a page of ledger rows (in seq order) with the customer index rows of the same seq range
 * (also in seq order) in one merge pass, so that no record needs a query of its own. Index rows
 * whose seq has no ledger row (a deleted record) are skipped; the chain check names the gap.
 */
export function mergeSubjects(rows: RawLedgerRow[], subjects: [seq: number, subjectId: string][]): LedgerRow[] {
  const out: LedgerRow[] = new Array<LedgerRow>(rows.length);
  let j = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const seq = Number(r[0]);
    while (j < subjects.length && Number(subjects[j]![0]) < seq) j++;
    const subjectIds: string[] = [];
    while (j < subjects.length && Number(subjects[j]![0]) === seq) subjectIds.push(String(subjects[j++]![1]));
    out[i] = {
      seq,
      recordId: String(r[1]),
      idempotencyKey: String(r[2]),
      disclosureId: String(r[3]),
      kind: String(r[4]),
      recipientId: String(r[5]),
      subjectIds,
      body: String(r[6]),
      prevHash: String(r[7]),
      hash: String(r[8]),
      recordedAt: String(r[9]),
    };
  }
  return out;
}
