import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../infra/config';
import type { RunningEngine } from '../../app/engine';
import { startEngine } from '../../app/engine';
import { codecTokenFile, ensureCodecToken, keyFile, readKeyRing } from '../../infra/keys';
import { silentLogger } from '../../infra/logger';

/**
 * `disclosure up` as `npm start` runs it, minus the worker (covered by the integration tests):
 * keys and token created on first start, the codec server running, and the Temporal UI told
 * to decode through it.
 */
let home: string;
let engine: RunningEngine;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-up-'));
  const env = { DISCLOSURE_HOME: home, TEMPORAL_CLI_PATH: process.env.TEST_TEMPORAL_BINARY };
  engine = await startEngine({
    config: loadConfig(env),
    env,
    log: silentLogger,
    say: () => undefined,
    worker: false,
    embedded: true,
  });
}, 120_000);
afterAll(async () => {
  await engine?.stop();
  await rm(home, { recursive: true, force: true });
});

test('first start creates the payload keys and the codec token, readable by the owner only', async () => {
  expect((await stat(keyFile(home))).mode & 0o777).toBe(0o600);
  expect((await stat(codecTokenFile(home))).mode & 0o777).toBe(0o600);
  expect((await readKeyRing(home, {}))?.current.id).toMatch(/^k-/);
});

test('the codec server runs on loopback, demands the token, and the Temporal UI is pointed at it', async () => {
  const { codecUrl, uiUrl } = engine.runtime;
  expect(codecUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(uiUrl).toBeDefined();
  const body = JSON.stringify({ payloads: [] });
  expect((await fetch(`${codecUrl}/decode`, { method: 'POST', body })).status).toBe(401);
  const token = await ensureCodecToken(home, {});
  const ok = await fetch(`${codecUrl}/decode`, { method: 'POST', body, headers: { Authorization: `Bearer ${token}` } });
  expect(await ok.json()).toEqual({ payloads: [] });

  const settings = (await (await fetch(`${uiUrl}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
  expect(settings.Codec?.Endpoint).toBe(`${codecUrl}/t/${encodeURIComponent(token)}`);
  const preflight = await fetch(`${codecUrl}/decode`, {
    method: 'OPTIONS',
    headers: { Origin: uiUrl!, 'Access-Control-Request-Method': 'POST' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBe(uiUrl);
});

const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

test('home is 0700 and its database, runtime file, Temporal database and presets 0600, whatever the umask (they were 0755/0644)', async () => {
  expect(await modeOf(home)).toBe(0o700);
  for (const file of ['disclosure.db', 'runtime.json', 'temporal.db', 'temporal-cli-env.yaml', 'temporal.log']) {
    expect([file, await modeOf(path.join(home, file))]).toEqual([file, 0o600]);
  }
  expect(await modeOf(path.join(home, 'mailbox'))).toBe(0o700);
});

test('the codec token is on no command line: ps shows the dev server without it (it was an argument)', async () => {
  const token = await ensureCodecToken(home, {});
  const ps = await new Promise<string>((resolve, reject) =>
    execFile('ps', ['-eww', '-o', 'args'], { maxBuffer: 16 * 1024 * 1024 }, (err, out) =>
      err ? reject(err) : resolve(out),
    ),
  );
  expect(ps).toContain('start-dev');
  expect(ps).toContain(path.join(home, 'temporal.db'));
  expect(ps).not.toContain(token);
  expect(ps).not.toContain(encodeURIComponent(token));
});

test('/encode is off by default: holding the token no longer lets anyone encrypt under the engine keys', async () => {
  const token = await ensureCodecToken(home, {});
  const body = JSON.stringify({
    payloads: [
      {
        metadata: { encoding: Buffer.from('json/plain').toString('base64') },
        data: Buffer.from('{}').toString('base64'),
      },
    ],
  });
  const res = await fetch(`${engine.runtime.codecUrl}/encode`, {
    method: 'POST',
    body,
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(403);
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain('DISCLOSURE_CODEC_ENCODE=1');
});
