import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { canonicalJson } from '../../domain/canonical';
import { createLogger } from '../../infra/logger';
import { keyPathsOf } from '../../infra/signing-key';
import { witnessTarget } from '../../infra/witness-target';
import { checkpointBody } from '../../service/checkpoint-hash';
import { startCheckpointTimer } from '../../service/checkpoint-timer';
import { TamperError } from '../../service/errors';
import { createCheckpoint, verifyLedger } from '../../service/ledger';
import { openWitness } from '../../service/witness';
import type { Checkpoint } from '../../store/store';
import { makeRunCertificates, type RunCertificates } from '../support/cluster/certs';
import { writeTestLog } from '../support/file-logs';
import { sqliteBackend, type Ledger } from './backends';
import { append, cli, keyOf, rewriteTailFrom, rollBackCheckpoints } from './intruder';

const now = new Date('2026-06-01T00:00:00Z');
const TOKEN = 'witness-token-for-this-test-0123456789';

/** `disclosure witness serve` over HTTPS, run through the CLI until it is stopped. */
interface Served {
  url: string;
  port: number;
  stop(): Promise<void>;
}

let certs: RunCertificates;
let l: Ledger;
let witnessDir: string;
let tokenFile: string;
let served: Served | undefined;

async function serve(listen = '127.0.0.1:0'): Promise<Served> {
  const lines: string[] = [];
  const done = main(
    ['witness', 'serve', '--dir', witnessDir, '--listen', listen, '--tls-cert', certs.server.cert, '--tls-key', certs.server.key, '--token-file', tokenFile],
    { stdout: () => undefined, stderr: (t) => lines.push(t), env: { DISCLOSURE_HOME: l.home } },
  );
  const deadline = Date.now() + 10_000;
  let url: string | undefined;
  while ((url = lines.map((x) => /witness listening on (\S+);/.exec(x)?.[1]).find(Boolean)) === undefined) {
    if (Date.now() > deadline) throw new Error(`witness serve did not start: ${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url,
    port: Number(new URL(url).port),
    // The command stops on Ctrl-C or SIGTERM, as under systemd.
    stop: async () => {
      process.emit('SIGTERM');
      expect(await done).toBe(0);
    },
  };
}

/** The settings an engine host uses to reach the witness: its URL, the token file and the private CA. */
const witnessEnv = (url: string) => ({ DISCLOSURE_WITNESS: url, DISCLOSURE_WITNESS_TOKEN_FILE: tokenFile, DISCLOSURE_WITNESS_CA: certs.ca.cert });
const witnessOf = (url: string) => openWitness(witnessTarget(url, { tokenFile, caFile: certs.ca.cert }));

/** A request to the witness server as anyone on the network could send it. */
function call(
  method: 'GET' | 'POST',
  url: string,
  opts: { token?: string; body?: string } = {},
): Promise<{ status: number; body: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: readFileSync(certs.ca.cert),
        headers: {
          ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const storedFiles = async () => (await readdir(witnessDir)).filter((f) => f.endsWith('.json')).sort();

let certDir: string;
beforeAll(async () => {
  certDir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-witness-certs-'));
  certs = await makeRunCertificates(path.join(certDir, 'run'));
  await chmod(certs.server.key, 0o600);
  // The witness server's access log (stderr, as in production) goes to this file's test log.
  if (process.env.TEST_LOG_DIR !== undefined) {
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writeTestLog(String(chunk).replace(/\n$/, ''));
      return true;
    });
  }
});
afterAll(async () => {
  jest.restoreAllMocks();
  await rm(certDir, { recursive: true, force: true });
});

beforeEach(async () => {
  l = await sqliteBackend().ledger();
  witnessDir = path.join(l.home, 'witness-host');
  tokenFile = path.join(l.home, 'witness-token');
  await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  served = await serve();
});

afterEach(async () => {
  await served?.stop();
  served = undefined;
  await l.dispose();
});

describe('the HTTPS witness', () => {
  test('a rollback of the newest checkpoints from the database and the local witness file together, with the tail rewritten, is caught by the HTTPS witness', async () => {
    const env = witnessEnv(served!.url);
    await append(l, 1, 3);
    expect((await cli(l, env, 'ledger', 'checkpoint')).code).toBe(0);
    await append(l, 4, 6);
    expect((await cli(l, env, 'ledger', 'checkpoint')).code).toBe(0);
    expect(await storedFiles()).toEqual(['CP-000001.json', 'CP-000002.json']);
    expect((await stat(path.join(witnessDir, 'CP-000002.json'))).mode & 0o777).toBe(0o600);

    await rollBackCheckpoints(l, ['CP-000002']);
    await rewriteTailFrom(l, 4);
    // Without the witness the rollback is invisible: the chain and the one checkpoint left hold.
    expect(await verifyLedger(l.store, keyOf(l))).toMatchObject({ ok: true, unsignedRecords: 3 });

    const report = await verifyLedger(l.store, keyOf(l), undefined, { witness: await witnessOf(served!.url).list() });
    expect(report.ok).toBe(false);
    expect(report.checkpointIssues).toContainEqual(expect.stringMatching(/CP-000002 \(seq 6\) was signed but is missing from the database/));
    expect(report.firstBad).toMatchObject({ seq: 4 });
    const { DISCLOSURE_WITNESS: _url, ...credentials } = env;
    const run = await cli(l, credentials, 'ledger', 'verify', '--witness', served!.url);
    expect(run.code).toBe(4);
    expect(run.err).toMatch(/TAMPERING: first bad record: seq 4/);
    expect((await cli(l, env, 'ledger', 'verify')).code).toBe(4);
    // The witness's certificate is checked: without the private CA there is no answer to trust, and no pass.
    const untrusted = await cli(l, { ...env, DISCLOSURE_WITNESS_CA: certs.otherCa.cert }, 'ledger', 'verify');
    expect(untrusted.code).toBe(1);
    expect(untrusted.err).toMatch(/^error: cannot reach the witness at https:\/\/127\.0\.0\.1:\d+\/checkpoints: .*certificate/);
  });

  test('a middle checkpoint deleted from the database and the local witness file is detected, and the HTTPS witness names it', async () => {
    const witness = witnessOf(served!.url);
    for (const [from, to] of [
      [1, 2],
      [3, 4],
      [5, 6],
    ] as const) {
      await append(l, from, to);
      expect(await createCheckpoint(l.store, keyOf(l), now, { witness })).toMatchObject({ created: true, witnessProblem: undefined });
    }
    await rollBackCheckpoints(l, ['CP-000002']);
    // The database alone shows a broken link; the witness still holds the deleted checkpoint and names it.
    expect((await verifyLedger(l.store, keyOf(l))).checkpointIssues).toEqual([
      expect.stringMatching(/CP-000003 \(seq 6\) was signed after a checkpoint that is no longer there/),
    ]);
    const report = await verifyLedger(l.store, keyOf(l), undefined, { witness: await witness.list() });
    expect(report.ok).toBe(false);
    expect(report.checkpointIssues).toEqual([expect.stringMatching(/CP-000002 \(seq 4\) was signed but is missing from the database/)]);
    const run = await cli(l, witnessEnv(served!.url), 'ledger', 'verify');
    expect(run.code).toBe(4);
    expect(run.err).toMatch(/TAMPERING: checkpoints: checkpoint CP-000002 \(seq 4\) was signed but is missing/);
    // The engine will not sign on top of the hole while the witness holds what was deleted.
    await append(l, 7, 7);
    await expect(createCheckpoint(l.store, keyOf(l), now, { witness })).rejects.toThrow(TamperError);
  });

  test('a witness that refuses to overwrite a checkpoint: a re-signed checkpoint under a held id is a 409, and the original stays', async () => {
    const witness = witnessOf(served!.url);
    await append(l, 1, 3);
    const { checkpoint } = await createCheckpoint(l.store, keyOf(l), now, { witness });
    const original = await readFile(path.join(witnessDir, 'CP-000001.json'), 'utf8');

    // The intruder holds the signing key: a validly signed checkpoint over other records, under the same id.
    const body = { ...checkpointBody(checkpoint!), headHash: 'f'.repeat(64), signedAt: '2026-06-02T00:00:00.000Z' };
    const forged: Checkpoint = { id: checkpoint!.id, ...body, signature: keyOf(l).sign!(canonicalJson(body)) };
    const refused = await call('POST', served!.url, { token: TOKEN, body: JSON.stringify(forged) });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { type: 'Conflict', message: expect.stringMatching(/already holds a different checkpoint CP-000001/) } });
    expect(await readFile(path.join(witnessDir, 'CP-000001.json'), 'utf8')).toBe(original);
    expect(await witness.list()).toEqual([checkpoint]);
    // The same checkpoint sent again is acknowledged, not stored twice.
    const again = await call('POST', served!.url, { token: TOKEN, body: JSON.stringify(checkpoint) });
    expect(again).toMatchObject({ status: 200, body: { stored: false, complete: true } });
    expect(await storedFiles()).toEqual(['CP-000001.json']);
  });

  test('an unreachable witness does not stop signing, and verify reports the checkpoints the witness lacks', async () => {
    const env = witnessEnv(served!.url);
    const lines: string[] = [];
    const timer = startCheckpointTimer({
      store: l.store,
      keyPaths: keyPathsOf({ home: l.home }),
      intervalMs: 3_600_000,
      everyRecords: 2,
      pollMs: 20,
      witness: witnessOf(served!.url),
      log: createLogger((x) => lines.push(x)),
    });
    try {
      await append(l, 1, 2);
      // Signed and sent: the timer logs a checkpoint once the witness has answered.
      await until(async () => lines.some((x) => x.includes('ledger checkpoint signed')), 'CP-000001 is signed and sent');
      expect(await storedFiles()).toEqual(['CP-000001.json']);
      const port = served!.port;
      await served!.stop();
      served = undefined;

      await append(l, 3, 4);
      await until(async () => lines.some((x) => x.includes('ledger checkpoint not witnessed')), 'the failed send is logged');
      expect((await l.store.listCheckpoints()).map((c) => c.id)).toEqual(['CP-000001', 'CP-000002']);
      expect(lines.filter((x) => x.includes('ledger checkpoint not witnessed'))).toEqual([
        expect.stringMatching(/"level":"warn".*cannot reach the witness at https:\/\/127\.0\.0\.1:\d+\/checkpoints/),
      ]);
      expect(lines.join('\n')).not.toContain(TOKEN);
      const down = await cli(l, env, 'ledger', 'verify');
      expect(down.code).toBe(1);
      expect(down.err.trim().split('\n')).toEqual([expect.stringMatching(/^error: cannot reach the witness at /)]);

      served = await serve(`127.0.0.1:${port}`);
      const lacking = await cli(l, env, 'ledger', 'verify', '--json');
      expect(lacking.code).toBe(0);
      expect(JSON.parse(lacking.out)).toMatchObject({
        ok: true,
        witness: { checkpoints: 1, lacking: ['CP-000002'] },
        warnings: [expect.stringMatching(/the witness has not received 1 checkpoint\(s\) of the database \(CP-000002\)/)],
      });

      // The next checkpoint the witness takes tells the engine what it missed, and it is sent along.
      await append(l, 5, 6);
      await until(async () => (await storedFiles()).length === 3, 'the witness holds CP-000001..3');
    } finally {
      await timer.stop();
    }
    const caughtUp = JSON.parse((await cli(l, env, 'ledger', 'verify', '--json')).out);
    expect(caughtUp).toMatchObject({ ok: true, witness: { checkpoints: 3, lacking: [] }, warnings: [] });
    expect(lines.filter((x) => x.includes('"level":"error"'))).toEqual([]);
  });

  test('ledger checkpoint with nothing new to sign sends the witness every checkpoint it lacks', async () => {
    await append(l, 1, 2);
    await createCheckpoint(l.store, keyOf(l), now);
    await append(l, 3, 4);
    await createCheckpoint(l.store, keyOf(l), now);
    expect(await storedFiles()).toEqual([]);
    const run = await cli(l, witnessEnv(served!.url), 'ledger', 'checkpoint', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ created: false, checkpoint: { id: 'CP-000002' } });
    expect(JSON.parse(run.out)).not.toHaveProperty('witnessProblem');
    expect(await storedFiles()).toEqual(['CP-000001.json', 'CP-000002.json']);
  });

  test('bad bodies and tokens are refused with 400 and 401 as JSON, and nothing is stored', async () => {
    const url = served!.url;
    await append(l, 1, 2);
    const { checkpoint } = await createCheckpoint(l.store, keyOf(l), now);
    const good = JSON.stringify(checkpoint);

    for (const token of [undefined, 'not-the-token', `${TOKEN}x`]) {
      for (const method of ['GET', 'POST'] as const) {
        const r = await call(method, url, { ...(token !== undefined ? { token } : {}), ...(method === 'POST' ? { body: good } : {}) });
        expect([method, token, r.status]).toEqual([method, token, 401]);
        expect(r.body).toMatchObject({ error: { type: 'Unauthorized' } });
      }
    }
    const bad = [
      '',
      'not json',
      '{}',
      JSON.stringify({ ...checkpoint, id: '../../etc/x' }),
      JSON.stringify({ ...checkpoint, seq: 'two' }),
      JSON.stringify({ ...checkpoint, headHash: 'zz' }),
      JSON.stringify({ ...checkpoint, extra: 'field' }),
      JSON.stringify([checkpoint]),
    ];
    for (const body of bad) {
      const r = await call('POST', url, { token: TOKEN, body });
      expect([body, r.status]).toEqual([body, 400]);
      expect(r.body).toMatchObject({ error: { type: 'InputError', message: expect.any(String) } });
      expect(r.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    expect(await storedFiles()).toEqual([]);
    expect((await call('GET', url, { token: TOKEN })).body).toEqual({ checkpoints: [] });
  });

  test('a witness URL in clear off loopback or without a token file is a configuration error, and the server will not listen in clear off loopback', async () => {
    const badUrl = await cli(l, { DISCLOSURE_WITNESS: 'http://witness.example.com/checkpoints', DISCLOSURE_WITNESS_TOKEN_FILE: tokenFile }, 'ledger', 'verify');
    expect(badUrl.code).toBe(2);
    expect(badUrl.err).toMatch(/DISCLOSURE_WITNESS=.*https:\/\//);
    const noToken = await cli(l, { DISCLOSURE_WITNESS: served!.url }, 'ledger', 'verify');
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/DISCLOSURE_WITNESS_TOKEN_FILE/);
    const clear = await cli(l, {}, 'witness', 'serve', '--dir', witnessDir, '--listen', '0.0.0.0:0', '--token-file', tokenFile);
    expect(clear.code).toBe(2);
    expect(clear.err).toMatch(/--tls-cert: required unless the witness listens on loopback/);
    await chmod(tokenFile, 0o644);
    const readable = await cli(l, {}, 'witness', 'serve', '--dir', witnessDir, '--listen', '127.0.0.1:0', '--token-file', tokenFile);
    expect(readable.code).toBe(2);
    expect(readable.err).toMatch(/readable by other users/);
  });
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
