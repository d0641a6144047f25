import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { KEY_FILES } from '../../infra/provision';
import { runBin, startBin } from '../support/bin';
import type { TestPostgres } from '../support/postgres';
import { startPostgres } from '../support/postgres';

let dir: string;
let keysDir: string;
let pg: TestPostgres;
const temporal = () => ({
  TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
  TEMPORAL_NAMESPACE: process.env.TEST_TEMPORAL_NAMESPACE,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-deploy-'));
  keysDir = path.join(dir, 'keys');
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

const tablesIn = async (url: string): Promise<number> => {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (
      (await c.query(`SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0] as { n: number }
    ).n;
  } finally {
    await c.end();
  }
};

describe('disclosure init', () => {
  test('--keys-dir creates every key once, readable by the owner only, and a second run replaces nothing', async () => {
    const first = await runBin(['init', '--keys-dir', keysDir, '--json'], {
      DISCLOSURE_HOME: path.join(dir, 'init-home'),
    });
    expect(first.code).toBe(0);
    expect(readdirSync(keysDir).sort()).toEqual(Object.values(KEY_FILES).sort());
    expect(statSync(keysDir).mode & 0o777).toBe(0o700);
    for (const name of Object.values(KEY_FILES))
      expect([name, statSync(path.join(keysDir, name)).mode & 0o777]).toEqual([name, 0o600]);
    const ring = await readFile(path.join(keysDir, KEY_FILES.payloadKeys), 'utf8');

    const again = await runBin(['init', '--keys-dir', keysDir], { DISCLOSURE_HOME: path.join(dir, 'init-home') });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/keys already exist .*never replaces a key in use/);
    expect(await readFile(path.join(keysDir, KEY_FILES.payloadKeys), 'utf8')).toBe(ring);
    expect(existsSync(path.join(dir, 'init-home'))).toBe(false);
  });

  test('--print gives each key as a variable for a secret store and writes no file', async () => {
    const home = path.join(dir, 'print-home');
    const run = await runBin(['init', '--print'], { DISCLOSURE_HOME: home });
    expect(run.code).toBe(0);
    const names = [...run.stdout.matchAll(/^(DISCLOSURE_[A-Z_]+)='/gm)].map((m) => m[1]);
    expect(names).toEqual([
      'DISCLOSURE_PAYLOAD_KEYS',
      'DISCLOSURE_ACK_KEY',
      'DISCLOSURE_LEDGER_KEY_PEM',
      'DISCLOSURE_LEDGER_PUBLIC_KEY_PEM',
      'DISCLOSURE_CODEC_TOKEN',
    ]);
    expect(existsSync(home)).toBe(false);
  });
});

describe('disclosure worker', () => {
  test('without keys it refuses to start, naming each missing variable, and creates nothing', async () => {
    const home = path.join(dir, 'no-keys-home');
    const database = await pg.createDatabase();
    const run = await runBin(['worker'], { DISCLOSURE_HOME: home, DISCLOSURE_DB: database, ...temporal() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/DISCLOSURE_PAYLOAD_KEYS=\(not set\): expected the payload key ring/);
    expect(run.stderr).toMatch(/DISCLOSURE_ACK_KEY=\(not set\)/);
    expect(run.stderr).toMatch(/DISCLOSURE_LEDGER_KEY=\(not set\)/);
    expect(run.stderr).toMatch(/disclosure init --keys-dir DIR/);
    expect(existsSync(home)).toBe(false);
    expect(await tablesIn(database)).toBe(0);
  });

  test('against an empty PostgreSQL database it exits non-zero naming db migrate and writes nothing to it', async () => {
    const database = await pg.createDatabase();
    const run = await runBin(['worker'], {
      DISCLOSURE_HOME: path.join(dir, 'w-home'),
      DISCLOSURE_KEYS_DIR: keysDir,
      DISCLOSURE_DB: database,
      ...temporal(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has no engine schema; run `disclosure db migrate`/);
    expect(await tablesIn(database)).toBe(0);
  });

  test('against a missing SQLite file it exits non-zero and does not create the file', async () => {
    const database = path.join(dir, 'absent', 'disclosure.db');
    const run = await runBin(['worker'], {
      DISCLOSURE_HOME: path.join(dir, 'w-home'),
      DISCLOSURE_KEYS_DIR: keysDir,
      DISCLOSURE_DB: database,
      ...temporal(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no database at .*disclosure db migrate/);
    expect(existsSync(path.dirname(database))).toBe(false);
  });

  test('with provisioned keys and a migrated database it runs, loads no demo data, and stops on SIGTERM', async () => {
    const database = await pg.createDatabase();
    expect(
      (await runBin(['db', 'migrate'], { DISCLOSURE_DB: database, DISCLOSURE_HOME: path.join(dir, 'm-home') })).code,
    ).toBe(0);
    const home = path.join(dir, 'worker-home');
    const worker = startBin(['worker'], {
      DISCLOSURE_HOME: home,
      DISCLOSURE_KEYS_DIR: keysDir,
      DISCLOSURE_DB: database,
      DISCLOSURE_TASK_QUEUE: `deploy-${process.pid}`,
      SMTP_URL: 'smtp://127.0.0.1:1',
      ...temporal(),
    });
    try {
      await worker.waitFor(/worker running on queue deploy-/, 60_000);
      const c = new Client({ connectionString: database });
      await c.connect();
      const counts = (
        await c.query(
          'SELECT (SELECT COUNT(*)::int FROM recipients) AS recipients, (SELECT COUNT(*)::int FROM subjects) AS subjects',
        )
      ).rows[0];
      await c.end();
      expect(counts).toEqual({ recipients: 0, subjects: 0 });
      expect(readdirSync(keysDir).sort()).toEqual(Object.values(KEY_FILES).sort());
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  }, 90_000);
});

describe('disclosure serve', () => {
  test('without the codec token it refuses to start, naming DISCLOSURE_CODEC_TOKEN', async () => {
    const only = path.join(dir, 'partial-keys');
    await rm(only, { recursive: true, force: true });
    const { mkdir, copyFile } = await import('node:fs/promises');
    await mkdir(only, { mode: 0o700 });
    for (const name of [KEY_FILES.payloadKeys, KEY_FILES.ackKey])
      await copyFile(path.join(keysDir, name), path.join(only, name));
    const run = await runBin(['serve'], {
      DISCLOSURE_HOME: path.join(dir, 's-home'),
      DISCLOSURE_KEYS_DIR: only,
      DISCLOSURE_DB: path.join(dir, 'none.db'),
      ...temporal(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/DISCLOSURE_CODEC_TOKEN=\(not set\)/);
    // Nor does it make an API token file of its own (and print an admin token into its log).
    expect(run.stderr).toMatch(/DISCLOSURE_API_TOKENS=\(not set\): .*disclosure api token add/);
    expect(run.stderr).not.toMatch(/DISCLOSURE_PAYLOAD_KEYS|dsk_/);
    expect(existsSync(path.join(dir, 's-home'))).toBe(false);
  });

  test('serves the API (ready on /readyz) and the codec server with provisioned keys, the codec server demanding the provisioned token', async () => {
    const database = path.join(dir, 'serve.db');
    expect(
      (await runBin(['db', 'migrate'], { DISCLOSURE_DB: database, DISCLOSURE_HOME: path.join(dir, 'm-home') })).code,
    ).toBe(0);
    const tokens = path.join(dir, 'api-tokens.json');
    const issued = await runBin(['api', 'token', 'add', '--role', 'admin', '--name', 'ops:admin'], {
      DISCLOSURE_HOME: path.join(dir, 'token-home'),
      DISCLOSURE_API_TOKENS: tokens,
    });
    expect(issued.code).toBe(0);
    const serve = startBin(['serve', '--port', '0', '--codec-port', '0', '--json'], {
      DISCLOSURE_HOME: path.join(dir, 'serve-home'),
      DISCLOSURE_API_TOKENS: tokens,
      DISCLOSURE_KEYS_DIR: keysDir,
      DISCLOSURE_DB: database,
      ...temporal(),
    });
    try {
      const line = await serve.waitFor(/"codecUrl"/, 60_000);
      const { apiUrl, codecUrl } = JSON.parse(line) as { apiUrl: string; codecUrl: string };
      expect((await fetch(`${apiUrl}/openapi.json`)).status).toBe(200);
      expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${apiUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        checks: ['temporal', 'database', 'schema', 'keys'].map((name) => ({ name, ok: true })),
      });
      const token = (await readFile(path.join(keysDir, KEY_FILES.codecToken), 'utf8')).trim();
      const decode = (auth?: string) =>
        fetch(`${codecUrl}/decode`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
          body: JSON.stringify({ payloads: [] }),
        });
      expect((await decode()).status).toBe(401);
      expect((await decode(token)).status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, 90_000);
});
