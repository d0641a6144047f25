import type Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS, VERSION_TABLE } from './migrations';
import type { MigrationResult, SchemaState } from './schema';

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

/** Reads the schema state without writing anything to the file. */
export function sqliteSchemaState(db: Database.Database): SchemaState {
  if (!hasTable(db, VERSION_TABLE)) return { version: 0, unversioned: hasTable(db, 'ledger') };
  const row = db.prepare(`SELECT MAX(version) AS v FROM ${VERSION_TABLE}`).get() as { v: number | null };
  return { version: row.v ?? 0, unversioned: false };
}

/**
 * Applies every migration above the recorded version, each with its version row, in one
 * IMMEDIATE transaction: two processes migrating at once run it once, and a failure leaves the
 * file as it was.
 */
export function migrateSqlite(db: Database.Database, now = new Date()): MigrationResult {
  db.exec('BEGIN IMMEDIATE');
  try {
    const before = sqliteSchemaState(db);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const pending = SQLITE_MIGRATIONS.filter((m) => m.version > before.version);
    const record = db.prepare(`INSERT INTO ${VERSION_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name, now.toISOString());
    }
    db.exec('COMMIT');
    const to = pending.length > 0 ? pending[pending.length - 1]!.version : before.version;
    return { from: before.version, to, applied: pending.map((m) => m.version), adopted: before.unversioned };
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
