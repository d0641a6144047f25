import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import nodemailer from 'nodemailer';
import { isCertificateFailure, isTlsUnavailable, resolveRequireTls, SmtpTlsError } from './smtp-tls';

export interface OutgoingMessage {
  from: string;
  to: string;
  raw: Buffer;
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<{ response: string }>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string;
  /**
   * Refuse to send unless the connection is TLS (smtps:// or STARTTLS). Unset: required unless
   * the server is on loopback (see resolveRequireTls).
   */
  requireTls?: boolean;
  /** A PEM file of a private CA to trust besides the public ones (SMTP_CA_FILE). */
  caFile?: string | undefined;
}

function readCa(caFile: string): string {
  try {
    return readFileSync(caFile, 'utf8');
  } catch (err) {
    throw new Error(`SMTP_CA_FILE ${caFile} cannot be read (${(err as Error).message})`);
  }
}

/** The error a person can act on, for TLS failures the next attempt would repeat. */
function explainTlsFailure(err: unknown, server: string): unknown {
  const reason = (err as Error).message;
  if (isCertificateFailure(err)) {
    return new SmtpTlsError(
      `the certificate of mail server ${server} failed verification (${reason}); nothing was sent. ` +
        'If the server uses a private CA, set SMTP_CA_FILE to that CA certificate (PEM).',
    );
  }
  if (isTlsUnavailable(err)) {
    return new SmtpTlsError(
      `mail server ${server} did not set up TLS (${reason}) and TLS is required; nothing was sent. ` +
        'Use smtps:// or a server offering STARTTLS; SMTP_REQUIRE_TLS=false allows plain SMTP.',
    );
  }
  return err;
}

/**
 * Sends pre-rendered messages over SMTP. STARTTLS is used whenever the server offers it;
 * `requireTls` turns its absence into an error instead of a plain-text send. Certificates are
 * always verified: there is no setting to skip that, only one to trust a private CA.
 *
 * Connections are pooled (a few, each reused for up to 100 messages and closed when idle): a new
 * connection per message cost about 110 ms of greeting, EHLO and close on loopback, a reused one
 * 2–10 ms. A connection the server dropped is replaced; a send that fails on one is retried by
 * the caller as before.
 */
const POOL_CONNECTIONS = 5;

export function createMailer(opts: MailerOptions): Mailer {
  const url = new URL(opts.smtpUrl);
  const secure = url.protocol === 'smtps:';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  const server = `${url.hostname}:${port}`;
  const requireTls = opts.requireTls ?? resolveRequireTls(opts.smtpUrl, undefined);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port,
    secure,
    requireTLS: requireTls,
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(opts.caFile === undefined ? {} : { ca: [...rootCertificates, readCa(opts.caFile)] }),
    },
    ...(url.username === ''
      ? {}
      : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
    pool: true,
    maxConnections: POOL_CONNECTIONS,
    maxMessages: 100,
    // A connection lost in the middle of a message fails that send (the activity retries it); the pool never re-sends on its own.
    maxRequeues: 0,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({ envelope: { from: m.from, to: [m.to] }, raw: m.raw });
        return { response: String(info.response) };
      } catch (err) {
        throw explainTlsFailure(err, server);
      }
    },
    close: () => transport.close(),
  };
}

/**
 * A rejection the server will repeat on every attempt: a 5xx reply, an envelope nodemailer
 * itself refuses, or a TLS set-up that cannot succeed (SmtpTlsError). Connection errors and 4xx
 * replies are worth retrying.
 */
export function isPermanentSmtpError(err: unknown): boolean {
  if (err instanceof SmtpTlsError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; responseCode?: unknown };
  if (e.code === 'EENVELOPE') return true;
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
}
