import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { DisclosureRecord } from '../domain/record';
import type { LedgerKey } from '../infra/signing-key';
import { exportPublicKeyPem } from '../infra/signing-key';
import type { Checkpoint, Store } from '../store/store';
import type { ServiceContext } from './context';
import { fetchHistories } from './audit-history';
import { InputError } from './errors';
import { trustedCheckpoints } from './ledger';

export const EVIDENCE_FORMAT = 'disclosure-evidence/1';

export const sha256File = (content: string): string => `sha256:${createHash('sha256').update(content, 'utf8').digest('hex')}`;

/** Workflow ids become file names; anything outside a safe alphabet is escaped. */
export const historyFileOf = (workflowId: string): string => `histories/${encodeURIComponent(workflowId)}.json`;

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  createdAt: string;
  checkpoint: { id: string; seq: number; headHash: string; keyId: string };
  records: number;
  histories: string[];
  /** Workflows a record names whose history Temporal no longer holds. */
  missingHistories: string[];
  files: Record<string, string>;
}

export interface Evidence {
  manifest: EvidenceManifest;
  /** Relative path → content, manifest.json included. */
  files: Record<string, string>;
}

async function ledgerSlice(store: Store, upTo: number): Promise<string[]> {
  const lines: string[] = [];
  while (lines.length < upTo) {
    const rows = await store.ledgerRows(lines.length, Math.min(500, upTo - lines.length));
    if (rows.length === 0) break;
    lines.push(...rows.map((r) => r.body));
  }
  return lines;
}

/** The newest checkpoint the trusted key signed; the bundle covers the ledger up to it. */
export async function latestCheckpoint(store: Store, key: LedgerKey): Promise<Checkpoint> {
  const { trusted } = trustedCheckpoints(await store.listCheckpoints(), key);
  const latest = trusted[trusted.length - 1];
  if (latest === undefined) {
    throw new InputError([{ field: 'checkpoint', message: 'the ledger has no signed checkpoint yet; run `disclosure ledger checkpoint` first' }]);
  }
  return latest;
}

/**
 * An evidence bundle: the ledger slice up to a signed checkpoint, the checkpoint and its public
 * key, the history of every workflow a record in the slice names, and a manifest of digests.
 * Nothing in the engine changes.
 */
export async function buildEvidence(
  ctx: Pick<ServiceContext, 'store' | 'client' | 'clock'>,
  key: LedgerKey,
  progress?: { tick(done: number): void },
): Promise<Evidence> {
  const checkpoint = await latestCheckpoint(ctx.store, key);
  const lines = await ledgerSlice(ctx.store, checkpoint.seq);
  const workflowIds = [...new Set(lines.map((l) => (JSON.parse(l) as DisclosureRecord).workflowId))].filter((id) => id !== '');
  const fetched = await fetchHistories(ctx.client, workflowIds, (n) => progress?.tick(n));
  const files: Record<string, string> = {
    'ledger.jsonl': lines.map((l) => `${l}\n`).join(''),
    'checkpoint.json': `${JSON.stringify(checkpoint, null, 2)}\n`,
    'public-key.pem': exportPublicKeyPem(key),
  };
  const histories: string[] = [];
  for (const f of fetched) {
    if (!('history' in f)) continue;
    files[historyFileOf(f.workflowId)] = historyToJSON(f.history);
    histories.push(f.workflowId);
  }
  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    createdAt: ctx.clock().toISOString(),
    checkpoint: { id: checkpoint.id, seq: checkpoint.seq, headHash: checkpoint.headHash, keyId: checkpoint.keyId },
    records: lines.length,
    histories,
    missingHistories: fetched.filter((f) => 'missing' in f).map((f) => f.workflowId),
    files: Object.fromEntries(Object.entries(files).map(([path, content]) => [path, sha256File(content)])),
  };
  files['manifest.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
  return { manifest, files };
}

export async function writeEvidence(dir: string, evidence: Evidence): Promise<void> {
  for (const [path, content] of Object.entries(evidence.files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, { flag: 'wx' });
  }
}
