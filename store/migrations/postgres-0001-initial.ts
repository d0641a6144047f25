import { APPEND_ONLY_TABLES_V1 } from './sqlite-0001-initial';

/**
 * Migration 1 on PostgreSQL, the twin of the SQLite one: same tables and columns, so both stores
 * read and write the same shapes. Append-only tables reject UPDATE, DELETE and TRUNCATE by
 * trigger. It is the schema as it was before versions existed, so a database created by an older
 * engine is adopted at version 1 unchanged. Never edit it: a change is a new numbered migration.
 */
export const POSTGRES_0001_INITIAL = `
CREATE TABLE IF NOT EXISTS subjects (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recipients (id TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL);
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
CREATE TABLE IF NOT EXISTS consent_withdrawals (consent_id TEXT PRIMARY KEY REFERENCES consents (id), withdrawn_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS disclosures (
  id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  subject_ids JSONB NOT NULL,
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
  raw BYTEA,
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
CREATE TABLE IF NOT EXISTS ledger_subjects (seq INTEGER NOT NULL, subject_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ledger_subjects_subject ON ledger_subjects (subject_id);
-- ledgerRows looks up each record's customers by seq; without this index ledger verify is quadratic.
CREATE INDEX IF NOT EXISTS ledger_subjects_seq ON ledger_subjects (seq);
CREATE TABLE IF NOT EXISTS ledger_checkpoints (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL, signature TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS legal_holds (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recipient_versions (
  recipient_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  data TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (recipient_id, version)
);
CREATE OR REPLACE FUNCTION reject_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP;
END $$;
${APPEND_ONLY_TABLES_V1.map(
  (t) => `CREATE OR REPLACE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${t}
  FOR EACH STATEMENT EXECUTE FUNCTION reject_history_change();`,
).join('\n')}
`;
