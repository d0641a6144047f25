import { createHash, hash as oneShotHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical';
import type { DisclosureRecord, DisclosureRecordInput } from '../domain/record';
import { retentionFor } from '../domain/retention';

export const GENESIS_HASH = '0'.repeat(64);

/** How many hex digits of each record hash a checkpoint signs: enough to name a rewritten record. */
export const CHECKPOINT_PREFIX_LENGTH = 16;

/** One-shot `crypto.hash` where Node has it (20.12+): no Hash object per call, which counts in `ledger verify`. */
export const sha256Hex: (data: string | Buffer) => string =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');

/** The hash of a record covers every field but the hash itself, including the previous hash. */
export function hashRecord(record: Omit<DisclosureRecord, 'hash'>): string {
  return sha256Hex(canonicalJson(record));
}

export const formatRecordId = (seq: number): string => `R-${String(seq).padStart(8, '0')}`;

/**
 * The next link of the chain, identical whichever database stores it: the input plus its place,
 * its retention dates (days in `timeZone`, DISCLOSURE_TIMEZONE) and the previous hash, round-tripped through canonical JSON so that what
 * is hashed is exactly what is read back.
 */
export function buildRecord(input: DisclosureRecordInput, seq: number, recordedAt: string, prevHash: string, timeZone?: string): DisclosureRecord {
  const unhashed = JSON.parse(
    canonicalJson({ ...input, seq, recordId: formatRecordId(seq), recordedAt, prevHash, retention: retentionFor(input, 'each', timeZone) }),
  ) as Omit<DisclosureRecord, 'hash'>;
  return { ...unhashed, hash: hashRecord(unhashed) };
}
