import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { newKey, ringText, writePrivate } from './keys';

/**
 * Every key a deployment shares, made once by `disclosure init` and then given to each host:
 * the payload key ring (workflow payload encryption), the ack-link key (HMAC of recipients'
 * acknowledgement links), the ledger signing key pair (checkpoints) and the codec server's token.
 */
export interface KeySet {
  payloadKeys: string;
  ackKey: string;
  ledgerPrivateKey: string;
  ledgerPublicKey: string;
  codecToken: string;
}

/** File names inside the keys folder, the same as `keys/` in an embedded home. */
export const KEY_FILES = {
  payloadKeys: 'payload-keys.json',
  ackKey: 'ack-link.key',
  ledgerPrivateKey: 'ledger-ed25519.pem',
  ledgerPublicKey: 'ledger-ed25519.pub.pem',
  codecToken: 'codec-token',
} as const satisfies Record<keyof KeySet, string>;

/** The variable each key can be given in instead of a file (for secret stores). */
export const KEY_VARIABLES = {
  payloadKeys: 'DISCLOSURE_PAYLOAD_KEYS',
  ackKey: 'DISCLOSURE_ACK_KEY',
  ledgerPrivateKey: 'DISCLOSURE_LEDGER_KEY_PEM',
  ledgerPublicKey: 'DISCLOSURE_LEDGER_PUBLIC_KEY_PEM',
  codecToken: 'DISCLOSURE_CODEC_TOKEN',
} as const satisfies Record<keyof KeySet, string>;

export function createKeySet(now = new Date()): KeySet {
  const first = newKey(now);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    payloadKeys: ringText({ current: first.id, keys: [first] }),
    ackKey: `${randomBytes(32).toString('hex')}\n`,
    ledgerPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ledgerPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    codecToken: `${randomBytes(32).toString('base64url')}\n`,
  };
}

/** A key file is already there: `init` never replaces a key that may be in use. */
export class KeysExistError extends Error {
  override name = 'KeysExistError';
}

/** Writes the set into `dir` (0700; each file 0600). Refuses, writing nothing, if any file exists. */
export async function writeKeySet(dir: string, set: KeySet): Promise<Record<keyof KeySet, string>> {
  const files = Object.fromEntries(Object.entries(KEY_FILES).map(([k, name]) => [k, join(dir, name)])) as Record<
    keyof KeySet,
    string
  >;
  const present = Object.values(files).filter((f) => existsSync(f));
  if (present.length > 0) {
    throw new KeysExistError(
      `keys already exist (${present.join(', ')}); init never replaces a key in use — use \`disclosure keys rotate\` for a new payload key`,
    );
  }
  for (const key of Object.keys(files) as (keyof KeySet)[]) {
    if (!(await writePrivate(files[key], set[key], false)))
      throw new KeysExistError(`${files[key]} appeared while writing; nothing was replaced`);
  }
  return files;
}

/** `NAME='value'` lines for a secret store or an environment file; single quotes escaped for sh. */
export function keySetAsEnv(set: KeySet): string {
  const quote = (v: string) => `'${v.trim().replace(/'/g, `'\\''`)}'`;
  return (Object.keys(KEY_VARIABLES) as (keyof KeySet)[]).map((k) => `${KEY_VARIABLES[k]}=${quote(set[k])}`).join('\n');
}
