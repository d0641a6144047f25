import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { CodecServer } from '../../api/codec-server';
import { startCodecServer } from '../../api/codec-server';
import { CIPHER, ENCRYPTED_ENCODING, KEY_ID_KEY } from '../../infra/codec';
import { codecServerCodec } from '../../infra/data-converter';
import { codecTokenFile, ensureCodecToken, readKeyRing } from '../../infra/keys';
import { dealerTokyo, hanako } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { consentedCatalogRequest } from '../support/requests';
import { startHarness } from '../support/harness';
import { payloadsIn, rawHistory } from './history';

const run = promisify(execFile);

let h: Harness;
let server: CodecServer;
let token: string;

type Wire = { payloads: { metadata: Record<string, string>; data: string }[] };

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const text = (b: string) => Buffer.from(b, 'base64').toString('utf8');

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako]);
  await h.store.putRecipients([dealerTokyo]);
  token = await ensureCodecToken(h.home, {});
  server = await startCodecServer({ codec: codecServerCodec(h.home, {}), token, allowEncode: true });
});
afterAll(async () => {
  await server.stop();
  await h.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const bearer = () => ({ Authorization: `Bearer ${token}` });
const plainPayload = {
  payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('{"catalog":"Prius 2026"}') }],
};

describe('codec server for the Temporal UI', () => {
  test('the token is created once, private to its owner, and reused', async () => {
    expect((await stat(codecTokenFile(h.home))).mode & 0o777).toBe(0o600);
    expect(await ensureCodecToken(h.home, {})).toBe(token);
    expect(token.length).toBeGreaterThanOrEqual(40);
  });

  test('without the token, or with a wrong one, it answers 401 and decodes nothing', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer nope' }, { Authorization: token }];
    for (const headers of attempts) {
      const res = await post('/encode', plainPayload, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({ error: { type: 'Unauthorized', message: expect.stringContaining('token') } });
      expect(JSON.stringify(body)).not.toContain('Prius');
    }
    expect((await post('/t/wrong-token/decode', plainPayload)).status).toBe(401);
  });

  test('encode then decode with the token gives back the original payload, encrypted in between', async () => {
    const encoded = await post('/encode', plainPayload, bearer());
    expect(encoded.status).toBe(200);
    const sealed = (await encoded.json()) as Wire;
    const meta = sealed.payloads[0]!.metadata;
    expect(text(meta.encoding!)).toBe(ENCRYPTED_ENCODING);
    expect(text(meta['encryption-cipher']!)).toBe(CIPHER);
    expect(text(meta[KEY_ID_KEY]!)).toBe((await readKeyRing(h.home, {}))!.current.id);
    expect(text(sealed.payloads[0]!.data)).not.toContain('Prius');

    const decoded = await post('/decode', sealed, bearer());
    expect(decoded.status).toBe(200);
    expect(await decoded.json()).toEqual(plainPayload);
  });

  test('decodes a real history through the path-token endpoint the UI is given', async () => {
    const started = await consentedCatalogRequest(h);
    const payloads = payloadsIn(await rawHistory(h.client, started.workflowId)).map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? []).toString('base64'),
    }));
    const res = await fetch(`${server.uiEndpoint}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default' },
      body: JSON.stringify({ payloads }),
    });
    expect(res.status).toBe(200);
    const decoded = (await res.json()) as Wire;
    expect(decoded.payloads.map((p) => text(p.metadata.encoding!))).not.toContain(ENCRYPTED_ENCODING);
    expect(decoded.payloads.map((p) => text(p.data)).join('\n')).toContain('Prius 2026');
  });

  test('the temporal CLI shows a history decoded through the codec server, and only with the token', async () => {
    const started = await consentedCatalogRequest(h);
    const show = (...extra: string[]) =>
      run(process.env.TEST_TEMPORAL_BINARY as string, [
        'workflow',
        'show',
        '-w',
        started.workflowId,
        '--address',
        process.env.TEST_TEMPORAL_ADDRESS as string,
        '--namespace',
        h.client.options.namespace,
        '--disable-config-file',
        '--disable-config-env',
        '-o',
        'json',
        ...extra,
      ]).then(
        // The JSON output keeps payload data base64-encoded, decoded or not.
        (r) => [...r.stdout.matchAll(/"data":\s*"([A-Za-z0-9+/=]*)"/g)].map((m) => text(m[1] ?? '')).join('\n'),
        (err: { stderr?: string; message: string }) => `failed: ${err.stderr ?? err.message}`,
      );

    expect(await show('--codec-endpoint', server.url, '--codec-auth', `Bearer ${token}`)).toContain('Prius 2026');
    expect(await show()).not.toContain('Prius 2026');
    // The CLI retries a refused decode until its deadline, then fails without printing the history.
    const refused = await show(
      '--codec-endpoint',
      server.url,
      '--codec-auth',
      'Bearer wrong',
      '--command-timeout',
      '3s',
    );
    expect(refused).toMatch(/^failed: /);
    expect(refused).not.toContain('Prius 2026');
  });

  test('CORS: the UI origin gets preflight and response headers, other origins get none', async () => {
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:8233',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-namespace']),
    );

    const call = await post('/encode', plainPayload, { ...bearer(), Origin: 'http://localhost:8233' });
    expect(call.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');

    const foreign = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.test', 'Access-Control-Request-Method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-methods')).toBeNull();
  });

  test('bad requests are named: a malformed body, an unknown key, an unknown path', async () => {
    const bad = await post('/decode', { payloads: [{ data: 'not base64!!' }] }, bearer());
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/payloads.*data/s);

    const unknownKey = {
      payloads: [
        {
          metadata: {
            encoding: b64(ENCRYPTED_ENCODING),
            [KEY_ID_KEY]: b64('k-gone'),
            'encryption-cipher': b64(CIPHER),
          },
          data: b64('x'.repeat(40)),
        },
      ],
    };
    const missing = await post('/decode', unknownKey, bearer());
    expect(missing.status).toBe(422);
    expect(await missing.json()).toEqual({
      error: { type: 'PayloadKeyMissing', message: expect.stringContaining('k-gone') },
    });

    expect((await post('/other', plainPayload, bearer())).status).toBe(404);

    const malformed = await post('/t/%E0%A4%A/decode', plainPayload);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/\n\s+at /);
    const notJson = await fetch(`${server.url}/decode`, { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/json' }, body: '{"payloads":' });
    expect(notJson.status).toBe(400);
  });
});
