import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../domain/canonical';
import type { LedgerKey } from '../infra/signing-key';
import { verifySignature } from '../infra/signing-key';
import { CHECKPOINT_PREFIX_LENGTH, GENESIS_HASH, sha256Hex } from '../store/chain';
import type { Checkpoint, CheckpointBody, Store } from '../store/store';
import type { ChainProblem } from '../store/verify-chain';
import { createChainVerifier } from '../store/verify-chain';
import { InputError, TamperError } from './errors';

/** Progress is reported every PAGE records checked. */
const PAGE = 500;

export interface Progress {
  tick(done: number): void;
  done(): void;
}

export interface VerifyReport {
  ok: boolean;
  records: number;
  /** Records after the last trusted checkpoint: nothing signed covers them yet. */
  unsignedRecords: number;
  head?: { seq: number; hash: string } | undefined;
  checkpoints: { trusted: number; latest?: { id: string; seq: number; signedAt: string } | undefined };
  /** The first record that does not hold up. */
  firstBad?: ChainProblem | undefined;
  /** Checkpoints that are forged, signed by another key, or deleted from the database. */
  checkpointIssues: string[];
  warnings: string[];
}

const bodyOf = ({ id: _id, signature: _sig, ...body }: Checkpoint): CheckpointBody => body;
const signedBytes = (cp: Checkpoint): string => canonicalJson(bodyOf(cp));

/** What the next checkpoint signs as its predecessor: the whole signed checkpoint, signature included. */
export const checkpointHash = (cp: Checkpoint): string =>
  sha256Hex(canonicalJson({ body: bodyOf(cp), signature: cp.signature }));

function parseWitnessLine(line: string): Checkpoint | undefined {
  try {
    const cp = JSON.parse(line) as Checkpoint;
    return typeof cp === 'object' && cp !== null && typeof cp.id === 'string' && typeof cp.seq === 'number'
      ? cp
      : undefined;
  } catch {
    return undefined;
  }
}

function readWitness(file: string): Checkpoint[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(parseWitnessLine)
    .filter((c): c is Checkpoint => c !== undefined);
}

/** Every checkpoint an external witness folder (DISCLOSURE_WITNESS) received, one file each. */
export function readWitnessDir(dir: string): Checkpoint[] {
  if (!existsSync(dir)) throw new InputError([{ field: 'witness', message: `no witness folder at ${dir}` }]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => parseWitnessLine(readFileSync(join(dir, f), 'utf8')))
    .filter((c): c is Checkpoint => c !== undefined);
}

/** Hands a new checkpoint to the external witness: a file of its own, never overwritten. */
function sendToWitness(dir: string, cp: Checkpoint): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${cp.id}-${checkpointHash(cp).slice(0, 16)}.json`), `${JSON.stringify(cp)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
}

/** Signed checkpoints must form one unbroken chain: a deleted or replaced one breaks the next one's link. */
function chainIssues(trusted: Checkpoint[]): string[] {
  const issues: string[] = [];
  trusted.forEach((cp, i) => {
    if (cp.prevCheckpointHash === undefined) return;
    const before = trusted[i - 1];
    const expected = before === undefined ? GENESIS_HASH : checkpointHash(before);
    if (cp.prevCheckpointHash !== expected) {
      issues.push(
        `checkpoint ${cp.id} (seq ${cp.seq}) was signed after a checkpoint that is no longer there: checkpoints were deleted or replaced`,
      );
    }
  });
  return issues;
}

/**
 * The checkpoints verification may rely on: those in the database and those in the witness
 * file beside the key, each with a valid signature by the trusted key. Anything else is an issue.
 */
