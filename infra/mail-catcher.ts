import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface MailCatcher {
  host: string;
  port: number;
  url: string;
  mailboxDir: string;
  stop(): Promise<void>;
}

export interface MailCatcherOptions {
  mailboxDir: string;
  port?: number;
  host?: string;
  log?: (msg: string) => void;
}

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** An SMTP error the client sees with this reply code. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The folder that holds one recipient's messages, or undefined when the address would name a
 * folder other than a visible direct child of the mailbox (`../x@y`, `a/b@c`, `.hidden@x`).
 * smtp-server's strict parsing already refuses most of these, but `/` is legal in a local part.
 */
function recipientFolder(mailboxDir: string, address: string): string | undefined {
  const name = address.toLowerCase();
  const root = path.resolve(mailboxDir);
  const folder = path.join(root, name);
  // eslint-disable-next-line no-control-regex
  const unsafe = name.startsWith('.') || /[\\\x00-\x1f]/.test(name);
  return unsafe || path.dirname(folder) !== root ? undefined : folder;
}

// Shared by every catcher in the process so two messages in the same millisecond still sort
// by arrival; the padding keeps lexical order equal to numeric order.
let sequence = 0;

function nextFileName(): string {
  sequence += 1;
  const time = new Date().toISOString().replace(/:/g, '-');
  return `${time}-${String(sequence).padStart(9, '0')}.eml`;
}

/** Written under a temporary name and renamed, so a reader never sees half a message. */
async function storeCopy(folder: string, raw: Buffer): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const name = nextFileName();
  const tmp = path.join(folder, `.${name}.tmp`);
  // Handoffs carry customer data: readable by the engine's owner only.
  await writeFile(tmp, raw, { mode: 0o600 });
  await rename(tmp, path.join(folder, name));
}

/** Reads the whole message; past the size limit it keeps draining but stops buffering. */
async function readMessage(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    if (!stream.sizeExceeded) chunks.push(chunk as Buffer);
  }
  if (stream.sizeExceeded) throw smtpError(552, 'Message exceeds the maximum size');
  return Buffer.concat(chunks);
}

async function storeMessage(
  mailboxDir: string,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
): Promise<number> {
  const raw = await readMessage(stream);
  const folders = session.envelope.rcptTo.map((to) => recipientFolder(mailboxDir, to.address));
  for (const folder of folders) {
    // onRcptTo already refused unsafe addresses; this guards the write itself.
    if (folder === undefined) throw smtpError(550, 'Recipient address not allowed');
    await storeCopy(folder, raw);
  }
  return folders.length;
}

/** A loopback SMTP server that keeps every message it accepts as `.eml` files, per recipient. */
export async function startMailCatcher(opts: MailCatcherOptions): Promise<MailCatcher> {
  const host = opts.host ?? '127.0.0.1';
  const mailboxDir = path.resolve(opts.mailboxDir);
  const log = opts.log ?? (() => undefined);
  await mkdir(mailboxDir, { recursive: true, mode: 0o700 });

  const server = new SMTPServer({
    // Plain loopback transport: no certificates to manage, and clients must not try STARTTLS.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: 2000,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onRcptTo: (address, _session, callback) => {
      const allowed = recipientFolder(mailboxDir, address.address) !== undefined;
      callback(allowed ? null : smtpError(550, 'Recipient address not allowed'));
    },
    onData: (stream, session, callback) => {
      storeMessage(mailboxDir, stream, session).then(
        (copies) => {
          log(`mail catcher: stored a message for ${copies} recipient(s)`);
          callback(null);
        },
        (err: Error & { responseCode?: number }) => {
          log(`mail catcher: message not stored: ${err.message}`);
          callback(err.responseCode ? err : smtpError(451, 'Could not store the message'));
        },
      );
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    const listener = server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const address = listener.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  server.on('error', (err) => log(`mail catcher: ${err.message}`));
  log(`mail catcher: listening on smtp://${host}:${port}, storing in ${mailboxDir}`);

  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    mailboxDir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The stored messages for one recipient, as absolute `.eml` paths, oldest first. */
export async function listMailbox(mailboxDir: string, address: string): Promise<string[]> {
  const folder = recipientFolder(mailboxDir, address);
  if (folder === undefined) throw new Error(`Not a mailbox address: ${JSON.stringify(address)}`);
  const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return names
    .filter((name) => name.endsWith('.eml') && !name.startsWith('.'))
    .sort()
    .map((name) => path.join(folder, name));
}
