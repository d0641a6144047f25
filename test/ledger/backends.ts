import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openStore } from '../../store/open';
import { APPEND_ONLY_TABLES } from '../../store/migrations';
import type { Store } from '../../store/store';
import type { TestPostgres } from '../support/postgres';
import { startPostgres } from '../support/postgres';

/**
 * Direct access to the database behind the application's back, as an intruder would have:
 * the tamper tests use it to drop the append-only triggers and edit rows.
 */
export interface RawDb {
  /** SQL with `?` placeholders, run as is. */
  run(sql: string, args?: unknown[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<T[]>;
  dropAppendOnlyTriggers(): Promise<void>;
  close(): Promise<void>;
}

export interface Ledger {
  /** DISCLOSURE_DB for this ledger: a SQLite path or a postgres:// URL. */
  database: string;
  home: string;
  store: Store;
  /** Another connection to the same database, as a second process would have. */
  open(): Promise<Store>;
  raw(): Promise<RawDb>;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  start(): Promise<void>;
  ledger(): Promise<Ledger>;
  stop(): Promise<void>;
}

/**
 * better-sqlite3's native part keeps the error class of the first test file that loaded it in
 * this Jest worker, so its errors fail `instanceof Error` in later files: rethrow them as ours.
 */
function inThisRealm<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error((err as { message?: string }).message ?? String(err));
  }
}

function sqliteRaw(file: string): RawDb {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  return {
    async run(sql, args = []) {
      inThisRealm(() => db.prepare(sql).run(...args));
    },
    async all<T>(sql: string, args: unknown[] = []) {
      return inThisRealm(() => db.prepare(sql).all(...args) as T[]);
    },
    async dropAppendOnlyTriggers() {
      for (const t of APPEND_ONLY_TABLES) db.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
    },
    async close() {
      db.close();
    },
  };
}

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

async function pgRaw(url: string): Promise<RawDb> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return {
    async run(sql, args = []) {
      await c.query(numbered(sql), args);
    },
    async all<T>(sql: string, args: unknown[] = []) {
      return (await c.query(numbered(sql), args)).rows as T[];
    },
    async dropAppendOnlyTriggers() {
      for (const t of APPEND_ONLY_TABLES) await c.query(`DROP TRIGGER ${t}_append_only ON ${t}`);
    },
    async close() {
      await c.end();
    },
  };
}

async function makeLedger(database: string, home: string, raw: () => Promise<RawDb>): Promise<Ledger> {
  const store = await openStore(database, { schema: 'migrate' });
  const others: Store[] = [];
  return {
    database,
    home,
    store,
    async open() {
      const s = await openStore(database);
      others.push(s);
      return s;
    },
    raw,
    async dispose() {
      await Promise.all([store, ...others].map((s) => s.close()));
      await rm(home, { recursive: true, force: true });
    },
  };
}

export function sqliteBackend(): Backend {
  return {
    name: 'sqlite',
    async start() {},
    async ledger() {
      const home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-ledger-'));
      const file = path.join(home, 'disclosure.db');
      return makeLedger(file, home, async () => sqliteRaw(file));
    },
    async stop() {},
  };
}

export function postgresBackend(): Backend {
  let pg: TestPostgres | undefined;
  return {
    name: 'postgres',
    async start() {
      pg = await startPostgres();
    },
    async ledger() {
      if (pg === undefined) throw new Error('postgres backend not started');
      const home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-ledger-'));
      const url = await pg.createDatabase();
      return makeLedger(url, home, () => pgRaw(url));
    },
    async stop() {
      await pg?.stop();
    },
  };
}

export const BACKENDS: Backend[] = [sqliteBackend(), postgresBackend()];
