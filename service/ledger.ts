import { appendFileSync } from 'node:fs';
import { canonicalJson } from '../domain/canonical';
import type { LedgerKey } from '../infra/signing-key';
import { verifySignature } from '../infra/signing-key';
import { CHECKPOINT_PREFIX_LENGTH, GENESIS_HASH } from '../store/chain';
import type { Checkpoint, CheckpointBody, Store } from '../store/store';
import type { ChainProblem } from '../store/verify-chain';
import { createChainVerifier } from '../store/verify-chain';
import { checkpointBody, checkpointHash } from './checkpoint-hash';
import { TamperError } from './errors';
import type { Witness } from './witness';
import { readWitnessFile, WitnessError } from './witness';

export { checkpointHash } from './checkpoint-hash';
export { readWitnessDir } from './witness';

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
  /** With a witness: how many checkpoints it holds, and those of the database it never received. */
  witness?: { checkpoints: number; lacking: string[] } | undefined;
  warnings: string[];
}

const signedBytes = (cp: Checkpoint): string => canonicalJson(checkpointBody(cp));

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
  const witness = [...readWitnessFile(key.witnessFile), ...external];
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
  const witness = opts.witness === undefined ? undefined : witnessCoverage(stored, opts.witness);
  if (witness !== undefined && witness.lacking.length > 0) warnings.push(lackingWarning(witness.lacking));
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
    witness,
    warnings,
  };
}

const keyOf = (cp: Checkpoint): string => `${cp.id}:${cp.signature}`;

function witnessCoverage(stored: Checkpoint[], witness: Checkpoint[]): { checkpoints: number; lacking: string[] } {
  const held = new Set(witness.map(keyOf));
  return { checkpoints: witness.length, lacking: stored.filter((c) => !held.has(keyOf(c))).map((c) => c.id) };
}

function lackingWarning(lacking: string[]): string {
  const named = lacking.length > 5 ? `${lacking.slice(0, 5).join(', ')} and ${lacking.length - 5} more` : lacking.join(', ');
  return `the witness has not received ${lacking.length} checkpoint(s) of the database (${named}): a rollback of those would not be caught; \`disclosure ledger checkpoint\` sends them`;
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
  /** The witness could not be asked or did not take the checkpoint; signing went on regardless. */
  witnessProblem?: string | undefined;
}

export interface CheckpointOptions {
  /** The external witness (DISCLOSURE_WITNESS) that gets a copy of each checkpoint. */
  witness?: Witness | undefined;
  after?: Checkpoint | undefined;
}

/** `after` when it is still the newest checkpoint in the database, unchanged and signed by `key`. */
async function unchangedNewest(store: Store, key: LedgerKey, after: Checkpoint | undefined): Promise<Checkpoint | undefined> {
  if (after === undefined || after.keyId !== key.keyId) return undefined;
  const newest = await store.lastCheckpoint();
  return newest !== undefined && newest.id === after.id && checkpointHash(newest) === checkpointHash(after) ? newest : undefined;
}

/**
 * The newest checkpoint after checking every signature, the checkpoint chain and the witnesses.
 * A witness that cannot be asked is left out (and reported): signing must not stop with it.
 */
async function verifiedNewest(
  store: Store,
  key: LedgerKey,
  witness: Witness | undefined,
): Promise<{ last: Checkpoint | undefined; witnessProblem?: string | undefined }> {
  let external: Checkpoint[] = [];
  let witnessProblem: string | undefined;
  try {
    external = witness === undefined ? [] : await witness.list();
  } catch (err) {
    if (!(err instanceof WitnessError)) throw err;
    witnessProblem = err.message;
  }
  const { trusted, issues } = trustedCheckpoints(await store.listCheckpoints(), key, external);
  if (issues.length > 0) throw new TamperError(`refusing to sign: ${issues.join('; ')}`);
  return { last: trusted[trusted.length - 1], witnessProblem };
}

/** Hands `cp` to the witness (and any earlier checkpoints it lacks); a failure is returned, not thrown. */
export async function sendToWitness(store: Store, witness: Witness, cp: Checkpoint): Promise<string | undefined> {
  try {
    await witness.send(cp, () => store.listCheckpoints());
    return undefined;
  } catch (err) {
    return `the witness at ${witness.where} did not receive ${cp.id}: ${(err as Error).message}`;
  }
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
  opts: CheckpointOptions = {},
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
  opts: CheckpointOptions,
): Promise<CheckpointResult | 'raced'> {
  if (key.sign === undefined)
    throw new Error('the configured ledger key is a public key only; it cannot sign checkpoints');
  const unchanged = await unchangedNewest(store, key, opts.after);
  const { last, witnessProblem } =
    unchanged !== undefined ? { last: unchanged, witnessProblem: undefined } : await verifiedNewest(store, key, opts.witness);
  const head = await store.ledgerHead();
  if (head === undefined || head.seq === last?.seq) return { created: false, checkpoint: last, witnessProblem };
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
  const sent = opts.witness === undefined ? undefined : await sendToWitness(store, opts.witness, checkpoint);
  return { created: true, checkpoint, witnessProblem: sent ?? witnessProblem };
}
