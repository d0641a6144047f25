import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './store';

export const isPostgresUrl = (database: string): boolean => /^postgres(ql)?:\/\//.test(database);

/** `DISCLOSURE_DB` is a SQLite file path, or a postgres:// URL. */
export async function openStore(database: string): Promise<Store> {
  return isPostgresUrl(database) ? PostgresStore.open(database) : new SqliteStore(database);
}
