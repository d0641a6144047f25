import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { migratePostgres, postgresSchemaState, runtimeGrants } from './migrate-postgres';
import { migrateSqlite, sqliteSchemaState } from './migrate-sqlite';
import { ensurePrivateDatabaseFile } from './private-file';
import { SCHEMA_VERSION } from './migrations';
import type { MigrationResult, SchemaState } from './schema';

const isPostgres = (database: string): boolean => /^postgres(ql)?:\/\//.test(database);

export interface MigrateOptions {
  /** PostgreSQL only: after migrating, grant this role what the engine needs at run time, and nothing more. */
  grantTo?: string | undefined;
}

/**
 * Brings DISCLOSURE_DB to this code's schema version: `disclosure db migrate`, run by the
 * database's owner. Creating the SQLite file is part of it; a PostgreSQL database must exist.
 */
export async function migrateDatabase(
  database: string,
  opts: MigrateOptions = {},
): Promise<MigrationResult & { granted?: string }> {
  if (!isPostgres(database)) {
    if (opts.grantTo !== undefined) throw new Error('--grant is for PostgreSQL; a SQLite file has no roles');
    ensurePrivateDatabaseFile(database, true);
    const db = new Database(database);
    try {
      db.pragma('busy_timeout = 10000');
      return migrateSqlite(db);
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: database });
  await client.connect();
  try {
    const result = await migratePostgres(client);
    if (opts.grantTo === undefined) return result;
    await client.query(runtimeGrants(opts.grantTo));
    return { ...result, granted: opts.grantTo };
  } finally {
    await client.end();
  }
}

/** The schema version of DISCLOSURE_DB and the one this code needs, reading only. */
export async function databaseSchemaState(
  database: string,
): Promise<SchemaState & { expected: number; exists: boolean }> {
  if (!isPostgres(database)) {
    if (!existsSync(database)) return { version: 0, unversioned: false, expected: SCHEMA_VERSION, exists: false };
    const db = new Database(database, { readonly: true, fileMustExist: true });
    try {
      return { ...sqliteSchemaState(db), expected: SCHEMA_VERSION, exists: true };
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: database });
  await client.connect();
  try {
    return { ...(await postgresSchemaState(client)), expected: SCHEMA_VERSION, exists: true };
  } finally {
    await client.end();
  }
}
