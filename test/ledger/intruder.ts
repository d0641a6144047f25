import { readFile, writeFile } from 'node:fs/promises';
import { main } from '../../cli/main';
import { canonicalJson } from '../../domain/canonical';
import type { DisclosureRecord } from '../../domain/record';
import { keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { GENESIS_HASH, hashRecord } from '../../store/chain';
import type { Ledger } from './backends';
import { recordInput } from './records';

/** What an intruder with the database and the engine's host does to the ledger, and the CLI that should catch it. */
export const keyOf = (l: Ledger) => loadLedgerKey(keyPathsOf({ home: l.home }), { create: true })!;

export async function append(l: Ledger, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) await l.store.appendRecord(recordInput(n), `2026-05-0${(n % 9) + 1}T10:00:01.000Z`);
}

/** The intruder's part: checkpoints from `fromId` on deleted from the database and from the key folder's witness file. */
export async function rollBackCheckpoints(l: Ledger, ids: string[]): Promise<void> {
  const raw = await l.raw();
  await raw.dropAppendOnlyTriggers();
  for (const id of ids) await raw.run('DELETE FROM ledger_checkpoints WHERE id = ?', [id]);
  await raw.close();
  const file = keyOf(l).witnessFile;
  const kept = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '' && !ids.some((id) => line.includes(`"id":"${id}"`)));
  await writeFile(file, kept.map((line) => `${line}\n`).join(''));
}

/** Rewrites every record from `fromSeq` on with fresh hashes, so the chain alone holds again (triggers already dropped). */
export async function rewriteTailFrom(l: Ledger, fromSeq: number): Promise<void> {
  const raw = await l.raw();
  const rows = await raw.all<{ seq: number; body: string; hash: string }>(
    'SELECT seq, body, hash FROM ledger ORDER BY seq',
  );
  let prev = rows.find((r) => Number(r.seq) === fromSeq - 1)?.hash ?? GENESIS_HASH;
  for (const row of rows.filter((r) => Number(r.seq) >= fromSeq)) {
    const { hash: _old, ...rest } = JSON.parse(row.body) as DisclosureRecord;
    rest.purpose = 'rewritten';
    rest.prevHash = prev;
    const hash = hashRecord(rest);
    await raw.run('UPDATE ledger SET body = ?, hash = ?, prev_hash = ? WHERE seq = ?', [
      canonicalJson({ ...rest, hash }),
      hash,
      prev,
      row.seq,
    ]);
    prev = hash;
  }
  await raw.close();
}

export async function cli(
  l: Ledger,
  env: Record<string, string>,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { DISCLOSURE_HOME: l.home, DISCLOSURE_DB: l.database, ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
