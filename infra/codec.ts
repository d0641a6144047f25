import type { Payload, PayloadCodec } from '@temporalio/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing, PayloadKey } from './keys';

/**
 * Encrypts every payload the engine writes into Temporal (workflow inputs, activity inputs and
 * results, signals, query answers) with AES-256-GCM: a fresh 96-bit IV per payload, the key id
 * in the metadata so any key of the ring can decrypt later, and the key id bound into the
 * authentication tag so a payload cannot be passed off as another key's.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_KEY = 'encryption-key-id';
export const CIPHER_KEY = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM/v1';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where the codec gets keys: the current one to encrypt, any one by id to decrypt. */
export interface KeySource {
  current(): Promise<PayloadKey>;
  /** The ring as it is now, to look a key id up (re-read when the key file changed). */
  ring(): Promise<KeyRing | undefined>;
  /** For messages: where the keys are expected. */
  describe(): string;
}

/** A payload names a key the ring does not hold: it stays encrypted, never falls back. */
export class PayloadKeyMissingError extends Error {
  override name = 'PayloadKeyMissing';
  constructor(
    readonly keyId: string,
    where: string,
  ) {
    super(`payload encrypted with key ${keyId}, which is not in ${where}; restore that key to read it`);
  }
}

/** A payload arrived unencrypted where only encrypted payloads are accepted. */
export class PlaintextPayloadError extends Error {
  override name = 'PlaintextPayload';
}

/** A payload's ciphertext or tag does not check out under the key it names. */
export class PayloadDecryptError extends Error {
  override name = 'PayloadDecryptFailed';
}

const utf8 = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const aad = (keyId: string): Buffer => Buffer.from(`${CIPHER}:${keyId}`, 'utf8');

/** The original payload, metadata and data, as the bytes that get encrypted. */
function serialize(payload: Payload): Buffer {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  return Buffer.from(JSON.stringify({ metadata, data: Buffer.from(payload.data ?? []).toString('base64') }), 'utf8');
}

function deserialize(bytes: Buffer): Payload {
  const inner = JSON.parse(bytes.toString('utf8')) as { metadata: Record<string, string>; data: string };
  const metadata = Object.fromEntries(
    Object.entries(inner.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  );
  return { metadata, data: new Uint8Array(Buffer.from(inner.data, 'base64')) };
}

export function encryptPayload(payload: Payload, key: PayloadKey): Payload {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aad(key.id));
  const sealed = Buffer.concat([iv, cipher.update(serialize(payload)), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: {
      encoding: new Uint8Array(Buffer.from(ENCRYPTED_ENCODING)),
      [KEY_ID_KEY]: new Uint8Array(Buffer.from(key.id)),
      [CIPHER_KEY]: new Uint8Array(Buffer.from(CIPHER)),
    },
    data: new Uint8Array(sealed),
  };
}

export function isEncrypted(payload: Payload): boolean {
  return utf8(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

export function payloadKeyId(payload: Payload): string {
  return utf8(payload.metadata?.[KEY_ID_KEY]);
}

export function decryptPayload(payload: Payload, key: PayloadKey): Payload {
  const sealed = Buffer.from(payload.data ?? []);
  const cipherName = utf8(payload.metadata?.[CIPHER_KEY]);
  if (cipherName !== CIPHER)
    throw new PayloadDecryptError(`payload uses cipher "${cipherName}"; this engine reads ${CIPHER}`);
  if (sealed.length < IV_BYTES + TAG_BYTES)
    throw new PayloadDecryptError(`payload encrypted with key ${key.id} is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad(key.id));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return deserialize(
      Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]),
    );
  } catch {
    throw new PayloadDecryptError(
      `payload encrypted with key ${key.id} does not verify: it was altered, or the key under that id is not the one that encrypted it`,
    );
  }
}

export interface EncryptionCodecOptions {
  /**
   * Pass unencrypted payloads through on decode instead of refusing them. Off for workers and
   * clients; on only while migrating histories written before encryption, and for the codec
   * server, which hands the UI nothing the UI did not already hold.
   */
  acceptPlaintext?: boolean;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keys: KeySource,
    private readonly opts: EncryptionCodecOptions = {},
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const key = await this.keys.current();
    return payloads.map((p) => encryptPayload(p, key));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const ring = payloads.some(isEncrypted) ? await this.keys.ring() : undefined;
    return payloads.map((p) => this.decodeOne(p, ring));
  }

  private decodeOne(payload: Payload, ring: KeyRing | undefined): Payload {
    if (!isEncrypted(payload)) {
      if (this.opts.acceptPlaintext === true) return payload;
      throw new PlaintextPayloadError(
        `a payload arrived unencrypted (encoding "${utf8(payload.metadata?.encoding)}") and was refused; ` +
          'set DISCLOSURE_ACCEPT_PLAINTEXT_PAYLOADS=1 only while reading histories written before encryption',
      );
    }
    const keyId = payloadKeyId(payload);
    const key = ring?.byId.get(keyId);
    if (key === undefined) throw new PayloadKeyMissingError(keyId, ring?.source ?? this.keys.describe());
    return decryptPayload(payload, key);
  }
}