export function trustedCheckpoints(
  stored: Checkpoint[],
  key: LedgerKey | undefined,
  external: Checkpoint[] = [],
): { trusted: Checkpoint[]; issues: string[] } {
  if (key === undefined) return { trusted: [], issues: [] };
  const issues: string[] = [];
  const storedSigned = new Set(stored.map((c) => `${c.id}:${c.signature}`));
  const witness = [...readWitness(key.witnessFile), ...external];
  for (const w of witness.filter((c) => !storedSigned.has(`${c.id}:${c.signature}`))) {
    issues.push(`checkpoint ${w.id} (seq ${w.seq}) was signed but is missing from the database or was replaced`);
  }
  const trusted = new Map<string, Checkpoint>();
  for (const cp of [...stored, ...witness]) {
    if (cp.keyId !== key.keyId)
      issues.push(`checkpoint ${cp.id} is signed by key ${cp.keyId}, not the trusted key ${key.keyId}`);
    else if (!verifySignature(key, signedBytes(cp), cp.signature))
      issues.push(`checkpoint ${cp.id} has an invalid signature`);
    else trusted.set(`${cp.id}:${cp.signature}`, cp);
  }
  const sorted = [...trusted.values()].sort((a, b) => a.seq - b.seq);
  return { trusted: sorted, issues: [...new Set([...issues, ...chainIssues(sorted)])] };
}

/**
 * Recomputes the whole chain against the trusted checkpoints and stops at the first record that
 * does not hold up. Streams the ledger in pages (rows and their customers, two queries a page)
 * so that large ledgers need little memory and one pass.
 */
export async function verifyLedger(
  store: Store,
  key: LedgerKey | undefined,
  progress?: Progress,
  opts: { witness?: Checkpoint[] | undefined } = {},
): Promise<VerifyReport> {
  const stored = await store.listCheckpoints();
  const warnings: string[] = [];
  if (key === undefined && stored.length > 0) {
    warnings.push(
      `${stored.length} signed checkpoints could not be checked: no trusted key (DISCLOSURE_LEDGER_KEY or DISCLOSURE_LEDGER_PUBLIC_KEY)`,
    );
  }
  const { trusted, issues } = trustedCheckpoints(stored, key, opts.witness);
  const head = await store.ledgerHead();
  const verifier = createChainVerifier(trusted);
  let firstBad: ChainProblem | undefined;
  let reported = 0;
  pages: for await (const rows of store.ledgerPages(0)) {
    for (const row of rows) {
      firstBad = verifier.feed(row);
      if (firstBad !== undefined) break pages;
      if (verifier.checked - reported >= PAGE) progress?.tick((reported = verifier.checked));
    }
  }
  if (verifier.checked > reported || reported === 0) progress?.tick(verifier.checked);
  firstBad ??= verifier.end();
  progress?.done();
  const latest = trusted[trusted.length - 1];
  if (trusted.length === 0 && firstBad === undefined && (head?.seq ?? 0) > 0) {
    warnings.push(
      'no signed checkpoint yet: a rewrite of the whole chain would not be detected (run `disclosure ledger checkpoint`)',
    );
  }
  return {
    ok: firstBad === undefined && issues.length === 0,
    records: verifier.checked,
    unsignedRecords: Math.max(0, (head?.seq ?? 0) - (latest?.seq ?? 0)),
    head,
    checkpoints: {
      trusted: trusted.length,
      latest: latest && { id: latest.id, seq: latest.seq, signedAt: latest.signedAt },
    },
    firstBad,
    checkpointIssues: issues,
    warnings,
  };
}

/** Throws the TamperError the CLI turns into exit code 4. */
export function assertIntact(report: VerifyReport): void {
  if (report.ok) return;
  const bad = report.firstBad;
  const message =
    bad !== undefined
      ? `first bad record: seq ${bad.seq} (${bad.recordId}): ${bad.problem}`
      : `checkpoints: ${report.checkpointIssues.join('; ')}`;
  throw new TamperError(message, report);
}

export interface CheckpointResult {
  created: boolean;
  checkpoint?: Checkpoint | undefined;
}

/** `after` when it is still the newest checkpoint in the database, unchanged and signed by `key`. */
async function unchangedNewest(store: Store, key: LedgerKey, after: Checkpoint | undefined): Promise<Checkpoint | undefined> {
  if (after === undefined || after.keyId !== key.keyId) return undefined;
  const newest = await store.lastCheckpoint();
  return newest !== undefined && newest.id === after.id && checkpointHash(newest) === checkpointHash(after) ? newest : undefined;
}

