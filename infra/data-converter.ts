import type { DataConverter } from '@temporalio/common';
import { statSync } from 'node:fs';
import type { KeySource } from './codec';
import { EncryptionCodec } from './codec';
import type { KeyRing } from './keys';
import { ensureKeyRing, KEYS_ENV, keyFile, KeyRingError, readKeyRing } from './keys';

/** Set to 1 only while histories written before encryption still have to be read. */
export const ACCEPT_PLAINTEXT_ENV = 'DISCLOSURE_ACCEPT_PLAINTEXT_PAYLOADS';

const fromEnvironment = (env: NodeJS.ProcessEnv): boolean => (env[KEYS_ENV] ?? '') !== '';

/**
 * Identifies one version of the key file: `disclosure keys rotate` replaces it by rename.
 * Checked for every payload, hence synchronously: the promise-based stat cost the worker about
 * 5 ms of CPU per disclosure in the CPU profile, statSync well under 1 ms (BENCHMARKS.md).
 */
async function fileVersion(home: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const s = statSync(keyFile(home, env), { throwIfNoEntry: false });
  return s === undefined ? undefined : `${s.ino}:${s.mtimeMs}:${s.size}`;
}

/**
 * Keys from the home folder (or the environment), re-read whenever the key file changes, so a
 * running worker encrypts with a key rotated by another process and decrypts what it wrote.
 * Only encrypting creates the file: a reader with no keys gets an error, not a fresh key.
 */
export function homeKeySource(home: string, env: NodeJS.ProcessEnv = process.env, opts: { create?: boolean } = {}): KeySource {
  const mayCreate = opts.create ?? true;
  let cached: { ring: KeyRing; version: string | undefined } | undefined;
  const load = async (create: boolean): Promise<KeyRing | undefined> => {
    const version = fromEnvironment(env) ? KEYS_ENV : await fileVersion(home, env);
    if (cached !== undefined && version !== undefined && cached.version === version) return cached.ring;
    const ring = create && mayCreate ? await ensureKeyRing(home, env) : await readKeyRing(home, env);
    cached =
      ring === undefined ? undefined : { ring, version: fromEnvironment(env) ? KEYS_ENV : await fileVersion(home, env) };
    return ring;
  };
  return {
    current: async () => {
      const ring = await load(true);
      if (ring === undefined) throw new KeyRingError(`no payload keys at ${keyFile(home, env)} and ${KEYS_ENV} is not set; provision them with \`disclosure init\``);
      return ring.current;
    },
    ring: () => load(false),
    describe: () => (fromEnvironment(env) ? KEYS_ENV : keyFile(home, env)),
  };
}

export function engineCodec(home: string, env: NodeJS.ProcessEnv = process.env, opts: { create?: boolean } = {}): EncryptionCodec {
  const accept = env[ACCEPT_PLAINTEXT_ENV] === '1' || env[ACCEPT_PLAINTEXT_ENV] === 'true';
  return new EncryptionCodec(homeKeySource(home, env, opts), { acceptPlaintext: accept });
}

/**
 * The one data converter every client, worker and replayer of the engine uses, so that what
 * one writes into workflow history the others can read: payloads are encrypted with the keys
 * of `home` (or DISCLOSURE_PAYLOAD_KEYS).
 */
export function engineDataConverter(
  home: string,
  env: NodeJS.ProcessEnv = process.env,
  opts: { create?: boolean } = {},
): DataConverter {
  return { payloadCodecs: [engineCodec(home, env, opts)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** The failure converter that encrypts failure messages and stacks; bundles of the workflows take it too. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The codec for reading histories offline (audit replay, evidence bundles): needs only the key
 * file or variable, no server; fails at once, naming where it looked, when there are no keys.
 */
export async function loadPayloadCodec(home: string, env: NodeJS.ProcessEnv = process.env): Promise<EncryptionCodec> {
  if ((await readKeyRing(home, env)) === undefined) {
    throw new KeyRingError(
      `no payload keys at ${keyFile(home, env)} and ${KEYS_ENV} is not set: encrypted histories cannot be read without them`,
    );
  }
  return engineCodec(home, env);
}

/**
 * The codec behind the codec server: it decrypts with the same keys, and passes unencrypted
 * payloads (search-attribute-like values, histories from before encryption) back unchanged,
 * since the UI that sent them already holds them in the clear.
 */
export function codecServerCodec(home: string, env: NodeJS.ProcessEnv = process.env): EncryptionCodec {
  return new EncryptionCodec(homeKeySource(home, env), { acceptPlaintext: true });
}
