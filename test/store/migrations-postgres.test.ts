import { Client } from 'pg';
import { main } from '../../cli/main';
import { POSTGRES_MIGRATIONS, SCHEMA_VERSION, VERSION_TABLE } from '../../store/migrations';
import { POSTGRES_0001_INITIAL } from '../../store/migrations/postgres-0001-initial';
import { openStore } from '../../store/open';
import { recordInput } from '../ledger/records';
import { hanako } from '../support/fixtures';
import type { TestPostgres } from '../support/postgres';
import { startPostgres } from '../support/postgres';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(() => pg?.stop());

async function cli(database: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { DISCLOSURE_HOME: '/nonexistent-home', DISCLOSURE_DB: database },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function sql<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const sqlError = (url: string, statement: string): Promise<string> =>
  sql(url, (c) =>
    c.query(statement).then(
      () => 'no error',
      (err: Error) => err.message,
    ),
  );

/** Tables, columns, indexes and triggers as the catalog describes them, without the version table. */
const schemaOf = (url: string) =>
  sql(url, async (c) => ({
    columns: (
      await c.query(
        `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> $1 ORDER BY 1, 2`,
        [VERSION_TABLE],
      )
    ).rows,
    indexes: (
      await c.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> $1 ORDER BY 1`,
        [VERSION_TABLE],
      )
    ).rows,
    triggers: (
      await c.query(`SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`)
    ).rows,
    functions: (
      await c.query(`SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`)
    ).rows,
  }));

const withUser = (url: string, user: string): string => url.replace('postgres://postgres@', `postgres://${user}@`);

describe('schema migrations on PostgreSQL', () => {
  test('a database made by an engine before schema versions is adopted at version 1 with its schema and rows unchanged', async () => {
    const url = await pg.createDatabase();
    await sql(url, async (c) => {
      await c.query(POSTGRES_0001_INITIAL);
      await c.query(`INSERT INTO subjects (id, data, updated_at) VALUES ('C-1', '{}', '2026-01-01')`);
    });
    const before = await schemaOf(url);
    await expect(openStore(url)).rejects.toThrow(/created before schema versions; run `disclosure db migrate`/);

    const adopted = await cli(url, 'db', 'migrate', '--json');
    expect(adopted.code).toBe(0);
    expect(JSON.parse(adopted.stdout)).toMatchObject({ from: 0, to: SCHEMA_VERSION, adopted: true });
    // Version 1 is taken as it is; only the later migrations add to it.
    const after = await schemaOf(url);
    for (const part of ['columns', 'indexes', 'triggers', 'functions'] as const) {
      expect(after[part]).toEqual(expect.arrayContaining(before[part]));
    }
    // Exactly what the later migrations create on a fresh database at version 1, nothing else.
    const reference = await pg.createDatabase();
    await sql(reference, async (c) => {
      await c.query(POSTGRES_0001_INITIAL);
      for (const m of POSTGRES_MIGRATIONS.slice(1)) await c.query(m.sql);
    });
    expect(after).toEqual(await schemaOf(reference));
    expect((await sql(url, (c) => c.query('SELECT id FROM subjects'))).rows).toEqual([{ id: 'C-1' }]);
  });

  test('a worker-side open of an empty database refuses, names the command, and writes nothing', async () => {
    const url = await pg.createDatabase();
    await expect(openStore(url)).rejects.toThrow(/has no engine schema; run `disclosure db migrate`/);
    const tables = await sql(url, (c) =>
      c.query(`SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`),
    );
    expect(tables.rows).toEqual([{ n: 0 }]);
  });

  test('the runtime role works the engine but cannot UPDATE, DELETE, TRUNCATE, ALTER or DROP the ledger, even with raw SQL', async () => {
    const owner = await pg.createDatabase();
    await sql(owner, (c) => c.query('CREATE ROLE disclosure_app LOGIN'));
    const migrated = await cli(owner, 'db', 'migrate', '--grant', 'disclosure_app', '--json');
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ to: SCHEMA_VERSION, granted: 'disclosure_app' });

    const app = withUser(owner, 'disclosure_app');
    const store = await openStore(app);
    try {
      const { created } = await store.appendRecord(recordInput(1), '2026-05-01T10:00:00.000Z');
      expect(created).toBe(true);
      await store.putSubjects([hanako]);
    } finally {
      await store.close();
    }
    const attempts = {
      update: `UPDATE ledger SET body = '{}'`,
      delete: 'DELETE FROM ledger',
      truncate: 'TRUNCATE ledger',
      disableTrigger: 'ALTER TABLE ledger DISABLE TRIGGER ALL',
      addColumn: 'ALTER TABLE ledger ADD COLUMN note TEXT',
      dropTrigger: 'DROP TRIGGER ledger_append_only ON ledger',
      drop: 'DROP TABLE ledger',
      dropSubjects: 'DROP TABLE ledger_subjects',
      createTable: 'CREATE TABLE ledger_copy (seq INTEGER)',
    };
    for (const [what, statement] of Object.entries(attempts)) {
      expect([what, await sqlError(app, statement)]).toEqual([
        what,
        expect.stringMatching(/permission denied|must be owner/),
      ]);
    }
    const rows = await sql(owner, (c) => c.query('SELECT seq, body FROM ledger'));
    expect(rows.rows).toHaveLength(1);
    expect(String(rows.rows[0].body)).toContain('"disclosureId":"D-1"');
    // The owner is stopped too: the rule is in the database, not only in the grants.
    expect(await sqlError(owner, `UPDATE ledger SET body = '{}'`)).toMatch(/append-only: UPDATE rejected/);
  });

  test('a runtime role cannot migrate: db migrate as it fails and leaves the schema as it was', async () => {
    const owner = await pg.createDatabase();
    await sql(owner, (c) => c.query('CREATE ROLE disclosure_ro LOGIN'));
    const run = await cli(withUser(owner, 'disclosure_ro'), 'db', 'migrate');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/permission denied/);
    const tables = await sql(owner, (c) =>
      c.query(`SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`),
    );
    expect(tables.rows).toEqual([{ n: 0 }]);
  });
});
