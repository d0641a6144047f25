import { createPublicKey, verify } from 'node:crypto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { z } from 'zod';
import { canonicalJson } from '../domain/canonical';
import type { DisclosureRecord } from '../domain/record';
import { keyIdOf } from '../infra/signing-key';
import type { Checkpoint, LedgerRow } from '../store/store';
import { createChainVerifier } from '../store/verify-chain';
import type { WorkflowHistory } from './audit-history';
import { activityCalls, payloadDecoder, startedEvent } from './audit-history';
import { EVIDENCE_FORMAT, historyFileOf, sha256File } from './audit-export';
import type { ReplayOptions, ReplayReport } from './audit-replay';
import { replayHistories } from './audit-replay';
import { InputError } from './errors';
import type { BundleFiles } from './evidence-bundle';
import { assertManifestPaths, openBundle } from './evidence-bundle';

export type CheckName = 'manifest' | 'chain' | 'checkpoint' | 'replay' | 'records';
export interface BundleCheck {
  check: CheckName;
  ok: boolean;
  problems: string[];
}

export interface BundleReport {
  ok: boolean;
  dir: string;
  records: number;
  histories: number;
  checks: BundleCheck[];
  replay: ReplayReport[];
  warnings: string[];
}

const Manifest = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  checkpoint: z.object({ id: z.string(), seq: z.number().int(), headHash: z.string(), keyId: z.string() }),
  histories: z.array(z.string()),
  missingHistories: z.array(z.string()),
  files: z.record(z.string(), z.string()),
});

async function readManifest(bundle: BundleFiles) {
  let text: string;
  try {
    text = await bundle.read('manifest.json');
  } catch (err) {
    throw new InputError([{ field: 'DIR', message: `${bundle.label} has no readable manifest.json (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` }]);
  }
  const json = parseJson(text);
  if (json === undefined) throw new InputError([{ field: 'manifest.json', message: 'is not JSON' }]);
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) throw new InputError([{ field: 'manifest.json', message: z.prettifyError(parsed.error) }]);
  assertManifestPaths(parsed.data.files);
  return parsed.data;
}

async function checkManifest(bundle: BundleFiles, files: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const [path, digest] of Object.entries(files)) {
    const content = await bundle.read(path).catch(() => undefined);
    if (content === undefined) problems.push(`${path} is listed in the manifest but missing`);
    else if (sha256File(content) !== digest) problems.push(`${path} does not match its digest in the manifest`);
  }
  for (const path of bundle.paths) {
    if (path !== 'manifest.json' && files[path] === undefined) problems.push(`${path} is not listed in the manifest`);
  }
  return problems;
}

const rowOf = (body: string): LedgerRow => {
  const r = JSON.parse(body) as DisclosureRecord;
  return {
    seq: r.seq,
    recordId: r.recordId,
    idempotencyKey: r.idempotencyKey,
    disclosureId: r.disclosureId,
    kind: r.kind,
    recipientId: r.recipient?.id,
    subjectIds: r.subjectIds ?? [],
    body,
    prevHash: r.prevHash,
    hash: r.hash,
    recordedAt: r.recordedAt,
  };
};

function checkSignature(checkpoint: Checkpoint, pem: string, trustedPem: string | undefined): string[] {
  const { id: _id, signature, ...body } = checkpoint;
  const problems: string[] = [];
  const keys = [{ label: 'the bundled public key', pem }, ...(trustedPem !== undefined ? [{ label: 'the trusted public key', pem: trustedPem }] : [])];
  for (const k of keys) {
    const key = createPublicKey(k.pem);
    if (keyIdOf(key) !== checkpoint.keyId) problems.push(`checkpoint ${checkpoint.id} names key ${checkpoint.keyId}, not ${k.label} (${keyIdOf(key)})`);
    else if (!verify(null, Buffer.from(canonicalJson(body)), key, Buffer.from(signature, 'base64'))) {
      problems.push(`checkpoint ${checkpoint.id} signature does not verify with ${k.label}`);
    }
  }
  return problems;
}

