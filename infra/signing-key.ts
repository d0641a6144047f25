import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../store/chain';

/**
 * The Ed25519 key that signs ledger checkpoints. It lives in a file outside the database
 * (`$DISCLOSURE_HOME/keys/` by default, mode 0600), so that whoever can rewrite the database
 * cannot also re-sign its head. Verification trusts only this key (or a configured public key),
 * never a key read from the database.
 */
export interface LedgerKey {
  keyId: string;
  publicKey: KeyObject;
  /** Absent when only a public key is configured (an auditor's copy). */
  sign?: (data: string) => string;
  /** Signed checkpoints are also appended here, beside the key, so deleting them from the database is noticed. */
  witnessFile: string;
}

export interface LedgerKeyPaths {
  privateKeyPath: string;
  publicKeyPath?: string | undefined;
  /** The private key itself (DISCLOSURE_LEDGER_KEY_PEM), taking the place of the file. */
  privateKeyPem?: string | undefined;
  /** A trusted public key itself (DISCLOSURE_LEDGER_PUBLIC_KEY_PEM), for auditors. */
  publicKeyPem?: string | undefined;
}

export const keyPathsOf = (config: {
  home: string;
  ledgerKeyPath?: string | undefined;
  ledgerPublicKeyPath?: string | undefined;
  ledgerKeyPem?: string | undefined;
  ledgerPublicKeyPem?: string | undefined;
}): LedgerKeyPaths => ({
  privateKeyPath: config.ledgerKeyPath ?? join(config.home, 'keys', 'ledger-ed25519.pem'),
  publicKeyPath: config.ledgerPublicKeyPath,
  privateKeyPem: config.ledgerKeyPem,
  publicKeyPem: config.ledgerPublicKeyPem,
});

/** Whether this process has the private key (it can sign), without creating one. */
export const hasPrivateLedgerKey = (paths: LedgerKeyPaths): boolean => paths.privateKeyPem !== undefined || existsSync(paths.privateKeyPath);

export const keyIdOf = (publicKey: KeyObject): string =>
  sha256Hex(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);

function fromPublic(publicKey: KeyObject, witnessFile: string, privateKey?: KeyObject): LedgerKey {
  const key: LedgerKey = { keyId: keyIdOf(publicKey), publicKey, witnessFile };
  if (privateKey !== undefined) key.sign = (data) => sign(null, Buffer.from(data), privateKey).toString('base64');
  return key;
}

const witnessFor = (privateKeyPath: string): string => join(dirname(privateKeyPath), 'ledger-checkpoints.jsonl');

/** Loads the signing key, creating it (0600, in a 0700 folder) on first use when `create` is set. */
export function loadLedgerKey(paths: LedgerKeyPaths, opts: { create: boolean }): LedgerKey | undefined {
  const witnessFile = witnessFor(paths.privateKeyPath);
  const trusted = (): KeyObject | undefined =>
    paths.publicKeyPem !== undefined
      ? createPublicKey(paths.publicKeyPem)
      : paths.publicKeyPath !== undefined
        ? createPublicKey(readFileSync(paths.publicKeyPath))
        : undefined;
  if (paths.privateKeyPem !== undefined) {
    const privateKey = createPrivateKey(paths.privateKeyPem);
    return fromPublic(trusted() ?? createPublicKey(privateKey), witnessFile, privateKey);
  }
  if (paths.publicKeyPem !== undefined && !existsSync(paths.privateKeyPath)) {
    return fromPublic(createPublicKey(paths.publicKeyPem), witnessFile);
  }
  if (paths.publicKeyPath !== undefined && !existsSync(paths.privateKeyPath)) {
    return fromPublic(createPublicKey(readFileSync(paths.publicKeyPath)), witnessFile);
  }
  if (!existsSync(paths.privateKeyPath)) {
    if (!opts.create) return undefined;
    mkdirSync(dirname(paths.privateKeyPath), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(paths.privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      chmodSync(paths.privateKeyPath, 0o600);
    } catch (err) {
      // Another process created it first: use theirs, never overwrite a key that may have signed.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const privateKey = createPrivateKey(readFileSync(paths.privateKeyPath));
  const publicKey = trusted() ?? createPublicKey(privateKey);
  return fromPublic(publicKey, witnessFile, privateKey);
}

export const verifySignature = (key: LedgerKey, data: string, signature: string): boolean =>
  verify(null, Buffer.from(data), key.publicKey, Buffer.from(signature, 'base64'));

export const exportPublicKeyPem = (key: LedgerKey): string => key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
