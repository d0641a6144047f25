import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * The keys that encrypt workflow payloads. One key is current and encrypts; every key in the
 * ring still decrypts, so rotating never makes an old history unreadable. The ring lives in
 * `$DISCLOSURE_HOME/keys/payload-keys.json` (mode 0600), or in DISCLOSURE_PAYLOAD_KEYS, which
 * overrides the file (for deployments that inject secrets through the environment).
 */
export const KEYS_ENV = 'DISCLOSURE_PAYLOAD_KEYS';

const KEY_BYTES = 32;

const StoredKey = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore'),
  key: z.string().refine((k) => Buffer.from(k, 'base64').length === KEY_BYTES, `base64 of exactly ${KEY_BYTES} bytes`),
  createdAt: z.iso.datetime(),
});

const StoredRing = z
  .object({ current: z.string(), keys: z.array(StoredKey).min(1) })
  .refine((r) => r.keys.some((k) => k.id === r.current), { message: 'names no key in the list', path: ['current'] })
  .refine((r) => new Set(r.keys.map((k) => k.id)).size === r.keys.length, {
    message: 'key ids repeat',
    path: ['keys'],
  });
type StoredRing = z.infer<typeof StoredRing>;

export interface PayloadKey {
  id: string;
  key: Buffer;
  createdAt: string;
}

export interface KeyRing {
  current: PayloadKey;
  byId: ReadonlyMap<string, PayloadKey>;
  /** Where the ring came from, for error messages: a file path or the variable's name. */
  source: string;
}

/** The key ring cannot be used; the message says which file or variable and what to do. */
export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

/** Where provisioned keys are kept (written by `disclosure init --keys-dir DIR`). */
export const KEYS_DIR_ENV = 'DISCLOSURE_KEYS_DIR';
/** The payload key ring as a file path (the ring itself may be given in DISCLOSURE_PAYLOAD_KEYS). */
export const KEYS_FILE_ENV = 'DISCLOSURE_PAYLOAD_KEYS_FILE';

export const keysDir = (home: string, env: NodeJS.ProcessEnv = process.env): string => {
  const dir = env[KEYS_DIR_ENV];
  return dir !== undefined && dir !== '' ? dir : join(home, 'keys');
};
export const keyFile = (home: string, env: NodeJS.ProcessEnv = process.env): string => {
  const file = env[KEYS_FILE_ENV];
  return file !== undefined && file !== '' ? file : join(keysDir(home, env), 'payload-keys.json');
};

function toRing(stored: StoredRing, source: string): KeyRing {
  const keys = stored.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64'), createdAt: k.createdAt }));
  const byId = new Map(keys.map((k) => [k.id, k]));
  return { current: byId.get(stored.current) as PayloadKey, byId, source };
}

function parseRing(text: string, source: string): StoredRing {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KeyRingError(`${source} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = StoredRing.safeParse(json);
  if (!parsed.success) throw new KeyRingError(`${source} is not a payload key ring:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export const newKey = (now: Date): z.infer<typeof StoredKey> => ({
  id: `k-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`,
  key: randomBytes(KEY_BYTES).toString('base64'),
  createdAt: now.toISOString(),
});

/** Key material must be readable by its owner only, as ssh insists for private keys. */
export async function checkPrivate(file: string): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    throw new KeyRingError(
      `${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${file}`,
    );
  }
}

async function readStored(home: string, env: NodeJS.ProcessEnv): Promise<StoredRing | undefined> {
  const file = keyFile(home, env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  await checkPrivate(file);
  return parseRing(text, file);
}

export const ringText = (ring: StoredRing): string => `${JSON.stringify(ring, null, 2)}\n`;

/** Written beside the target and moved in, so a reader never sees half a ring. */
export async function writePrivate(target: string, text: string, replace: boolean): Promise<boolean> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
  await chmod(tmp, 0o600);
  try {
    if (replace) {
      await rename(tmp, target);
      return true;
    }
    // link() fails when the target exists: two processes starting at once keep one ring.
    await link(tmp, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** The ring from the environment when set, else from the home folder; undefined if neither exists. */
export async function readKeyRing(home: string, env: NodeJS.ProcessEnv = process.env): Promise<KeyRing | undefined> {
  const fromEnv = env[KEYS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return toRing(parseRing(fromEnv, KEYS_ENV), KEYS_ENV);
  const stored = await readStored(home, env);
  return stored === undefined ? undefined : toRing(stored, keyFile(home, env));
}

/** The ring, creating the key file with a first key when there is none (first start). */
export async function ensureKeyRing(
  home: string,
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): Promise<KeyRing> {
  const existing = await readKeyRing(home, env);
  if (existing !== undefined) return existing;
  const first = newKey(now);
  await writePrivate(keyFile(home, env), ringText({ current: first.id, keys: [first] }), false);
  // Whether this process or a concurrent one created it, the file on disk is the ring.
  return (await readKeyRing(home, env)) as KeyRing;
}

/** Adds a new key and makes it current; the old keys stay for decrypting what they encrypted. */
export async function rotateKeys(
  home: string,
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): Promise<KeyRing> {
  if (env[KEYS_ENV] !== undefined && env[KEYS_ENV] !== '') {
    throw new KeyRingError(
      `the keys come from ${KEYS_ENV}; rotate with \`disclosure keys rotate --print\` and store the printed ring where that variable is set`,
    );
  }
  const stored = await readStored(home, env);
  const added = newKey(now);
  const next: StoredRing = { current: added.id, keys: [...(stored?.keys ?? []), added] };
  await writePrivate(keyFile(home, env), ringText(next), true);
  return toRing(next, keyFile(home, env));
}

/** The ring with a new current key added, as the text of a ring file (for `keys rotate --print`). */
export function rotatedRing(ring: KeyRing, now = new Date()): string {
  const keys = [...ring.byId.values()].map((k) => ({ id: k.id, key: k.key.toString('base64'), createdAt: k.createdAt }));
  const added = newKey(now);
  return ringText({ current: added.id, keys: [...keys, added] });
}

/** Ids and dates only: listing keys never prints key material. */
export function describeRing(ring: KeyRing): {
  source: string;
  current: string;
  keys: { id: string; createdAt: string; current: boolean }[];
} {
  return {
    source: ring.source,
    current: ring.current.id,
    keys: [...ring.byId.values()].map((k) => ({ id: k.id, createdAt: k.createdAt, current: k.id === ring.current.id })),
  };
}

export const CODEC_TOKEN_ENV = 'DISCLOSURE_CODEC_TOKEN';
export const CODEC_TOKEN_FILE_ENV = 'DISCLOSURE_CODEC_TOKEN_FILE';
export const codecTokenFile = (home: string, env: NodeJS.ProcessEnv = process.env): string => {
  const file = env[CODEC_TOKEN_FILE_ENV];
  return file !== undefined && file !== '' ? file : join(keysDir(home, env), 'codec-token');
};

/**
 * The bearer token the codec server demands: DISCLOSURE_CODEC_TOKEN, else a random token kept
 * in the home folder (mode 0600), created on first start.
 */
export async function ensureCodecToken(home: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env[CODEC_TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const file = codecTokenFile(home, env);
  await writePrivate(file, `${randomBytes(32).toString('base64url')}\n`, false);
  await checkPrivate(file);
  return (await readFile(file, 'utf8')).trim();
}
