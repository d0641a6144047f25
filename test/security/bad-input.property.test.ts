import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readPolicy } from '../../activities/policy';
import { ensureKeyRing } from '../../infra/keys';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import { main } from '../../cli/main';
import { Recipient, Subject } from '../../domain/registry';
import type { ServiceContext } from '../../service/context';
import { openStore } from '../../store/open';
import type { Store } from '../../store/store';
import { dealerTokyo, hanako } from '../support/fixtures';

/** Few runs per property: enough variety to find a crash, few enough to keep the suite fast. */
const RUNS = { numRuns: 25 };

let home: string;
let database: string;
let store: Store;
let api: ApiServer;
let token: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-bad-input-'));
  database = path.join(home, 'disclosure.db');
  store = await openStore(database, { schema: 'migrate' });
  await ensureKeyRing(home, {});
  await store.putSubjects([hanako]);
  await store.putRecipients([dealerTokyo]);
  await store.grantConsent({
    subjectId: hanako.id,
    recipientId: dealerTokyo.id,
    purpose: 'catalog-request',
    noticeVersion: 'n-1',
    channel: 'web-form',
    grantedAt: '2026-04-01T00:00:00.000Z',
  });
  const file = path.join(home, 'api-tokens.json');
  await ensureTokenFile(file);
  token = (await addToken(file, { role: 'admin', name: 'staff:admin' })).token;
  const ctx = { store, taskQueue: 'unused', clock: () => new Date() } as unknown as ServiceContext;
  api = await startApiServer({
    tokens: fileTokenRegistry(file),
    deps: { ctx, home, ackKey: Buffer.alloc(32), replay: {}, ledgerKey: () => undefined },
  });
});
afterAll(async () => {
  await api.close();
  await store.close();
  await rm(home, { recursive: true, force: true });
});

