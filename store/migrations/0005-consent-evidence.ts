/**
 * Migration 5: a consent's evidence, one row per consent beside it (consents recorded before
 * have none): who entered it (the acting token or operator, as JSON), when it reached the
 * engine, a reference to the evidence (form submission, signed paper, call recording) and
 * whether its `granted_at` is an earlier date claimed by the person entering it. A fact,
 * append-only like the consent itself.
 */
export const CONSENT_EVIDENCE_TABLES = ['consent_evidence'] as const;

const TABLE = `
CREATE TABLE IF NOT EXISTS consent_evidence (
  consent_id TEXT PRIMARY KEY REFERENCES consents (id),
  entered_by TEXT NOT NULL,
  received_at TEXT NOT NULL,
  evidence_ref TEXT,
  granted_at_claimed INTEGER NOT NULL
);
`;

export const SQLITE_0005_CONSENT_EVIDENCE = `${TABLE}
CREATE TRIGGER IF NOT EXISTS consent_evidence_no_update BEFORE UPDATE ON consent_evidence
BEGIN SELECT RAISE(ABORT, 'consent_evidence is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS consent_evidence_no_delete BEFORE DELETE ON consent_evidence
BEGIN SELECT RAISE(ABORT, 'consent_evidence is append-only: DELETE rejected'); END;
`;

export const POSTGRES_0005_CONSENT_EVIDENCE = `${TABLE}
CREATE OR REPLACE TRIGGER consent_evidence_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON consent_evidence
  FOR EACH STATEMENT EXECUTE FUNCTION reject_history_change();
`;
