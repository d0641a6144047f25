import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { MailCatcher } from '../../infra/mail-catcher';
import { startMailCatcher } from '../../infra/mail-catcher';
import { KEY_FILES } from '../../infra/provision';
import { runBin } from '../support/bin';
import type { EngineProcess } from '../support/cluster/processes';
import { startEngineProcess } from '../support/cluster/processes';
import { readMessages } from '../support/mailbox';

/**
 * The engine deployed as an operator would: keys from `disclosure init`, the engine's PostgreSQL
 * database migrated by its owner and used by a runtime role that is not, two `disclosure worker`
 * hosts (each its own home and its own copy of the keys) and one `disclosure serve`, all over
 * mutual TLS to the tier's Temporal server v1.29.1. Disclosures of all four kinds go through the
 * server's HTTP API while one worker host is killed; the ledger, the ack links and the workflow
 * histories must come out as if nothing had happened. Everything listens on 127.0.0.1.
 */

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const DEALERS = ['R-DEALER-1', 'R-DEALER-2'] as const;
const SUBJECTS = 40;
const COUNTS = { dealer: SUBJECTS * DEALERS.length, shipping: 80, survey: 10, legal: 40 };
const SETTLE_MS = 8 * 60_000;
/** No new record for this long: something is stuck, and waiting out SETTLE_MS would tell no more. */
const STALL_MS = 150_000;

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: run this file with jest.cluster.config.js`);
  return value;
};

let dir: string;
let catcher: MailCatcher;
let serve: EngineProcess | undefined;
let workerA: EngineProcess | undefined;
let workerB: EngineProcess | undefined;
let apiUrl: string;
let metricsA: string;
let metricsB: string;
const tokens: Record<'admin' | 'requester' | 'approver', string> = { admin: '', requester: '', approver: '' };
const pgPort = Number(env('CLUSTER_PG_PORT'));
const pgUrl = (role: string, db: string): string => `postgres://${role}@127.0.0.1:${pgPort}/${db}`;
const ownerUrl = pgUrl('disclosure_owner', 'disclosure');
const appUrl = pgUrl('disclosure_app', 'disclosure');
const keysDir = (): string => path.join(dir, 'ops', 'keys');