/** Every row of every table except the token file's, as text: equal before and after means nothing was written. */
function snapshot(): string {
  const db = new Database(database, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    return JSON.stringify(tables.map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { DISCLOSURE_HOME: home, DISCLOSURE_DB: database, TEMPORAL_ADDRESS: '127.0.0.1:1' },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A clear refusal of bad input: exit 2, each issue naming a field and what was wrong, no stack, nothing written. */
async function expectRejectedUnchanged(argv: string[]): Promise<void> {
  const before = snapshot();
  const run = await cli([...argv, '--json']);
  expect(run.code).toBe(2);
  const error = (
    JSON.parse(run.out) as { error: { type: string; issues?: { field: string; message: string }[]; message: string } }
  ).error;
  expect(error.message).not.toMatch(/^\s+at |SyntaxError|TypeError/m);
  for (const issue of error.issues ?? []) {
    expect(issue.field).not.toBe('');
    expect(issue.message).not.toBe('');
  }
  expect(snapshot()).toBe(before);
}

let fileNo = 0;
async function fileWith(content: string): Promise<string> {
  const file = path.join(home, `input-${++fileNo}.json`);
  await writeFile(file, content);
  return file;
}

const oneOrMany = (schema: { safeParse(v: unknown): { success: boolean } }) => (v: unknown) =>
  !schema.safeParse(v).success && !(Array.isArray(v) && v.length > 0 && v.every((x) => schema.safeParse(x).success));

/** A value of the wrong shape for a field: each is invalid for every field the files carry. */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.constant(''),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.constant({}),
  fc.constant('   '),
);

/** A valid file with one field broken, alone or in a batch with valid ones: a batch is all or nothing. */
function brokenFile(valid: Record<string, unknown>, fields: string[]) {
  return fc
    .record({
      field: fc.constantFrom(...fields),
      value: wrongValue,
      inBatch: fc.boolean(),
      id: fc.stringMatching(/^[A-Z][A-Z0-9-]{2,10}$/),
    })
    .map(({ field, value, inBatch, id }) => {
      const broken = { ...valid, id: `NEW-${id}`, [field]: value };
      return inBatch ? [{ ...valid, id: `OK-${id}` }, broken] : broken;
    });
}

const notJson = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

describe('bad input at every edge is a clear error, exit 2 or HTTP 400, and writes nothing', () => {
  test('subject add --file with a generated broken customer file', async () => {
    const bad = fc.oneof(
      brokenFile(hanako, ['id', 'name', 'email', 'phone', 'postalCode', 'birthDate', 'surveyOptOut']),
      fc.anything().filter(oneOrMany(Subject)),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (content) =>
        expectRejectedUnchanged(['subject', 'add', '--file', await fileWith(JSON.stringify(content) ?? 'undefined')]),
      ),
      RUNS,
    );
  });

  test('subject add --file with a file that is not JSON at all', async () => {
    await fc.assert(
      fc.asyncProperty(notJson, async (text) =>
        expectRejectedUnchanged(['subject', 'add', '--file', await fileWith(text)]),
      ),
      RUNS,
    );
  });

  test('recipient add --file with a generated broken recipient file', async () => {
    const carrier = {
      ...dealerTokyo,
      kind: 'carrier',
      contract: {
        id: 'K-1',
        validFrom: '2026-01-01',
        validTo: '2027-12-31',
        instructions: 'x',
        lastSupervisionCheck: '2026-09-30',
      },
    };
    const bad = fc.oneof(
      brokenFile(dealerTokyo, ['id', 'kind', 'name', 'address', 'email']),
      brokenFile(carrier, ['contract']),
      fc.anything().filter(oneOrMany(Recipient)),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (content) =>
        expectRejectedUnchanged(['recipient', 'add', '--file', await fileWith(JSON.stringify(content) ?? 'undefined')]),
      ),
      RUNS,
    );
  });

  test('consent grant with a generated unknown customer or recipient, channel or date', async () => {
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.startsWith('-'));
    const argv = fc.oneof(
      text.map((s) => ['--subject', `X${s}`, '--recipient', dealerTokyo.id]),
      text.map((s) => ['--subject', hanako.id, '--recipient', `X${s}`]),
      text
        .filter((s) => !['web-form', 'app', 'paper', 'phone', 'in-person'].includes(s))
        .map((s) => ['--subject', hanako.id, '--recipient', dealerTokyo.id, '--channel', s]),
      text
        .filter((s) => Number.isNaN(Date.parse(s)))
        .map((s) => ['--subject', hanako.id, '--recipient', dealerTokyo.id, '--granted-at', s]),
    );
    await fc.assert(
      fc.asyncProperty(argv, async (args) =>
        expectRejectedUnchanged([
          'consent',
          'grant',
          '--purpose',
          'catalog-request',
          '--notice-version',
          'n-1',
          ...args,
        ]),
      ),
      RUNS,
    );
  });

  test('any command given an option it does not know, or a value where none is taken', async () => {
    const command = fc.constantFrom(
      ['records'],
      ['consent', 'grant'],
      ['subject', 'add'],
      ['ledger', 'verify'],
      ['request', 'dealer-catalog'],
    );
    const option = fc
      .stringMatching(/^[a-z][a-z-]{0,12}$/)
      .filter(
        (o) => !['json', 'help', 'file', 'subject', 'recipient', 'kind', 'purpose', 'dealer', 'consent'].includes(o),
      );
    await fc.assert(
      fc.asyncProperty(command, option, async (cmd, opt) => expectRejectedUnchanged([...cmd, `--${opt}-x`, 'value'])),
      RUNS,
    );
  });

  test('records with a generated bad --kind, --outcome or date filter', async () => {
    const value = fc
      .string({ minLength: 1, maxLength: 16 })
      .filter((s) => !s.startsWith('-') && Number.isNaN(Date.parse(s)));
    const argv = fc.tuple(fc.constantFrom('--kind', '--since', '--until'), value);
    await fc.assert(
      fc.asyncProperty(argv, async ([opt, v]) => expectRejectedUnchanged(['records', opt, v])),
      RUNS,
    );
  });

  async function post(url: string, body: string) {
    const res = await fetch(`${api.url}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, json: (await res.json()) as { error?: { type: string; issues?: unknown[] } } };
  }

  test('POST /api/subjects, /api/recipients and /api/consents with generated bad bodies answer 400 and write nothing', async () => {
    const body = fc.oneof(
      fc.tuple(
        fc.constant('/api/subjects'),
        fc
          .oneof(brokenFile(hanako, ['id', 'name', 'email', 'phone']), fc.anything().filter(oneOrMany(Subject)))
          .map((v) => JSON.stringify(v) ?? 'null'),
      ),
      fc.tuple(
        fc.constant('/api/recipients'),
        brokenFile(dealerTokyo, ['id', 'kind', 'email']).map((v) => JSON.stringify(v)),
      ),
      fc.tuple(
        fc.constant('/api/consents'),
        fc
          .record({ subject: wrongValue, recipient: fc.constant(dealerTokyo.id), purpose: fc.string() })
          .map((v) => JSON.stringify(v)),
      ),
      fc.tuple(fc.constantFrom('/api/subjects', '/api/consents'), notJson),
    );
    await fc.assert(
      fc.asyncProperty(body, async ([url, text]) => {
        const before = snapshot();
        const res = await post(url, text);
        expect(res.status).toBe(400);
        expect(res.json.error?.type).toBe('InputError');
        expect(snapshot()).toBe(before);
      }),
      RUNS,
    );
  });

  test('GET /api/records with a generated bad query answers 400', async () => {
    const kind = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !['dealer-catalog', 'survey', 'shipping', 'legal'].includes(s));
    await fc.assert(
      fc.asyncProperty(kind, async (k) => {
        const res = await fetch(`${api.url}/api/records?kind=${encodeURIComponent(k)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(400);
      }),
      RUNS,
    );
  });

  test('audit verify on a generated broken bundle manifest is bad input naming the manifest', async () => {
    const manifest = fc.oneof(
      notJson,
      fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
    );
    await fc.assert(
      fc.asyncProperty(manifest, async (text) => {
        const dir = path.join(home, `bundle-${++fileNo}`);
        await mkdir(dir);
        await writeFile(path.join(dir, 'manifest.json'), text);
        const run = await cli(['audit', 'verify', dir, '--json']);
        expect(run.code).toBe(2);
        expect((JSON.parse(run.out) as { error: { issues: { field: string }[] } }).error.issues[0]?.field).toMatch(
          /^manifest\.json/,
        );
      }),
      RUNS,
    );
  });

  test('a generated broken policy file is refused as PolicyInvalid naming the file, never retried as a crash', async () => {
    const policy = fc.oneof(
      notJson,
      fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
    );
    await fc.assert(
      fc.asyncProperty(policy, async (text) => {
        const file = await fileWith(text);
        await expect(readPolicy(file)).rejects.toMatchObject({
          type: 'PolicyInvalid',
          nonRetryable: true,
          message: expect.stringContaining(file),
        });
      }),
      RUNS,
    );
  });
});
