import { canonicalJson } from '../domain/canonical';
import type { DisclosureRecord } from '../domain/record';
import { CHECKPOINT_PREFIX_LENGTH, formatRecordId, GENESIS_HASH, hashRecord, sha256Hex } from './chain';
import { scanCanonicalRecord, type ScannedRecord } from './record-scan';
import type { CheckpointBody, LedgerRow } from './store';

/** The first record that does not hold up, and why. */
export interface ChainProblem {
  seq: number;
  recordId: string;
  problem: string;
}

type SignedCheckpoint = CheckpointBody & { id: string };

/**
 * The checkpoints covering each seq, for records fed in ascending seq order: a walk over the
 * checkpoints sorted by their first seq, so that a ledger of a million signed records needs no
 * table of a million expectations.
 */
function coverage(checkpoints: SignedCheckpoint[]) {
  const pending = [...checkpoints].sort((a, b) => a.fromSeq - b.fromSeq);
  let next = 0;
  let active: SignedCheckpoint[] = [];
  return (seq: number): SignedCheckpoint[] => {
    if (active.length > 0 && active.some((cp) => cp.seq < seq)) active = active.filter((cp) => cp.seq >= seq);
    while (next < pending.length && pending[next]!.fromSeq <= seq) {
      const cp = pending[next++]!;
      if (cp.seq >= seq) active.push(cp);
    }
    return active;
  };
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0] === b[0];
  return [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

/** The members of a stored record that its columns and its place are compared with. */
type BodyView = Pick<ScannedRecord, 'recordId' | 'idempotencyKey' | 'disclosureId' | 'kind' | 'prevHash' | 'hash' | 'recordedAt'> & {
  seq: unknown;
  recipientId: unknown;
  subjectIds: unknown;
};

/** Columns kept beside the body for queries must say what the hashed body says. */
function columnMismatch(row: LedgerRow, body: BodyView): string | undefined {
  // Compared one by one (this runs once per record); the list builds only to name a difference.
  if (
    row.recordId !== body.recordId ||
    row.idempotencyKey !== body.idempotencyKey ||
    row.disclosureId !== body.disclosureId ||
    row.kind !== body.kind ||
    row.recipientId !== body.recipientId ||
    row.prevHash !== body.prevHash ||
    row.hash !== body.hash ||
    row.recordedAt !== body.recordedAt
  ) {
    const pairs: [string, unknown, unknown][] = [
      ['record_id', row.recordId, body.recordId],
      ['idempotency_key', row.idempotencyKey, body.idempotencyKey],
      ['disclosure_id', row.disclosureId, body.disclosureId],
      ['kind', row.kind, body.kind],
      ['recipient_id', row.recipientId, body.recipientId],
      ['prev_hash', row.prevHash, body.prevHash],
      ['hash', row.hash, body.hash],
      ['recorded_at', row.recordedAt, body.recordedAt],
    ];
    const bad = pairs.find(([, col, inBody]) => col !== inBody)!;
    return `column ${bad[0]} (${String(bad[1])}) differs from the hashed record (${String(bad[2])})`;
  }
  const indexed = Array.isArray(body.subjectIds) ? (body.subjectIds as string[]) : [];
  if (!sameSet(row.subjectIds, indexed)) return 'the customers indexed for this record differ from the hashed record';
  return undefined;
}

const CHANGED = 'content was changed: it no longer matches its hash';
const REWRITTEN =
  'the stored bytes were rewritten: the content still matches its hash, but not in the canonical form the ledger writes';

/**
 * A stored body read the slow way, by parsing it, for bodies the canonical scan does not confirm
 * (not canonical, not JSON, or a member in an unusual shape): its members, and what is wrong
 * with its hash or its form; or, when it is not a JSON object at all, only that.
 */
function parsedView(stored: string): { view: BodyView; problem: string | undefined } | string {
  let body: DisclosureRecord;
  try {
    body = JSON.parse(stored) as DisclosureRecord;
  } catch {
    return 'the stored record is not valid JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the stored record is not a JSON object';
  const { hash, ...rest } = body;
  const problem = hashRecord(rest) !== hash ? CHANGED : canonicalJson(body) !== stored ? REWRITTEN : undefined;
  const view: BodyView = {
    seq: body.seq,
    recordId: body.recordId,
    idempotencyKey: body.idempotencyKey,
    disclosureId: body.disclosureId,
    kind: body.kind,
    recipientId: (body.recipient as { id?: unknown } | null | undefined)?.id,
    prevHash: body.prevHash,
    hash,
    recordedAt: body.recordedAt,
    subjectIds: body.subjectIds,
  };
  return { view, problem };
}

/**
 * Why the canonical form is checked at all: the hash covers the stored bytes (without the hash
 * member), so a body whose hash holds is byte for byte what was hashed, and the ledger only ever
 * hashes canonicalJson. Canonical form adds nothing to that; what it buys is that the members
 * picked out of the bytes by the scan (record id, kind, recipient, links) are those any reader
 * parsing the record sees: no white space, no duplicate or misordered keys, no escapes to read
 * differently. Bodies the scan does not confirm are parsed; when such a body still matches its
 * hash after re-serialising, its bytes were reformatted, and that is named.
 *
 * Checks rows fed in seq order: no gaps, each body in its own place, columns matching the body,
 * each hash matching its content, each record linked to the one before, and every record a
 * signed checkpoint covers still the one that was signed. Checkpoints must already be trusted
 * (signature checked by the caller).
 */
export function createChainVerifier(
  checkpoints: SignedCheckpoint[],
  start: { seq: number; prevHash: string } = { seq: 1, prevHash: GENESIS_HASH },
) {
  const covering = coverage(checkpoints);
  const signedUpTo = Math.max(0, ...checkpoints.map((c) => c.seq));
  let nextSeq = start.seq;
  let prevHash = start.prevHash;
  const at = (seq: number, problem: string): ChainProblem => ({ seq, recordId: formatRecordId(seq), problem });

  function check(row: LedgerRow): ChainProblem | undefined {
    if (row.seq !== nextSeq) return at(nextSeq, `record is missing: the ledger goes from seq ${nextSeq - 1} to seq ${row.seq}`);
    let body: BodyView;
    let hashProblem: string | undefined;
    const scanned = scanCanonicalRecord(row.body);
    if (scanned !== undefined) {
      body = scanned;
      // Canonical bytes: what the hash covers is the stored bytes without the hash member.
      const covered = row.body.slice(0, scanned.cutFrom) + row.body.slice(scanned.cutTo);
      if (sha256Hex(covered) !== scanned.hash) hashProblem = CHANGED;
    } else {
      const parsed = parsedView(row.body);
      if (typeof parsed === 'string') return at(row.seq, parsed);
      body = parsed.view;
      hashProblem = parsed.problem;
    }
    if (body.seq !== row.seq || body.recordId !== formatRecordId(row.seq)) {
      return at(row.seq, `out of place: the record stored at seq ${row.seq} is ${String(body.recordId)} (seq ${String(body.seq)})`);
    }
    const mismatch = columnMismatch(row, body);
    if (mismatch !== undefined) return at(row.seq, mismatch);
    if (hashProblem !== undefined) return at(row.seq, hashProblem);
    const hash = body.hash;
    if (body.prevHash !== prevHash) return at(row.seq, `not linked to the record before it (prevHash differs from the hash of seq ${row.seq - 1})`);
    for (const cp of covering(row.seq)) {
      const prefixAt = (row.seq - cp.fromSeq) * CHECKPOINT_PREFIX_LENGTH;
      const prefix = cp.hashPrefixes.slice(prefixAt, prefixAt + CHECKPOINT_PREFIX_LENGTH);
      if (prefix.length !== CHECKPOINT_PREFIX_LENGTH || !hash.startsWith(prefix) || (row.seq === cp.seq && cp.headHash !== hash)) {
        return at(row.seq, `differs from signed checkpoint ${cp.id}: the chain was rewritten from here`);
      }
    }
    return undefined;
  }

  return {
    feed(row: LedgerRow): ChainProblem | undefined {
      const problem = check(row);
      if (problem === undefined) {
        nextSeq = row.seq + 1;
        prevHash = row.hash;
      }
      return problem;
    },
    /** After the last row: records a checkpoint signed must still be there. */
    end(): ChainProblem | undefined {
      if (signedUpTo >= nextSeq) {
        return at(nextSeq, `record is missing: signed checkpoints cover seq 1..${signedUpTo} but the ledger ends at seq ${nextSeq - 1}`);
      }
      return undefined;
    },
    get checked(): number {
      return nextSeq - 1;
    },
  };
}