/** What every process of the deployment is given to reach Temporal: address, namespace, mutual TLS. */
const temporalEnv = (over: Record<string, string | undefined> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries({
      TEMPORAL_ADDRESS: env('CLUSTER_TEMPORAL_ADDRESS'),
      TEMPORAL_NAMESPACE: env('CLUSTER_TEMPORAL_NAMESPACE'),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: env('CLUSTER_TLS_CA'),
      TEMPORAL_TLS_SERVER_NAME: env('CLUSTER_TLS_SERVER_NAME'),
      TEMPORAL_TLS_CLIENT_CERT_PATH: env('CLUSTER_TLS_CERT'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: env('CLUSTER_TLS_KEY'),
      ...over,
    }).filter((e): e is [string, string] => e[1] !== undefined),
  );

/** A host of its own: a home, and the keys copied onto it as a rollout would. */
async function host(name: string): Promise<{ home: string; keys: string }> {
  const home = path.join(dir, name);
  const keys = path.join(home, 'keys');
  await cp(keysDir(), keys, { recursive: true, preserveTimestamps: true });
  return { home, keys };
}

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function ops(argv: string[], extra: Record<string, string> = {}, timeoutMs = 60_000) {
  const r = await runBin([...argv, '--json'], { DISCLOSURE_HOME: path.join(dir, 'ops'), ...extra }, timeoutMs);
  if (r.code !== 0) throw new Error(`disclosure ${argv.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

async function api(method: string, p: string, token: string, body?: unknown) {
  const res = await fetch(`${apiUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

async function expectStatus(method: string, p: string, token: string, body: unknown, status: number) {
  const res = await api(method, p, token, body);
  if (res.status !== status) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(width: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

const metricsUrlOf = (line: string): string => {
  const url = /health and metrics at (http:\/\/\S+?);/.exec(line)?.[1];
  if (url === undefined) throw new Error(`no metrics address in: ${line}`);
  return url;
};

/** The workflow bundle `npm run build` makes; the workers would each bundle at start without it. */
async function ensureBuilt(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('the engine is not compiled: run `npm run build` (npm test compiles first)');
  const bundle = path.join(ROOT, 'dist', 'workers', 'workflow-bundle.js');
  const { prebuiltWorkflowBundle } = (await import(bundle)) as { prebuiltWorkflowBundle: () => string | undefined };
  if (prebuiltWorkflowBundle() === undefined) {
    await run(process.execPath, [path.join(ROOT, 'dist', 'workers', 'build-bundle.js')], { cwd: ROOT, timeout: 300_000 });
  }
}

const started = Date.now();
const phase = (what: string): void => void process.stderr.write(`engine cluster: ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(path.join(env('CLUSTER_DIR'), 'engine-'));
  const superuser = pgUrl('postgres', 'postgres');
  for (const statement of [
    'CREATE ROLE disclosure_owner LOGIN',
    'CREATE ROLE disclosure_app LOGIN',
    'CREATE DATABASE disclosure OWNER disclosure_owner',
    'CREATE DATABASE disclosure_empty OWNER disclosure_owner',
  ])
    await sql(superuser, statement);
  phase('databases created');

  // The operator's one-time steps: keys, schema and grants, API tokens, the registry.
  await ops(['init', '--keys-dir', keysDir()]);
  await ops(['db', 'migrate', '--grant', 'disclosure_app'], { DISCLOSURE_DB: ownerUrl });
  const tokenFile = path.join(dir, 'ops', 'api-tokens.json');
  for (const [role, name] of [
    ['admin', 'ops:admin'],
    ['requester', 'staff:ito'],
    ['approver', 'staff:sato'],
  ] as const)
    tokens[role] = (await ops(['api', 'token', 'add', '--role', role, '--name', name], { DISCLOSURE_API_TOKENS: tokenFile })).token as string;
  await ops(['seed', '--demo'], { DISCLOSURE_DB: appUrl });
  phase('keys, schema, tokens and registry provisioned');

  catcher = await startMailCatcher({ mailboxDir: path.join(dir, 'mailbox'), port: 0 });
  const deployment = (h: { home: string; keys: string }, over: Record<string, string> = {}) => ({
    DISCLOSURE_HOME: h.home,
    DISCLOSURE_KEYS_DIR: h.keys,
    DISCLOSURE_DB: appUrl,
    SMTP_URL: catcher.url,
    DISCLOSURE_CHECKPOINT_INTERVAL_MS: '5s',
    DISCLOSURE_CHECKPOINT_RECORDS: '50',
    ...temporalEnv(),
    ...over,
  });
  const serveHost = await host('serve-host');
  await cp(tokenFile, path.join(serveHost.home, 'api-tokens.json'));
  serve = startEngineProcess(['serve', '--port', '0', '--codec-port', '0', '--json'], deployment(serveHost));
  ({ apiUrl } = JSON.parse(await serve.waitFor(/"apiUrl"/, 90_000)) as { apiUrl: string });
  const [a, b] = [await host('worker-a'), await host('worker-b')];
  // Host A signs checkpoints with its own copy of the ledger key, removed later to see /readyz notice.
  await cp(path.join(a.keys, KEY_FILES.ledgerPrivateKey), path.join(a.home, 'ledger-ed25519.pem'), { preserveTimestamps: true });
  const workerEnv = { DISCLOSURE_PUBLIC_URL: apiUrl, DISCLOSURE_METRICS_ADDRESS: '127.0.0.1:0' };
  workerA = startEngineProcess(['worker'], deployment(a, { ...workerEnv, DISCLOSURE_LEDGER_KEY: path.join(a.home, 'ledger-ed25519.pem') }));
  workerB = startEngineProcess(['worker'], deployment(b, workerEnv));
  metricsA = metricsUrlOf(await workerA.waitFor(/worker running on queue/, 120_000));
  metricsB = metricsUrlOf(await workerB.waitFor(/worker running on queue/, 120_000));
  phase('serve and two workers running');
}, 420_000);

afterAll(async () => {
  for (const p of [workerA, workerB, serve]) await p?.stop().catch(() => undefined);
  await catcher?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  phase('stopped');
});

const readyz = async (base: string) => {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: { name: string; ok: boolean; error?: string }[] } };
};

const counter = (metrics: string, name: string): number =>
  metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

/** For a failure message: what was started, where the unrecorded ones stand, and what the processes said. */
async function diagnosis(ids: Record<string, string[]>, records: { disclosureId: string }[]): Promise<string> {
  const recorded = new Set(records.map((r) => r.disclosureId));
  const lines = [`started: ${Object.entries(ids).map(([k, v]) => `${k} ${v.length}`).join(', ')}`];
  for (const [kind, list] of Object.entries(ids)) {
    const waiting = list.find((id) => !recorded.has(id));
    if (waiting !== undefined) lines.push(`${kind} ${waiting}: ${JSON.stringify((await api('GET', `/api/disclosures/${waiting}`, tokens.admin)).json)}`);
  }
  for (const [name, p] of [['worker A', workerA], ['worker B', workerB], ['serve', serve]] as const)
    lines.push(`--- ${name} ---`, (p?.output() ?? '').slice(-3000));
  return lines.join('\n');
}

describe('the engine on a Temporal cluster over mutual TLS', () => {
  test('two worker hosts and one server carry disclosures of all four kinds through a worker SIGKILLed mid-run: exactly one record each', async () => {
    expect((await readyz(metricsA)).status).toBe(200);
    expect((await readyz(metricsB)).status).toBe(200);
    expect((await readyz(apiUrl)).body.checks.every((c) => c.ok)).toBe(true);

    const { admin, requester, approver } = tokens;
    const subjects = Array.from({ length: SUBJECTS }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return {
        id: `C-7${n}`,
        name: `試験 太郎${n}`,
        nameKana: `シケン タロウ${n}`,
        email: `c7${n}@customers.example`,
        phone: `090-1000-0${n}`,
        postalCode: '100-0001',
        address: `東京都千代田区千代田1-${i + 1}`,
        birthDate: '1980-01-01',
        gender: 'female',
        vehicleModel: 'Prius',
        surveyOptOut: false,
      };
    });
    await expectStatus('POST', '/api/subjects', admin, subjects, 200);
    const consents = await pool(
      4,
      subjects.flatMap((s) =>
        DEALERS.map((dealer) => async () => {
          const c = await expectStatus('POST', '/api/consents', admin, { subject: s.id, recipient: dealer, purpose: 'catalog-request', noticeVersion: 'notice-2026-04' }, 201);
          return { subjectId: s.id, dealer, consentId: c.id as string };
        }),
      ),
    );
    phase('registry filled');

    const endsOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const ids: Record<keyof typeof COUNTS, string[]> = { dealer: [], shipping: [], survey: [], legal: [] };
    const startOne = (kind: keyof typeof COUNTS, p: string, body: unknown) => async () => {
      const res = await expectStatus('POST', p, requester, body, 202);
      ids[kind].push(res.id as string);
      return res.id as string;
    };
    const approve = async (id: string) => {
      // The approval is an update of the running workflow: it waits for a worker to take it.
      for (let attempt = 0; ; attempt++) {
        const res = await api('POST', `/api/disclosures/${id}/approve`, approver, { fields: ['name', 'address'], authorityCheck: '代表番号に架電し担当官を確認' });
        if (res.status === 200) return;
        if (attempt >= 30) throw new Error(`approve ${id}: ${res.status} ${JSON.stringify(res.json)}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };
    // The demo's survey firm was registered (proposed and approved) moments ago, within the
    // policy's window for changed recipients, so each batch waits for a second staff member.
    const approveBatch = async (id: string) => {
      for (let attempt = 0; ; attempt++) {
        const res = await api('POST', `/api/disclosures/survey/${id}/approve`, approver);
        if (res.status === 200) return;
        if (attempt >= 30) throw new Error(`approve batch ${id}: ${res.status} ${JSON.stringify(res.json)}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };
    const tasks = [
      ...consents.map((c) => startOne('dealer', '/api/disclosures/dealer-catalog', { subjectId: c.subjectId, dealerId: c.dealer, consentId: c.consentId, catalog: 'Prius 2026' })),
      ...Array.from({ length: COUNTS.shipping }, (_, i) =>
        startOne('shipping', '/api/disclosures/shipping', { subjectId: subjects[i % SUBJECTS]!.id, carrierId: 'R-CARRIER-1', shipmentRef: `SHP-${i + 1}` }),
      ),
      ...Array.from({ length: COUNTS.survey }, (_, i) => async () => {
        const id = await startOne('survey', '/api/disclosures/survey', { firmId: 'R-SURVEY-1', surveyId: `CS-2026-Q4-${i + 1}`, endsOn, subjectIds: subjects.slice(i * 4, i * 4 + 4).map((s) => s.id) })();
        await approveBatch(id);
        return id;
      }),
      ...Array.from({ length: COUNTS.legal }, (_, i) => async () => {
        const id = await startOne('legal', '/api/disclosures/legal', {
          subjectId: subjects[i % SUBJECTS]!.id,
          authorityId: 'R-POLICE-1',
          ground: 'warrant',
          documentRef: `令和8年(わ)第${1000 + i}号`,
          issuingOfficial: '東京地方裁判所 裁判官',
          fields: ['name', 'address', 'phone'],
          justification: '差押許可状に基づく契約者情報の照会',
        })();
        await approve(id);
        return id;
      }),
    ];
    // Interleave the kinds so that every kind is in flight when host A goes down.
    const order = tasks.map((t, i) => ({ t, k: (i * 7919) % tasks.length })).sort((x, y) => x.k - y.k).map((x) => x.t);
    const submitting = pool(6, order);
    const total = Object.values(COUNTS).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(200);

    const disclosureRecords = async () => {
      const { records } = (await expectStatus('GET', '/api/records', admin, undefined, 200)) as { records: { entryType: string; disclosureId: string; kind: string; outcome: string }[] };
      return records.filter((r) => r.entryType === 'disclosure');
    };
    const deadline = Date.now() + SETTLE_MS;
    let killed = false;
    let progress = { count: 0, at: Date.now() };
    let settledSubmitting = false;
    let submitError: unknown;
    void submitting.then(
      () => (settledSubmitting = true),
      (err: unknown) => (submitError = err),
    );
    for (;;) {
      if (submitError !== undefined) throw submitError;
      const records = await disclosureRecords();
      if (!killed && records.length >= total / 4) {
        // Host A has been working: it appended records of its own.
        const metrics = await (await fetch(`${metricsA}/metrics`)).text();
        expect(counter(metrics, 'disclosure_disclosures_total')).toBeGreaterThan(0);
        // It loses its signing key: /readyz says so, naming the variable, before the host goes down.
        await rm(path.join(dir, 'worker-a', 'ledger-ed25519.pem'));
        const lost = await readyz(metricsA);
        expect(lost.status).toBe(503);
        expect(lost.body.checks.find((c) => c.name === 'keys')).toMatchObject({ ok: false, error: expect.stringMatching(/DISCLOSURE_LEDGER_KEY/) });
        await workerA!.kill();
        killed = true;
        phase(`worker A SIGKILLed with ${records.length} of ${total} disclosures recorded`);
      }
      if (settledSubmitting && records.length >= total) break;
      if (records.length > progress.count) progress = { count: records.length, at: Date.now() };
      if (Date.now() > deadline || Date.now() - progress.at > STALL_MS) {
        throw new Error(`only ${records.length} of ${total} disclosures recorded after ${((Date.now() - started) / 1000).toFixed(0)} s\n${await diagnosis(ids, records)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    await submitting;
    expect(killed).toBe(true);
    phase(`${total} disclosures recorded`);

    const records = await disclosureRecords();
    const perDisclosure = new Map<string, number>();
    for (const r of records) perDisclosure.set(r.disclosureId, (perDisclosure.get(r.disclosureId) ?? 0) + 1);
    const all = Object.values(ids).flat().sort();
    expect(all).toHaveLength(total);
    expect([...perDisclosure.keys()].sort()).toEqual(all);
    expect([...perDisclosure.values()].every((n) => n === 1)).toBe(true);
    const byKind = (kind: string) => records.filter((r) => r.kind === kind);
    expect(byKind('dealer-catalog').map((r) => r.outcome)).toEqual(Array(COUNTS.dealer).fill('delivered'));
    expect(byKind('shipping').map((r) => r.outcome)).toEqual(Array(COUNTS.shipping).fill('delivered'));
    expect(byKind('survey').map((r) => r.outcome)).toEqual(Array(COUNTS.survey).fill('delivered'));
    expect(byKind('legal').map((r) => r.outcome)).toEqual(Array(COUNTS.legal).fill('delivered'));
    // The surviving host is ready; the database's own count agrees with the API.
    expect((await readyz(metricsB)).status).toBe(200);
    // The database agrees: one row keyed by each disclosure's id (registry entries are rows of their own).
    const [row] = await sql<{ n: number; ids: number }>(appUrl, 'SELECT COUNT(*)::int AS n, COUNT(DISTINCT disclosure_id)::int AS ids FROM ledger WHERE idempotency_key = ANY($1)', [all]);
    expect(row).toEqual({ n: total, ids: total });
  }, SETTLE_MS + 120_000);

  test('an ack link minted by a worker is accepted by the server: POST confirm records the acknowledgement once', async () => {
    const mails = await readMessages(catcher.mailboxDir, 'catalog@dealer-chiyoda.example');
    expect(mails.length).toBeGreaterThanOrEqual(SUBJECTS);
    const link = [...(mails[0]!.text ?? '').matchAll(/https?:\/\/[^\s<>"]+\/ack\/[A-Za-z0-9_.-]+/g)].map((m) => m[0])[0];
    expect(link).toBeDefined();
    expect(link!.startsWith(`${apiUrl}/ack/`)).toBe(true);
    const post = () => fetch(link!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    const confirmed = await post();
    expect(confirmed.status).toBe(201);
    expect(await confirmed.text()).toContain('Receipt acknowledged');
    expect((await post()).status).toBe(409);
    const { records } = (await expectStatus('GET', '/api/records', tokens.admin, undefined, 200)) as { records: { entryType: string }[] };
    expect(records.filter((r) => r.entryType === 'acknowledgement')).toHaveLength(1);
  }, 120_000);

  test('ledger verify with the public key alone: the chain holds and every checkpoint is signed by the one provisioned key', async () => {
    const auditor = { DISCLOSURE_DB: appUrl, DISCLOSURE_HOME: path.join(dir, 'auditor'), DISCLOSURE_LEDGER_KEY: path.join(dir, 'auditor', 'no-private-key.pem'), DISCLOSURE_LEDGER_PUBLIC_KEY: path.join(keysDir(), KEY_FILES.ledgerPublicKey) };
    const report = await ops(['ledger', 'verify'], auditor, 120_000);
    expect(report).toMatchObject({ ok: true, checkpointIssues: [] });
    expect((report.checkpoints as { trusted: number }).trusted).toBeGreaterThanOrEqual(2);
    const bodies = await sql<{ body: string }>(appUrl, 'SELECT body FROM ledger_checkpoints');
    expect(new Set(bodies.map((b) => (JSON.parse(b.body) as { keyId: string }).keyId)).size).toBe(1);
  }, 180_000);

  test('audit replay --all: every history, from both hosts, replays consistently against the workflow code', async () => {
    const report = await ops(['audit', 'replay', '--all'], { DISCLOSURE_DB: appUrl, DISCLOSURE_KEYS_DIR: keysDir(), ...temporalEnv() }, 300_000);
    const results = report.results as { consistent: boolean }[];
    expect(report.consistent).toBe(true);
    expect(results.length).toBeGreaterThanOrEqual(Object.values(COUNTS).reduce((a, b) => a + b, 0));
    expect(results.every((r) => r.consistent)).toBe(true);
  }, 360_000);
});

describe('a worker that cannot start says why in one line and writes nothing', () => {
  const lone = async (name: string, over: Record<string, string | undefined>, db = appUrl) => {
    const home = path.join(dir, name);
    const r = await runBin(['worker'], { DISCLOSURE_HOME: home, DISCLOSURE_KEYS_DIR: keysDir(), DISCLOSURE_DB: db, SMTP_URL: catcher.url, ...temporalEnv(over) }, 60_000);
    const lines = r.stderr.trim().split('\n');
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    return { ...r, lines, home };
  };

  test('without its client certificate', async () => {
    const r = await lone('no-client-cert', { TEMPORAL_TLS_CLIENT_CERT_PATH: undefined, TEMPORAL_TLS_CLIENT_KEY_PATH: undefined });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.lines).toEqual([expect.stringMatching(/requires a client certificate; set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/)]);
  }, 90_000);

  test('trusting another CA than the one that signed the server certificate', async () => {
    const r = await lone('wrong-ca', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: env('CLUSTER_TLS_OTHER_CA') });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.lines).toEqual([expect.stringMatching(/not signed by the CA in TEMPORAL_TLS_SERVER_CA_CERT_PATH \(.*\); point TEMPORAL_TLS_SERVER_CA_CERT_PATH at the CA/)]);
  }, 90_000);

  test('against an empty database and without keys: exit 2 naming each key, no table, no home', async () => {
    const r = await lone('no-keys', { DISCLOSURE_KEYS_DIR: path.join(dir, 'no-keys-anywhere') }, pgUrl('disclosure_owner', 'disclosure_empty'));
    expect(r.code).toBe(2);
    for (const variable of ['DISCLOSURE_PAYLOAD_KEYS', 'DISCLOSURE_ACK_KEY', 'DISCLOSURE_LEDGER_KEY']) expect(r.stderr).toContain(`${variable}=(not set)`);
    const [tables] = await sql<{ n: number }>(pgUrl('postgres', 'disclosure_empty'), `SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    expect(tables!.n).toBe(0);
    expect(existsSync(r.home)).toBe(false);
    expect(await readdir(dir)).not.toContain('no-keys-anywhere');
  }, 90_000);
});
