import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../infra/config';
import type { RunningEngine } from '../../infra/engine';
import { startEngine } from '../../infra/engine';
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