function checkChain(lines: string[], checkpoint: Checkpoint, signed: boolean): string[] {
  const verifier = createChainVerifier(signed ? [checkpoint] : []);
  for (const line of lines) {
    let row: LedgerRow;
    try {
      row = rowOf(line);
    } catch {
      return ['ledger.jsonl has a line that is not a JSON record'];
    }
    const problem = verifier.feed(row);
    if (problem !== undefined) return [`seq ${problem.seq} (${problem.recordId}): ${problem.problem}`];
  }
  const end = verifier.end();
  if (end !== undefined) return [`seq ${end.seq}: ${end.problem}`];
  if (verifier.checked !== checkpoint.seq) return [`the ledger slice ends at seq ${verifier.checked}, the checkpoint at seq ${checkpoint.seq}`];
  return [];
}

/** The fields of a record that its workflow supplied; the ledger adds the rest. */
/**
 * The record less what the ledger adds on append: position, hashes, retention, and the purpose
 * statement it stamps from the policy when the workflow did not supply one.
 */
function suppliedByWorkflow(r: DisclosureRecord, append: unknown): Record<string, unknown> {
  const { seq: _s, recordId: _id, recordedAt: _at, prevHash: _p, hash: _h, retention: _r, purposeStatement, ...input } = r;
  const supplied = (append as { purposeStatement?: unknown }).purposeStatement !== undefined;
  return supplied ? { ...input, purposeStatement } : input;
}

const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * Each record must be exactly what its workflow's history asked the ledger to append, in the run
 * the record names; a delivery must carry the digest and message id the send activity returned,
 * and the items and recipient the staging activity was given.
 */
async function checkRecord(r: DisclosureRecord, h: WorkflowHistory | undefined, decode: ReturnType<typeof payloadDecoder>): Promise<string[]> {
  const at = `${r.recordId} (${r.disclosureId})`;
  // A registry entry comes from no workflow; the chain and the signed checkpoint cover it.
  if (r.entryType === 'registry' && r.workflowId === '') return [];
  if (h === undefined) return [`${at}: the bundle has no history for workflow ${r.workflowId}`];
  const started = startedEvent(h.history);
  if (started?.originalExecutionRunId !== r.runId && started?.firstExecutionRunId !== r.runId) {
    return [`${at}: recorded run ${r.runId} is not the run in the history of ${r.workflowId}`];
  }
  const calls = activityCalls(h.history);
  const problems: string[] = [];
  // A regular append's request is its input; a local one's is echoed in its result (see activities/ledger.ts).
  const appends = await Promise.all(
    calls
      .filter((c) => c.name === 'appendRecord')
      .map(async (c) => (c.input.length > 0 ? (await decode(c.input))[0] : ((await decode(c.result))[0] as { appended?: unknown } | undefined)?.appended)),
  );
  const append = appends.find((a) => (a as { idempotencyKey?: string } | undefined)?.idempotencyKey === r.idempotencyKey);
  if (append === undefined) problems.push(`${at}: the history never asked to append this record`);
  else if (!sameJson(append, suppliedByWorkflow(r, append))) problems.push(`${at}: differs from what the history asked the ledger to append`);
  if (r.entryType !== 'disclosure' || r.outcome !== 'delivered') return problems;
  const send = calls.find((c) => c.name === 'sendHandoff' && c.result !== undefined);
  const sent = send === undefined ? undefined : ((await decode(send.result))[0] as { payloadDigest?: string; messageId?: string } | undefined);
  if (sent === undefined) problems.push(`${at}: delivered, but the history has no completed send`);
  else if (sent.payloadDigest !== r.payloadDigest || sent.messageId !== r.messageId) {
    problems.push(`${at}: payload digest or message id differs from what the send returned (${sent.payloadDigest ?? '-'}, ${sent.messageId ?? '-'})`);
  }
  const stage = calls.find((c) => c.name === 'stageHandoff');
  const staged = stage === undefined ? undefined : ((await decode(stage.input))[0] as { fields?: unknown; recipient?: unknown } | undefined);
  if (staged !== undefined && (!sameJson(staged.fields, r.items) || !sameJson(staged.recipient, r.recipient))) {
    problems.push(`${at}: items or recipient differ from what was staged for sending`);
  }
  return problems;
}

