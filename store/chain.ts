import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical';
import type { DisclosureRecord } from '../domain/record';

export const GENESIS_HASH = '0'.repeat(64);

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The hash of a record covers every field but the hash itself, including the previous hash. */
export function hashRecord(record: Omit<DisclosureRecord, 'hash'>): string {
  return sha256Hex(canonicalJson(record));
}

export const formatRecordId = (seq: number): string => `R-${String(seq).padStart(8, '0')}`;
