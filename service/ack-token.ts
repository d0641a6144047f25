import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * The acknowledgement link a recipient receives with a handoff. The token names the disclosure,
 * the recipient and an expiry, and is signed with a key of its own (not the payload keys), so
 * that a leaked link cannot decrypt anything and a forged one is refused.
 */
const TokenBody = z.object({ d: z.string().min(1), r: z.string().min(1), e: z.iso.datetime() });
export type AckClaims = { disclosureId: string; recipientId: string; expiresAt: string };

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
/**
 * What a link confirms: `ack` a handoff's receipt, `notice` a downstream notice. The scope is part
 * of what is signed, so a link of one kind is forged as the other.
 */
export type LinkScope = 'ack' | 'notice';

const sign = (key: Buffer, body: string, scope: LinkScope): Buffer => createHmac('sha256', key).update(`${scope}.v1.${body}`).digest();

export function mintAckToken(key: Buffer, claims: AckClaims, scope: LinkScope = 'ack'): string {
  const body = b64(JSON.stringify({ d: claims.disclosureId, r: claims.recipientId, e: claims.expiresAt }));
  return `${body}.${b64(sign(key, body, scope))}`;
}

export type TokenCheck = { ok: true; claims: AckClaims } | { ok: false; reason: 'forged' | 'expired'; message: string };

/** Signature first, in constant time; only a genuine token's expiry is looked at. */
export function checkAckToken(key: Buffer, token: string, now: Date, scope: LinkScope = 'ack'): TokenCheck {
  const [body, mac, extra] = token.split('.');
  const forged = { ok: false, reason: 'forged', message: 'the acknowledgement link is not genuine' } as const;
  if (body === undefined || mac === undefined || extra !== undefined) return forged;
  const expected = sign(key, body, scope);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return forged;
  let parsed;
  try {
    parsed = TokenBody.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return forged;
  }
  if (!parsed.success) return forged;
  const claims = { disclosureId: parsed.data.d, recipientId: parsed.data.r, expiresAt: parsed.data.e };
  if (Date.parse(claims.expiresAt) <= now.getTime()) {
    return { ok: false, reason: 'expired', message: `the acknowledgement link expired at ${claims.expiresAt}` };
  }
  return { ok: true, claims };
}

/** The ack-link key as hex (for secret stores), and its file path; else `ack-link.key` in the keys folder. */
export const ACK_KEY_ENV = 'DISCLOSURE_ACK_KEY';
export const ACK_KEY_FILE_ENV = 'DISCLOSURE_ACK_KEY_FILE';

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

export const ackKeyFile = (home: string, env: NodeJS.ProcessEnv = process.env): string =>
  set(env[ACK_KEY_FILE_ENV]) ? env[ACK_KEY_FILE_ENV] : join(set(env.DISCLOSURE_KEYS_DIR) ? env.DISCLOSURE_KEYS_DIR : join(home, 'keys'), 'ack-link.key');

/** The ack-link key is missing or unusable where this process was told to find it. */
export class AckKeyError extends Error {
  override name = 'AckKeyError';
}

const parseKey = (hex: string, source: string): Buffer => {
  const key = Buffer.from(hex.trim(), 'hex');
  if (key.length < 32 || key.toString('hex') !== hex.trim().toLowerCase()) {
    throw new AckKeyError(`${source} is not an ack-link key (at least 32 bytes as hex); make one with \`disclosure init\``);
  }
  return key;
};

/**
 * The signing key: DISCLOSURE_ACK_KEY, else the file; created on first use (0600) unless
 * `create` is false, as for provisioned workers and servers, which refuse to start without it.
 */
export async function loadAckKey(home: string, opts: { env?: NodeJS.ProcessEnv; create?: boolean } = {}): Promise<Buffer> {
  const env = opts.env ?? process.env;
  if (set(env[ACK_KEY_ENV])) return parseKey(env[ACK_KEY_ENV], ACK_KEY_ENV);
  const file = ackKeyFile(home, env);
  try {
    return parseKey(await readFile(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (opts.create === false) {
    throw new AckKeyError(`no ack-link key: set ${ACK_KEY_ENV} or ${ACK_KEY_FILE_ENV}, or put ack-link.key in DISCLOSURE_KEYS_DIR (\`disclosure init --keys-dir DIR\` makes it)`);
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  await chmod(file, 0o600);
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
}

export interface AckLinkOptions {
  apiUrl: string;
  key: Buffer;
  /** How long a link stays valid; an input so tests can use short ones. */
  ttlMs: number;
  clock: () => Date;
}

/** What the handoff activity calls to put a link in the message (`/ack/…`; a notice's is `/notice/…`). */
export function ackLinkFactory(o: AckLinkOptions, scope: LinkScope = 'ack'): (disclosureId: string, recipientId: string) => string {
  return (disclosureId, recipientId) => {
    const expiresAt = new Date(o.clock().getTime() + o.ttlMs).toISOString();
    return `${o.apiUrl.replace(/\/$/, '')}/${scope}/${mintAckToken(o.key, { disclosureId, recipientId, expiresAt }, scope)}`;
  };
}
