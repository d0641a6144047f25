import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { ConfigError } from '../../infra/config';
import { connectTemporal, connectWorkerTemporal } from '../../infra/temporal-client';
import type { TemporalSettings } from '../../infra/temporal-connection';
import {
  connectionOptions,
  explainConnectError,
  temporalSettings,
  TemporalConnectError,
} from '../../infra/temporal-connection';
import type { RunCertificates } from '../support/cluster/certs';
import { makeRunCertificates } from '../support/cluster/certs';

let dir: string;
let certs: RunCertificates;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-temporal-conn-'));
  certs = await makeRunCertificates(path.join(dir, 'certs'));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const FALLBACK = { address: '127.0.0.1:7233' };
const settings = (env: NodeJS.ProcessEnv) => temporalSettings({ HOME: dir, ...env }, FALLBACK);
const configIssue = (env: NodeJS.ProcessEnv) => {
  try {
    settings(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues[0];
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('Temporal settings from the environment and a TOML profile', () => {
  test('nothing set: the embedded default, no TLS, namespace default', () => {
    const s = settings({});
    expect(s).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', addressConfigured: false });
    expect(connectionOptions(s)).toEqual({ address: '127.0.0.1:7233' });
  });

  test('address, namespace and API key; an API key turns TLS on', () => {
    const s = settings({
      TEMPORAL_ADDRESS: 'ns.a1b2.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.a1b2',
      TEMPORAL_API_KEY: 'key-1',
    });
    expect(s).toMatchObject({ address: 'ns.a1b2.tmprl.cloud:7233', namespace: 'ns.a1b2', addressConfigured: true });
    expect(connectionOptions(s)).toEqual({ address: 'ns.a1b2.tmprl.cloud:7233', apiKey: 'key-1', tls: true });
  });

  test('mutual TLS from TEMPORAL_TLS_* paths: CA, client pair and server name are loaded from the files', async () => {
    const s = settings({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca.cert,
      TEMPORAL_TLS_CLIENT_CERT_PATH: certs.client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certs.client.key,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const tlsConfig = connectionOptions(s).tls as {
      serverRootCACertificate: Uint8Array;
      clientCertPair: { crt: Uint8Array; key: Uint8Array };
      serverNameOverride: string;
    };
    expect(Buffer.from(tlsConfig.serverRootCACertificate).toString()).toBe(await readFile(certs.ca.cert, 'utf8'));
    expect(Buffer.from(tlsConfig.clientCertPair.crt).toString()).toBe(await readFile(certs.client.cert, 'utf8'));
    expect(Buffer.from(tlsConfig.clientCertPair.key).toString()).toBe(await readFile(certs.client.key, 'utf8'));
    expect(tlsConfig.serverNameOverride).toBe('temporal.internal');
    expect(s.sources).toMatchObject({
      serverCa: `TEMPORAL_TLS_SERVER_CA_CERT_PATH (${certs.ca.cert})`,
      clientCert: `TEMPORAL_TLS_CLIENT_CERT_PATH (${certs.client.cert})`,
    });
  });

  test('a TOML profile chosen by TEMPORAL_PROFILE, with the variables overriding it', async () => {
    const file = path.join(dir, 'temporal.toml');
    await writeFile(
      file,
      [
        '[profile.default]',
        'address = "default.internal:7233"',
        '[profile.prod]',
        'address = "prod.internal:7233"',
        'namespace = "disclosures"',
        '[profile.prod.tls]',
        `server_ca_cert_path = "${certs.ca.cert}"`,
        `client_cert_path = "${certs.client.cert}"`,
        `client_key_path = "${certs.client.key}"`,
      ].join('\n'),
    );
    const prod = settings({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    expect(prod).toMatchObject({ address: 'prod.internal:7233', namespace: 'disclosures', addressConfigured: true });
    expect((connectionOptions(prod).tls as { clientCertPair?: unknown }).clientCertPair).toBeDefined();
    expect(settings({ TEMPORAL_CONFIG_FILE: file }).address).toBe('default.internal:7233');
    expect(
      settings({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' }).namespace,
    ).toBe('other');
    expect(configIssue({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' })).toMatchObject({
      variable: 'TEMPORAL_PROFILE',
      value: '"staging"',
    });
  });

  test('settings that cannot work are start-up errors naming the variable', () => {
    expect(configIssue({ TEMPORAL_CONFIG_FILE: path.join(dir, 'absent.toml') })).toMatchObject({
      variable: 'TEMPORAL_CONFIG_FILE',
    });
    expect(configIssue({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'absent-ca.pem') })).toMatchObject({
      variable: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    });
    expect(configIssue({ TEMPORAL_TLS_CLIENT_CERT_PATH: certs.client.cert })).toMatchObject({
      variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
    });
    expect(configIssue({ TEMPORAL_TLS_CLIENT_KEY_PATH: certs.client.key })).toMatchObject({
      variable: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
    });
  });
});

describe('connection failures are one line naming what to fix', () => {
  let server: tls.Server;
  let address: string;
  beforeAll(async () => {
    // A TLS endpoint that demands a client certificate from the run's CA, as an mTLS frontend does.
    server = tls.createServer({
      key: await readFile(certs.server.key),
      cert: await readFile(certs.server.cert),
      ca: await readFile(certs.ca.cert),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const tlsEnv = (extra: NodeJS.ProcessEnv) =>
    settings({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_SERVER_NAME: certs.serverName, ...extra });
  const failure = async (connect: (s: TemporalSettings) => Promise<unknown>, s: TemporalSettings): Promise<string> => {
    try {
      await connect(s);
    } catch (err) {
      expect(err).toBeInstanceOf(TemporalConnectError);
      const message = (err as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      return message;
    }
    throw new Error('connected');
  };

  test.each([
    ['client', connectTemporal],
    ['worker', connectWorkerTemporal],
  ] as const)('%s: a wrong CA names TEMPORAL_TLS_SERVER_CA_CERT_PATH', async (_who, connect) => {
    const s = tlsEnv({
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.otherCa.cert,
      TEMPORAL_TLS_CLIENT_CERT_PATH: certs.client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certs.client.key,
    });
    expect(await failure(connect, s)).toMatch(
      new RegExp(`not signed by the CA in TEMPORAL_TLS_SERVER_CA_CERT_PATH \\(${certs.otherCa.cert}\\)`),
    );
  });

  test.each([
    ['client', connectTemporal],
    ['worker', connectWorkerTemporal],
  ] as const)('%s: a missing client certificate names TEMPORAL_TLS_CLIENT_CERT_PATH', async (_who, connect) => {
    const s = tlsEnv({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca.cert });
    expect(await failure(connect, s)).toMatch(
      /requires a client certificate; set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
  });

  test.each([
    ['client', connectTemporal],
    ['worker', connectWorkerTemporal],
  ] as const)('%s: an unreachable server names TEMPORAL_ADDRESS', async (_who, connect) => {
    expect(await failure(connect, settings({ TEMPORAL_ADDRESS: '127.0.0.1:1' }))).toMatch(
      /^cannot reach Temporal at 127\.0\.0\.1:1 .*set TEMPORAL_ADDRESS$/,
    );
  });

  test('the explanation of core and grpc-js messages, case by case', () => {
    const s = settings({ TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS: 'true' });
    expect(explainConnectError(new Error('invalid peer certificate: NotValidForName'), s)).toMatch(
      /TEMPORAL_TLS_SERVER_NAME/,
    );
    expect(explainConnectError(new Error('Namespace disclosures is not found'), s)).toMatch(/TEMPORAL_NAMESPACE/);
    expect(explainConnectError(new Error('16 UNAUTHENTICATED: Request unauthorized'), s)).toMatch(/TEMPORAL_API_KEY/);
    expect(explainConnectError(new Error('wrong version number'), s)).toMatch(/does not speak TLS/);
  });
});
