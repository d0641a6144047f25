import { SqliteStore } from './sqlite';
import type { Store } from './store';

/** `DISCLOSURE_DB` is a SQLite file path, or a postgres:// URL. */
export async function openStore(database: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(database)) {
    throw new Error('PostgreSQL support is not built yet; use a SQLite path for DISCLOSURE_DB');
  }
  return new SqliteStore(database);
}