/** The newest checkpoint after checking every signature, the checkpoint chain and the witnesses. */
async function verifiedNewest(store: Store, key: LedgerKey, witnessDir: string | undefined): Promise<Checkpoint | undefined> {
  const external = witnessDir !== undefined && existsSync(witnessDir) ? readWitnessDir(witnessDir) : [];
  const { trusted, issues } = trustedCheckpoints(await store.listCheckpoints(), key, external);
  if (issues.length > 0) throw new TamperError(`refusing to sign: ${issues.join('; ')}`);
  return trusted[trusted.length - 1];
}

/** Signers that lose the race to another host's checkpoint this many times in a row give up for now. */
const CHECKPOINT_ATTEMPTS = 5;

/**
 * Signs the head of the chain. Only records since the last trusted checkpoint are read, and
 * they are checked first: a checkpoint must never bless a chain that was already tampered with.
 *
 * `after` is the checkpoint this process last signed or found trusted (the periodic signer
 * passes it). When it is still the newest in the database, byte for byte, it is the base and
 * nothing before it is read or checked again, so each signature costs in proportion to the
 * records since the last one. Otherwise (another process signed, or the checkpoints changed)
 * every checkpoint and the witnesses are checked as on a first signature.
 *
 * Several workers sign with the same key: a checkpoint is appended only onto the one it was
 * built on, and a signer that finds another's checkpoint there first starts again from it.
 */
export async function createCheckpoint(
  store: Store,
  key: LedgerKey,
  now: Date,
  opts: { witnessDir?: string | undefined; after?: Checkpoint | undefined } = {},
): Promise<CheckpointResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await signHead(store, key, now, opts);
    if (result !== 'raced') return result;
    if (attempt >= CHECKPOINT_ATTEMPTS) return { created: false, checkpoint: await store.lastCheckpoint() };
  }
}

async function signHead(
  store: Store,
  key: LedgerKey,
  now: Date,
  opts: { witnessDir?: string | undefined; after?: Checkpoint | undefined },
): Promise<CheckpointResult | 'raced'> {
  if (key.sign === undefined)
    throw new Error('the configured ledger key is a public key only; it cannot sign checkpoints');
  const last = (await unchangedNewest(store, key, opts.after)) ?? (await verifiedNewest(store, key, opts.witnessDir));
  const head = await store.ledgerHead();
  if (head === undefined || head.seq === last?.seq) return { created: false, checkpoint: last };
  const fromSeq = (last?.seq ?? 0) + 1;
  const verifier = createChainVerifier(last === undefined ? [] : [last], {
    seq: fromSeq,
    prevHash: last?.headHash ?? GENESIS_HASH,
  });
  const prefixes: string[] = [];
  let tip = head;
  reading: for await (const rows of store.ledgerPages(fromSeq - 1)) {
    for (const row of rows) {
      if (row.seq > head.seq) break reading;
      const problem = verifier.feed(row);
      if (problem !== undefined)
        throw new TamperError(
          `refusing to sign: seq ${problem.seq} (${problem.recordId}): ${problem.problem}`,
          problem,
        );
      prefixes.push(row.hash.slice(0, CHECKPOINT_PREFIX_LENGTH));
      tip = { seq: row.seq, hash: row.hash };
    }
  }
  const body: CheckpointBody = {
    seq: tip.seq,
    fromSeq,
    headHash: tip.hash,
    hashPrefixes: prefixes.join(''),
    keyId: key.keyId,
    signedAt: now.toISOString(),
    prevCheckpointHash: last === undefined ? GENESIS_HASH : checkpointHash(last),
  };
  const checkpoint = await store.appendCheckpoint({ ...body, signature: key.sign(canonicalJson(body)) }, { after: last?.id ?? null });
  if (checkpoint === undefined) return 'raced';
  appendFileSync(key.witnessFile, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  if (opts.witnessDir !== undefined) sendToWitness(opts.witnessDir, checkpoint);
  return { created: true, checkpoint };
}
