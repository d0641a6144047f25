/** Tables are created if missing, so a first start and every later one open the same file. */
export const SQLITE_SCHEMA = `
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
`;
