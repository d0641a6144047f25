import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { LedgerInsert } from './ledger-data';
import { chainedBatches } from './ledger-data';

const BATCH = 5000;

/**
 * Writes a large chained ledger straight into the store's tables, a batch per transaction. The
 * store has created the schema (and its append-only triggers, which allow INSERT) beforehand.
 */
export function fillSqliteLedger(file: string, count: number, deadline: number): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    const ledger = db.prepare(
      `INSERT INTO ledger (seq, record_id, idempotency_key, disclosure_id, kind, recipient_id, body, prev_hash, hash, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const subjects = db.prepare('INSERT INTO ledger_subjects (seq, subject_id) VALUES (?, ?)');
    const write = db.transaction((rows: LedgerInsert[]) => {
      for (const r of rows) {
        ledger.run(r.seq, r.recordId, r.idempotencyKey, r.disclosureId, r.kind, r.recipientId, r.body, r.prevHash, r.hash, r.recordedAt);
        r.subjectIds.forEach((s) => subjects.run(r.seq, s));
      }
    });
    for (const batch of chainedBatches(count, BATCH, 'FILL')) {
      if (Date.now() > deadline) throw new Error(`the deadline passed while building the ledger (at seq ${batch[0]?.seq ?? 0})`);
      write(batch);
    }
  } finally {
    db.close();
  }
}

export async function fillPostgresLedger(url: string, count: number, deadline: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const batch of chainedBatches(count, BATCH, 'FILL')) {
      if (Date.now() > deadline) throw new Error(`the deadline passed while building the ledger (at seq ${batch[0]?.seq ?? 0})`);
      const col = <K extends keyof LedgerInsert>(k: K): LedgerInsert[K][] => batch.map((r) => r[k]);
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ledger (seq, record_id, idempotency_key, disclosure_id, kind, recipient_id, body, prev_hash, hash, recorded_at)
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
        [col('seq'), col('recordId'), col('idempotencyKey'), col('disclosureId'), col('kind'), col('recipientId'), col('body'), col('prevHash'), col('hash'), col('recordedAt')],
      );
      const pairs = batch.flatMap((r) => r.subjectIds.map((s) => [r.seq, s] as const));
      await client.query('INSERT INTO ledger_subjects (seq, subject_id) SELECT * FROM unnest($1::int[], $2::text[])', [
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
      ]);
      await client.query('COMMIT');
    }
  } finally {
    await client.end();
  }
}
