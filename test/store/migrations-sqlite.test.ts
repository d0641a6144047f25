import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import {
  APPEND_ONLY_TABLES,
  MUTABLE_TABLES,
  SCHEMA_VERSION,
  SQLITE_MIGRATIONS,
  VERSION_TABLE,
} from '../../store/migrations';
import { SQLITE_0001_INITIAL } from '../../store/migrations/sqlite-0001-initial';
import { openStore } from '../../store/open';
import { recordInput } from '../ledger/records';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-migrate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(database: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { DISCLOSURE_HOME: dir, DISCLOSURE_DB: database },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Runs raw SQL the way an older engine or an intruder would; errors come back as their message. */
function raw<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const rawError = (file: string, sql: string): string => {
  try {
    raw(file, (db) => db.exec(sql));
    return 'no error';
  } catch (err) {
    return String((err as { message?: unknown }).message);
  }
};

/** What the migrations after the first add to a database, found by running them on a fresh one. */
const laterObjects = () => {
  const names = (file: string) => (schemaOf(file) as { name: string }[]).map((o) => o.name);
  const v1 = path.join(dir, `ref-v1-${Date.now()}.db`);
  const all = path.join(dir, `ref-all-${Date.now()}.db`);
  raw(v1, (db) => db.exec(SQLITE_0001_INITIAL));
  raw(all, (db) => SQLITE_MIGRATIONS.forEach((m) => db.exec(m.sql)));
  const first = names(v1);
  return (schemaOf(all) as { name: string }[]).filter((o) => !first.includes(o.name));
};

/** Every schema object but the version table, as SQLite keeps it. */
const schemaOf = (file: string) =>
  raw(file, (db) =>
    db
      .prepare(
        `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE '${VERSION_TABLE}%' AND name NOT LIKE 'sqlite_autoindex_${VERSION_TABLE}%' ORDER BY type, name`,
      )
      .all(),
  );

describe('schema migrations on SQLite', () => {
  test('db migrate creates a new database at the current version, and a second run applies nothing', async () => {
    const file = path.join(dir, 'fresh', 'disclosure.db');
    const first = await cli(file, 'db', 'migrate', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      from: 0,
      to: SCHEMA_VERSION,
      applied: SQLITE_MIGRATIONS.map((m) => m.version),
      adopted: false,
    });
    const versions = raw(file, (db) => db.prepare(`SELECT version, name FROM ${VERSION_TABLE}`).all());
    expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));

    const again = await cli(file, 'db', 'migrate', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
    expect((await cli(file, 'db', 'status', '--json')).code).toBe(0);
  });

  test('the append-only triggers are part of the migration', async () => {
    const file = path.join(dir, 'triggers.db');
    await cli(file, 'db', 'migrate');
    const store = await openStore(file);
    await store.appendRecord(recordInput(1), '2026-05-01T10:00:00.000Z');
    await store.close();
    expect(rawError(file, `UPDATE ledger SET body = '{}'`)).toMatch(/append-only: UPDATE rejected/);
    expect(rawError(file, 'DELETE FROM ledger')).toMatch(/append-only: DELETE rejected/);
    expect(raw(file, (db) => db.prepare('SELECT COUNT(*) AS n FROM ledger').get())).toEqual({ n: 1 });
  });

  test('a database made by an engine before schema versions is adopted at version 1 with its schema and rows unchanged', async () => {
    const file = path.join(dir, 'legacy.db');
    // What every open did before migrations: the same statements, run on the file as they are.
    raw(file, (db) => {
      db.pragma('journal_mode = WAL');
      db.exec(SQLITE_0001_INITIAL);
      db.prepare(`INSERT INTO subjects (id, data, updated_at) VALUES ('C-1', '{}', '2026-01-01')`).run();
    });
    const before = schemaOf(file);
    const refused = await cli(file, 'records', '--json');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('created before schema versions');
    expect(refused.stdout).toContain('disclosure db migrate');

    const adopted = await cli(file, 'db', 'migrate', '--json');
    expect(JSON.parse(adopted.stdout)).toMatchObject({ from: 0, to: SCHEMA_VERSION, adopted: true });
    // Version 1 is taken as it is; only the later migrations add to it.
    const after = schemaOf(file) as { name: string }[];
    expect(after).toEqual(expect.arrayContaining(before as unknown[]));
    const added = after.filter((o) => !(before as { name: string }[]).some((b) => b.name === o.name));
    expect(added).toEqual(laterObjects());
    expect(raw(file, (db) => db.prepare('SELECT id FROM subjects').all())).toEqual([{ id: 'C-1' }]);
    expect((await cli(file, 'records', '--json')).code).toBe(0);
  });

  test('a process refuses a database without a schema, naming the command, and creates nothing', async () => {
    const missing = path.join(dir, 'missing', 'disclosure.db');
    await expect(openStore(missing)).rejects.toThrow(/no database at .*disclosure db migrate/);
    expect(existsSync(missing)).toBe(false);

    const empty = path.join(dir, 'empty.db');
    raw(empty, () => undefined);
    await expect(openStore(empty)).rejects.toThrow(/has no engine schema; run `disclosure db migrate`/);
    expect(raw(empty, (db) => db.prepare('SELECT COUNT(*) AS n FROM sqlite_master').get())).toEqual({ n: 0 });
  });

  test('a process refuses a database migrated by a newer release', async () => {
    const file = path.join(dir, 'newer.db');
    await cli(file, 'db', 'migrate');
    raw(file, (db) =>
      db
        .prepare(`INSERT INTO ${VERSION_TABLE} (version, name, applied_at) VALUES (?, 'later', '2027-01-01')`)
        .run(SCHEMA_VERSION + 1),
    );
    await expect(openStore(file)).rejects.toThrow(
      new RegExp(`version ${SCHEMA_VERSION + 1}, newer than this engine \\(${SCHEMA_VERSION}\\)`),
    );
    const status = await cli(file, 'db', 'status', '--json');
    expect(status.code).toBe(1);
  });

  test('every table is either append-only or updated in place, so the runtime grants cover it', async () => {
    const file = path.join(dir, 'tables.db');
    await cli(file, 'db', 'migrate');
    const tables = raw(
      file,
      (db) =>
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[],
    );
    expect(tables.map((t) => t.name).sort()).toEqual([...APPEND_ONLY_TABLES, ...MUTABLE_TABLES, VERSION_TABLE].sort());
  });
});
