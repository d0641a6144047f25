import nodemailer from 'nodemailer';

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
  /** Refuse to send unless the connection is TLS (smtps:// or STARTTLS). */
  requireTls?: boolean;
}

/**
 * Sends pre-rendered messages over SMTP. STARTTLS is used whenever the server offers it;
 * `requireTls` turns its absence into an error instead of a plain-text send.
 */
export function createMailer(opts: MailerOptions): Mailer {
  const url = new URL(opts.smtpUrl);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    requireTLS: opts.requireTls === true,
    ...(url.username === ''
      ? {}
      : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(m) {
      const info = await transport.sendMail({ envelope: { from: m.from, to: [m.to] }, raw: m.raw });
      return { response: String(info.response) };
    },
    close: () => transport.close(),
  };
}

/**
 * A rejection the server will repeat on every attempt: a 5xx reply, or an envelope nodemailer
 * itself refuses. Connection errors and 4xx replies are worth retrying.
 */
export function isPermanentSmtpError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; responseCode?: unknown };
  if (e.code === 'EENVELOPE') return true;
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
}
