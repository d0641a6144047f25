import { maskUrlCredentials } from '../domain/mask';
import { PostgresStore } from './postgres';
import type { SchemaMode } from './schema';
import { SchemaVersionError } from './schema';
import { SqliteStore } from './sqlite';
import type { Store } from './store';

export const isPostgresUrl = (database: string): boolean => /^postgres(ql)?:\/\//.test(database);

/**
 * `DISCLOSURE_DB` is a SQLite file path, or a postgres:// URL. By default the schema must already
 * be this code's version (`disclosure db migrate` makes it so); `up` and `db migrate` pass `migrate`.
 * `timeZone` (DISCLOSURE_TIMEZONE) is the zone the ledger counts retention days in.
 */
export async function openStore(database: string, opts: { schema?: SchemaMode; timeZone?: string | undefined } = {}): Promise<Store> {
  if (!isPostgresUrl(database)) return new SqliteStore(database, opts);
  try {
    return await PostgresStore.open(database, opts);
  } catch (err) {
    if (err instanceof SchemaVersionError) throw err;
    throw new Error(`cannot reach the database at ${maskUrlCredentials(database)} (${maskUrlCredentials((err as Error).message)}); check DISCLOSURE_DB`);
  }
}
