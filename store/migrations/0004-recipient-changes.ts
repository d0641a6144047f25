/**
 * Migration 4: recipient changes that wait for a second person. A proposal is one row; its
 * approval or rejection is one row of its own (at most one per proposal). Both tables are facts,
 * append-only like consents and their withdrawals.
 */
export const RECIPIENT_CHANGE_TABLES = ['recipient_changes', 'recipient_change_decisions'] as const;

const TABLES = `
CREATE TABLE IF NOT EXISTS recipient_changes (
  id TEXT PRIMARY KEY,
  recipient_id TEXT NOT NULL,
  data TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  proposed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recipient_changes_recipient ON recipient_changes (recipient_id);
CREATE TABLE IF NOT EXISTS recipient_change_decisions (
  change_id TEXT PRIMARY KEY REFERENCES recipient_changes (id),
  decision TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  reason TEXT
);
`;

export const SQLITE_0004_RECIPIENT_CHANGES = `${TABLES}
${RECIPIENT_CHANGE_TABLES.map(
  (t) => `CREATE TRIGGER IF NOT EXISTS ${t}_no_update BEFORE UPDATE ON ${t}
BEGIN SELECT RAISE(ABORT, '${t} is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS ${t}_no_delete BEFORE DELETE ON ${t}
BEGIN SELECT RAISE(ABORT, '${t} is append-only: DELETE rejected'); END;`,
).join('\n')}
`;

export const POSTGRES_0004_RECIPIENT_CHANGES = `${TABLES}
${RECIPIENT_CHANGE_TABLES.map(
  (t) => `CREATE OR REPLACE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${t}
  FOR EACH STATEMENT EXECUTE FUNCTION reject_history_change();`,
).join('\n')}
`;
