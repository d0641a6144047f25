/**
 * Migration 1 on SQLite: the schema as it was before versions existed, byte for byte, so a
 * database created by an older engine (which ran this at every open) is adopted at version 1
 * unchanged. Never edit it: a schema change is a new numbered migration.
 *
 * The append-only tables of version 1: the database itself rejects UPDATE and DELETE on them, so
 * that even a process that bypasses the application cannot rewrite history without first
 * dropping the triggers (which `ledger verify` then catches through the hash chain).
 */
export const APPEND_ONLY_TABLES_V1 = [
  'ledger',
  'ledger_subjects',
  'ledger_checkpoints',
  'legal_holds',
  'consents',
  'consent_withdrawals',
  'recipient_versions',
] as const;

const appendOnly = (table: string): string => `
CREATE TRIGGER IF NOT EXISTS ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE rejected'); END;`;

export const SQLITE_0001_INITIAL = `
CREATE TABLE IF NOT EXISTS subjects (
  id TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recipients (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS consents (
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  notice_version TEXT NOT NULL,
  channel TEXT NOT NULL,
  granted_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consents_lookup ON consents (subject_id, recipient_id, purpose);
CREATE TABLE IF NOT EXISTS consent_withdrawals (
  consent_id TEXT PRIMARY KEY REFERENCES consents (id),
  withdrawn_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS disclosures (
  id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  subject_ids TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  consent_id TEXT,
  requested_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS disclosures_consent ON disclosures (consent_id);
CREATE TABLE IF NOT EXISTS outbox (
  disclosure_id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  from_addr TEXT NOT NULL,
  to_addr TEXT NOT NULL,
  payload_digest TEXT NOT NULL,
  raw BLOB,
  sent_at TEXT,
  smtp_response TEXT
);
CREATE TABLE IF NOT EXISTS ledger (
  seq INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  disclosure_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_disclosure ON ledger (disclosure_id);
CREATE TABLE IF NOT EXISTS ledger_subjects (
  seq INTEGER NOT NULL REFERENCES ledger (seq),
  subject_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_subjects_subject ON ledger_subjects (subject_id);
-- ledgerRows looks up each record's customers by seq; without this index ledger verify is quadratic.
CREATE INDEX IF NOT EXISTS ledger_subjects_seq ON ledger_subjects (seq);
CREATE TABLE IF NOT EXISTS ledger_checkpoints (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS legal_holds (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recipient_versions (
  recipient_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  data TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (recipient_id, version)
);
${APPEND_ONLY_TABLES_V1.map(appendOnly).join('\n')}
`;
