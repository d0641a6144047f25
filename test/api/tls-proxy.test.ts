import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { fileTokenRegistry } from '../../api/auth';
import type { AnyRoute, ApiDeps } from '../../api/route';
import { route } from '../../api/route';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import type { ConfigError} from '../../infra/config';
import { loadConfig } from '../../infra/config';
import { makeRunCertificates } from '../support/cluster/certs';

/** HTTPS served directly from certificate files, and the client address taken from a trusted reverse proxy. */
const OPEN: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/open',
    operationId: 'open',
    summary: 'public',
    roles: 'public',
    responses: { 200: z.object({ ok: z.boolean() }) },
    handle: async () => ({ body: { ok: true } }),
  }),
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'http-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const serve = (extra: Partial<Parameters<typeof startApiServer>[0]> = {}): Promise<ApiServer> =>
  startApiServer({ deps: {} as ApiDeps, tokens: fileTokenRegistry(path.join(dir, 'none.json')), routes: OPEN, limits: { perAddress: 2 }, ...extra });

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('with DISCLOSURE_TLS_CERT and DISCLOSURE_TLS_KEY the server speaks HTTPS with that certificate, and only HTTPS', async () => {
  const certs = await makeRunCertificates(path.join(dir, 'certs'), 'localhost');
  const config = loadConfig({ DISCLOSURE_HOME: dir, DISCLOSURE_TLS_CERT: certs.server.cert, DISCLOSURE_TLS_KEY: certs.server.key });
  const api = await serve({ tls: { cert: await readFile(config.tls!.certFile), key: await readFile(config.tls!.keyFile) } });
  try {
    expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await httpsGet(`${api.url}/open`, await readFile(certs.ca.cert))).toEqual({ status: 200, body: '{"ok":true}' });
    await expect(httpsGet(`${api.url}/open`, await readFile(certs.otherCa.cert))).rejects.toThrow();
    await expect(fetch(api.url.replace('https:', 'http:') + '/open')).rejects.toThrow();
  } finally {
    await api.close();
  }
});

test('behind a trusted proxy the forwarded client address is what the per-address limit counts; otherwise the header is ignored', async () => {
  const hit = async (api: ApiServer, forwardedFor: string) => (await fetch(`${api.url}/open`, { headers: { 'x-forwarded-for': forwardedFor } })).status;
  const proxied = await serve({ trustProxy: loadConfig({ DISCLOSURE_HOME: dir, DISCLOSURE_TRUST_PROXY: '127.0.0.1' }).trustProxy });
  try {
    expect([await hit(proxied, '203.0.113.5'), await hit(proxied, '203.0.113.5'), await hit(proxied, '203.0.113.5')]).toEqual([200, 200, 429]);
    expect(await hit(proxied, '203.0.113.6')).toBe(200);
  } finally {
    await proxied.close();
  }
  const direct = await serve();
  try {
    expect([await hit(direct, '203.0.113.5'), await hit(direct, '203.0.113.6'), await hit(direct, '203.0.113.7')]).toEqual([200, 200, 429]);
  } finally {
    await direct.close();
  }
});

test('the new settings are checked: a zone that does not exist, a certificate without its key, a bad bind address', () => {
  const bad = (env: Record<string, string>) => {
    try {
      loadConfig({ DISCLOSURE_HOME: dir, ...env });
    } catch (err) {
      return (err as ConfigError).issues.map((i) => i.variable);
    }
    return [];
  };
  expect(bad({ DISCLOSURE_TIMEZONE: 'Mars/Olympus' })).toEqual(['DISCLOSURE_TIMEZONE']);
  expect(bad({ DISCLOSURE_TLS_CERT: '/x/cert.pem' })).toEqual(['DISCLOSURE_TLS_KEY']);
  expect(bad({ DISCLOSURE_API_HOST: 'http://0.0.0.0' })).toEqual(['DISCLOSURE_API_HOST']);
  expect(bad({ DISCLOSURE_PUBLIC_URL: 'disclosure.example.jp' })).toEqual(['DISCLOSURE_PUBLIC_URL']);
  expect(loadConfig({ DISCLOSURE_HOME: dir })).toMatchObject({ apiHost: '127.0.0.1', timeZone: 'Asia/Tokyo', publicUrl: undefined });
  expect(loadConfig({ DISCLOSURE_HOME: dir, DISCLOSURE_API_URL: 'https://a.example' }).publicUrl).toBe('https://a.example');
  expect(loadConfig({ DISCLOSURE_HOME: dir, DISCLOSURE_API_URL: 'https://a.example', DISCLOSURE_PUBLIC_URL: 'https://b.example' }).publicUrl).toBe('https://b.example');
});
