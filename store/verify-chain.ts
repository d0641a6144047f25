import type { DisclosureRecord } from '../domain/record';
import { CHECKPOINT_PREFIX_LENGTH, formatRecordId, GENESIS_HASH, hashRecord, sha256Hex } from './chain';
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

/** Columns kept beside the body for queries must say what the hashed body says. */
function columnMismatch(row: LedgerRow, body: DisclosureRecord): string | undefined {
  // Compared one by one (this runs once per record); the list builds only to name a difference.
  if (
    row.recordId !== body.recordId ||
    row.idempotencyKey !== body.idempotencyKey ||
    row.disclosureId !== body.disclosureId ||
    row.kind !== body.kind ||
    row.recipientId !== body.recipient?.id ||
    row.prevHash !== body.prevHash ||
    row.hash !== body.hash ||
    row.recordedAt !== body.recordedAt
  ) {
    const pairs: [string, unknown, unknown][] = [
      ['record_id', row.recordId, body.recordId],
      ['idempotency_key', row.idempotencyKey, body.idempotencyKey],
      ['disclosure_id', row.disclosureId, body.disclosureId],
      ['kind', row.kind, body.kind],
      ['recipient_id', row.recipientId, body.recipient?.id],
      ['prev_hash', row.prevHash, body.prevHash],
      ['hash', row.hash, body.hash],
      ['recorded_at', row.recordedAt, body.recordedAt],
    ];
    const bad = pairs.find(([, col, inBody]) => col !== inBody)!;
    return `column ${bad[0]} (${String(bad[1])}) differs from the hashed record (${String(bad[2])})`;
  }
  if (!sameSet(row.subjectIds, Array.isArray(body.subjectIds) ? body.subjectIds : [])) return 'the customers indexed for this record differ from the hashed record';
  return undefined;
}

/**
 * The ledger stores each record as canonicalJson(record), the hash member included, and the hash
 * covers canonicalJson of the record without it. So where the stored bytes are canonical, the
 * hashed bytes are the stored ones with the `"hash":"…"` member cut out, and need no parsing and
 * re-serialising. Cut only when the member occurs exactly once (then it is the top-level one the
 * parsed body names); anything else, and any stored body that is not canonical, fails this check
 * and is judged by re-serialising.
 */
function storedBytesHashTo(stored: string, hash: unknown): boolean {
  if (typeof hash !== 'string') return false;
  const member = `"hash":${JSON.stringify(hash)}`;
  const at = stored.indexOf(member);
  if (at < 0 || stored.indexOf(member, at + 1) >= 0) return false;
  // Cut the member and one of its commas.
  const end = at + member.length;
  const [before, after] = stored[at - 1] === ',' ? [at - 1, end] : stored[end] === ',' ? [at, end + 1] : [at, end];
  return sha256Hex(stored.slice(0, before) + stored.slice(after)) === hash;
}

/**
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
    let body: DisclosureRecord;
    try {
      body = JSON.parse(row.body) as DisclosureRecord;
    } catch {
      return at(row.seq, 'the stored record is not valid JSON');
    }
    if (body.seq !== row.seq || body.recordId !== formatRecordId(row.seq)) {
      return at(row.seq, `out of place: the record stored at seq ${row.seq} is ${body.recordId} (seq ${body.seq})`);
    }
    const mismatch = columnMismatch(row, body);
    if (mismatch !== undefined) return at(row.seq, mismatch);
    const hash = body.hash;
    if (!storedBytesHashTo(row.body, hash)) {
      const { hash: _hash, ...rest } = body;
      if (hashRecord(rest) !== hash) return at(row.seq, 'content was changed: it no longer matches its hash');
      return at(row.seq, 'the stored bytes were rewritten: the content still matches its hash, but not in the canonical form the ledger writes');
    }
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
