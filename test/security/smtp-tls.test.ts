import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../infra/config';
import { listMailbox, startMailCatcher } from '../../infra/mail-catcher';
import { createMailer, isPermanentSmtpError } from '../../infra/mailer';
import { resolveRequireTls, SmtpTlsError } from '../../infra/smtp-tls';
import { dealerTokyo, hanako } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { consentedCatalogRequest } from '../support/requests';
import { startHarness } from '../support/harness';

const run = promisify(execFile);

/** A real SMTP server with a self-signed certificate for 127.0.0.1, counting what it receives. */
interface TlsServer {
  url: string;
  connections: number;
  received: { secure: boolean }[];
  stop(): Promise<void>;
}

let dir: string;
let certFile: string;
let keyFile: string;

async function startTlsServer(mode: 'smtps' | 'starttls'): Promise<TlsServer> {
  const state = { connections: 0, received: [] as { secure: boolean }[] };
  const server = new SMTPServer({
    secure: mode === 'smtps',
    key: await readFile(keyFile),
    cert: await readFile(certFile),
    authOptional: true,
    disableReverseLookup: true,
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        state.received.push({ secure: session.secure });
        callback();
      });
    },
  });
  // A client that rejects the certificate hangs up mid-handshake; that is the point here.
  server.on('error', () => undefined);
  // Counted at TCP level: a connection that fails the TLS handshake never reaches SMTP.
  server.server.on('connection', () => (state.connections += 1));
  const port = await new Promise<number>((resolve) => {
    const listener = server.listen(0, '127.0.0.1', () => {
      const address = listener.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    url: `${mode}://127.0.0.1:${port}`.replace('starttls', 'smtp'),
    get connections() {
      return state.connections;
    },
    received: state.received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const message = {
  from: 'privacy-office@provider.test',
  to: dealerTokyo.email,
  raw: Buffer.from('Subject: handoff\r\n\r\nbody\r\n'),
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-tls-'));
  certFile = path.join(dir, 'cert.pem');
  keyFile = path.join(dir, 'key.pem');
  // The openssl CLI must be installed: without it these tests fail, they are not skipped.
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('SMTP TLS policy', () => {
  test('TLS is required by default for any server that is not on loopback', () => {
    expect(resolveRequireTls('smtp://mail.example.com:587', undefined)).toBe(true);
    expect(resolveRequireTls('smtp://10.0.0.5:25', '')).toBe(true);
    expect(resolveRequireTls('smtp://127.0.0.1:2525', undefined)).toBe(false);
    expect(resolveRequireTls('smtp://localhost:2525', undefined)).toBe(false);
    expect(resolveRequireTls('smtp://[::1]:2525', undefined)).toBe(false);
    // Explicit settings win either way; a value that is neither yes nor no keeps TLS on.
    expect(resolveRequireTls('smtp://mail.example.com:25', 'false')).toBe(false);
    expect(resolveRequireTls('smtp://127.0.0.1:2525', 'true')).toBe(true);
    expect(resolveRequireTls('smtp://mail.example.com:25', 'off-please')).toBe(true);

    const home = path.join(dir, 'home');
    expect(loadConfig({ DISCLOSURE_HOME: home, SMTP_URL: 'smtp://relay.internal:587' }).smtpRequireTls).toBe(true);
    expect(loadConfig({ DISCLOSURE_HOME: home }).smtpRequireTls).toBe(false);
    expect(loadConfig({ DISCLOSURE_HOME: home, SMTP_CA_FILE: certFile }).smtpCaFile).toBe(certFile);
  });

  test.each(['smtps', 'starttls'] as const)(
    '%s with a self-signed certificate: verification fails, nothing is sent, the error says how to fix it',
    async (mode) => {
      const server = await startTlsServer(mode);
      const mailer = createMailer({ smtpUrl: server.url, requireTls: true });
      try {
        const err = await mailer.send(message).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(SmtpTlsError);
        expect((err as Error).message).toMatch(
          /certificate of mail server 127\.0\.0\.1:\d+ failed verification \(self-signed certificate\).*SMTP_CA_FILE/s,
        );
        expect(isPermanentSmtpError(err)).toBe(true);
        expect(server.received).toEqual([]);
      } finally {
        mailer.close();
        await server.stop();
      }
    },
  );

  test.each(['smtps', 'starttls'] as const)('%s with the private CA configured: delivered over TLS', async (mode) => {
    const server = await startTlsServer(mode);
    const mailer = createMailer({ smtpUrl: server.url, requireTls: true, caFile: certFile });
    try {
      expect((await mailer.send(message)).response).toMatch(/^250/);
      expect(server.received).toEqual([{ secure: true }]);
    } finally {
      mailer.close();
      await server.stop();
    }
  });

  test('TLS required but the server offers no STARTTLS: refused before anything is sent', async () => {
    const catcher = await startMailCatcher({ mailboxDir: path.join(dir, 'plain-mailbox') });
    const mailer = createMailer({ smtpUrl: catcher.url, requireTls: true });
    try {
      const err = await mailer.send(message).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SmtpTlsError);
      expect((err as Error).message).toMatch(/did not set up TLS.*SMTP_REQUIRE_TLS=false/s);
      expect(await listMailbox(catcher.mailboxDir, dealerTokyo.email)).toEqual([]);
    } finally {
      mailer.close();
      await catcher.stop();
    }
  });

  test('an unreadable CA file is a clear error at start-up', () => {
    expect(() => createMailer({ smtpUrl: 'smtps://127.0.0.1:465', caFile: path.join(dir, 'missing.pem') })).toThrow(
      /SMTP_CA_FILE .*missing\.pem cannot be read/,
    );
  });
});

describe('a disclosure whose mail server certificate fails verification, through Temporal', () => {
  let h: Harness;
  let server: TlsServer;

  beforeAll(async () => {
    server = await startTlsServer('smtps');
    h = await startHarness({ mailer: createMailer({ smtpUrl: server.url }) });
    await h.store.putSubjects([hanako]);
    await h.store.putRecipients([dealerTokyo]);
  });
  afterAll(async () => {
    await h.stop();
    await server.stop();
  });

  test('fails once without retrying, is recorded as failed, and sends nothing', async () => {
    const started = await consentedCatalogRequest(h);
    const { result } = started;
    expect(result.status).toBe('failed');
    expect(JSON.stringify(result)).toContain('failed verification');
    expect(server.received).toEqual([]);
    expect(server.connections).toBe(1);
    expect(await h.store.listRecords({ disclosureId: started.id })).toEqual([
      expect.objectContaining({ outcome: 'failed', items: [] }),
    ]);
  });
});