export interface VerifyBundleOptions {
  replay: ReplayOptions;
  /** A key the auditor trusts from elsewhere; the bundled key alone proves only self-consistency. */
  trustedPublicKeyPem?: string | undefined;
  progress?: { tick(done: number): void } | undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A bundle file as JSON; undefined when it is missing or garbled, which the checks then report. */
const readJson = async (read: (path: string) => Promise<string>, path: string): Promise<unknown> =>
  parseJson(await read(path).catch(() => 'not json'));

/**
 * `audit verify DIR|TAR`: every check runs with no server and no database, and every problem is
 * listed. Only files inside the bundle are read (see evidence-bundle.ts).
 */
export async function verifyEvidence(where: string | BundleFiles, opts: VerifyBundleOptions): Promise<BundleReport> {
  const bundle = typeof where === 'string' ? await openBundle(where) : where;
  const dir = bundle.label;
  const manifest = await readManifest(bundle);
  const read = (path: string) => bundle.read(path);
  const checks: BundleCheck[] = [];
  const add = (check: CheckName, problems: string[]) => checks.push({ check, ok: problems.length === 0, problems });
  const warnings: string[] = [];

  add('manifest', await checkManifest(bundle, manifest.files));
  const checkpoint = (await readJson(read, 'checkpoint.json')) as Checkpoint | undefined;
  const pem = await read('public-key.pem').catch(() => undefined);
  if (checkpoint === undefined || pem === undefined) {
    add('checkpoint', [checkpoint === undefined ? 'checkpoint.json is missing or not JSON' : 'public-key.pem is missing']);
    return { ok: false, dir, records: 0, histories: 0, checks, replay: [], warnings };
  }
  const signatureProblems = checkSignature(checkpoint, pem, opts.trustedPublicKeyPem);
  if (checkpoint.id !== manifest.checkpoint.id || checkpoint.seq !== manifest.checkpoint.seq) {
    signatureProblems.push('checkpoint.json is not the checkpoint the manifest names');
  }
  add('checkpoint', signatureProblems);
  if (opts.trustedPublicKeyPem === undefined) warnings.push('checked against the public key in the bundle only; pass --public-key to check against a key you trust');

  const lines = ((await read('ledger.jsonl').catch(() => '')) as string).split('\n').filter((l) => l.trim() !== '');
  add('chain', checkChain(lines, checkpoint, signatureProblems.length === 0));

  const histories: WorkflowHistory[] = [];
  const unreadable: string[] = [];
  for (const workflowId of manifest.histories) {
    const json = await readJson(read, historyFileOf(workflowId));
    try {
      if (json !== undefined) histories.push({ workflowId, history: historyFromJSON(json) });
    } catch {
      unreadable.push(`${historyFileOf(workflowId)} is not a workflow history`);
    }
  }
  const replay = await replayHistories(histories, opts.replay, opts.progress?.tick);
  add('replay', [...unreadable, ...replay.filter((r) => !r.consistent).map((r) => `${r.workflowId}: ${r.error?.name ?? ''}: ${r.error?.message ?? ''}`)]);

  const byId = new Map(histories.map((h) => [h.workflowId, h]));
  const decode = payloadDecoder(opts.replay.dataConverter);
  const recordProblems: string[] = [];
  for (const line of lines) {
    const record = parseJson(line) as DisclosureRecord | undefined;
    if (record === undefined || typeof record !== 'object' || record === null) continue; // reported by the chain check
    const problems = await checkRecord(record, byId.get(record.workflowId), decode).catch((err: unknown) => [
      `${record.recordId}: its history cannot be read (${(err as Error).message})`,
    ]);
    recordProblems.push(...problems);
  }
  add('records', recordProblems);
  return { ok: checks.every((c) => c.ok), dir, records: lines.length, histories: histories.length, checks, replay, warnings };
}
