import path from 'node:path';
import { PostgresStore } from '../../store/postgres';
import { SqliteStore } from '../../store/sqlite';
import type { Store } from '../../store/store';
import { startPostgres } from './postgres';

/**
 * The harness's database: a SQLite file in the harness folder by default; with
 * DISCLOSURE_TEST_BACKEND=postgres, a throw-away PostgreSQL cluster of its own, so the same
 * integration tests run against both backends.
 */
export async function openHarnessStore(home: string): Promise<{ store: Store; url: string; stop(): Promise<void> }> {
  if (process.env.DISCLOSURE_TEST_BACKEND !== 'postgres') {
    const file = path.join(home, 'disclosure.db');
    const store = new SqliteStore(file, { schema: 'migrate' });
    return { store, url: file, stop: () => store.close() };
  }
  const pg = await startPostgres();
  const url = await pg.createDatabase();
  const store = await PostgresStore.open(url, { schema: 'migrate' });
  return {
    store,
    url,
    async stop() {
      await store.close();
      await pg.stop();
    },
  };
}
