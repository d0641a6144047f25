import type { ClientBase } from 'pg';
import { APPEND_ONLY_TABLES, MUTABLE_TABLES, POSTGRES_MIGRATIONS, VERSION_TABLE } from './migrations';
import type { MigrationResult, SchemaState } from './schema';

/** Any fixed number: migrations are serialised so that processes migrating together do not race. */
const MIGRATION_LOCK = 74_100_001;

const exists = async (c: ClientBase, table: string): Promise<boolean> =>
  ((await c.query('SELECT to_regclass($1) AS t', [table])).rows[0] as { t: string | null }).t !== null;

/** Reads the schema state; reads only, so a role without any grant can be told what to do. */
export async function postgresSchemaState(c: ClientBase): Promise<SchemaState> {
  if (!(await exists(c, VERSION_TABLE))) return { version: 0, unversioned: await exists(c, 'ledger') };
  const row = (await c.query(`SELECT MAX(version) AS v FROM ${VERSION_TABLE}`)).rows[0] as { v: number | null };
  return { version: row.v ?? 0, unversioned: false };
}

/** Applies the pending migrations in one transaction (PostgreSQL's DDL is transactional). */
export async function migratePostgres(c: ClientBase, now = new Date()): Promise<MigrationResult> {
  await c.query('BEGIN');
  try {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const before = await postgresSchemaState(c);
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const pending = POSTGRES_MIGRATIONS.filter((m) => m.version > before.version);
    for (const m of pending) {
      await c.query(m.sql);
      await c.query(`INSERT INTO ${VERSION_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`, [
        m.version,
        m.name,
        now.toISOString(),
      ]);
    }
    await c.query('COMMIT');
    const to = pending.length > 0 ? pending[pending.length - 1]!.version : before.version;
    return { from: before.version, to, applied: pending.map((m) => m.version), adopted: before.unversioned };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A PostgreSQL role name the grants may name unquoted. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * What the runtime role may do: read and append the fact tables, update the working tables,
 * read the version table. It owns nothing, so it can neither ALTER, DROP nor disable a trigger.
 */
export function runtimeGrants(role: string): string {
  if (!ROLE_NAME.test(role)) throw new Error(`role name ${JSON.stringify(role)} must match ${ROLE_NAME.source}`);
  return [
    `GRANT SELECT, INSERT ON ${APPEND_ONLY_TABLES.join(', ')} TO ${role};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ${MUTABLE_TABLES.join(', ')} TO ${role};`,
    `GRANT SELECT ON ${VERSION_TABLE} TO ${role};`,
  ].join('\n');
}
