import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../cli/main';
import { canonicalJson } from '../../domain/canonical';
import type { DisclosureRecord } from '../../domain/record';
import { createLogger } from '../../infra/logger';
import { keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { startCheckpointTimer } from '../../service/checkpoint-timer';
import { createCheckpoint, readWitnessDir, verifyLedger } from '../../service/ledger';
import { openWitness } from '../../service/witness';
import { GENESIS_HASH, hashRecord } from '../../store/chain';
import { sqliteBackend, type Ledger } from './backends';
import { recordInput } from './records';

const now = new Date('2026-06-01T00:00:00Z');
const folder = (dir: string) => openWitness({ kind: 'folder', dir });
const keyOf = (l: Ledger) => loadLedgerKey(keyPathsOf({ home: l.home }), { create: true })!;

async function append(l: Ledger, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) await l.store.appendRecord(recordInput(n), `2026-05-0${(n % 9) + 1}T10:00:01.000Z`);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The intruder's part: checkpoints from `fromId` on deleted from the database and from the key folder's witness file. */
async function rollBackCheckpoints(l: Ledger, ids: string[]): Promise<void> {
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
async function rewriteTailFrom(l: Ledger, fromSeq: number): Promise<void> {
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

async function cli(
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

describe('no unsigned tail', () => {
  let l: Ledger;
  let witness: string;
  beforeEach(async () => {
    l = await sqliteBackend().ledger();
    witness = await mkdtemp(path.join(l.home, 'witness-'));
  });
  afterEach(() => l.dispose());

  test('each checkpoint signs the one before it: a middle checkpoint deleted from the database and the witness file is detected', async () => {
    for (const [from, to] of [
      [1, 2],
      [3, 4],
      [5, 6],
    ] as const) {
      await append(l, from, to);
      await createCheckpoint(l.store, keyOf(l), now);
    }
    expect(await verifyLedger(l.store, keyOf(l))).toMatchObject({ ok: true, checkpoints: { trusted: 3 } });
    await rollBackCheckpoints(l, ['CP-000002']);
    const report = await verifyLedger(l.store, keyOf(l));
    expect(report.ok).toBe(false);
    expect(report.checkpointIssues).toEqual([
      expect.stringMatching(/CP-000003 \(seq 6\) was signed after a checkpoint that is no longer there/),
    ]);
  });

  test('a rollback of the newest checkpoints from the database and the witness file together, with the tail rewritten, is caught by the external witness', async () => {
    await append(l, 1, 3);
    await createCheckpoint(l.store, keyOf(l), now, { witness: folder(witness) });
    await append(l, 4, 6);
    await createCheckpoint(l.store, keyOf(l), now, { witness: folder(witness) });
    expect(await readdir(witness)).toHaveLength(2);

    await rollBackCheckpoints(l, ['CP-000002']);
    await rewriteTailFrom(l, 4);
    // Without the external witness the rollback is invisible: the chain and the one checkpoint left hold.
    expect(await verifyLedger(l.store, keyOf(l))).toMatchObject({ ok: true, unsignedRecords: 3 });

    const report = await verifyLedger(l.store, keyOf(l), undefined, { witness: readWitnessDir(witness) });
    expect(report.ok).toBe(false);
    expect(report.checkpointIssues).toContainEqual(
      expect.stringMatching(/CP-000002 \(seq 6\) was signed but is missing from the database/),
    );
    expect(report.firstBad).toMatchObject({ seq: 4 });
    const run = await cli(l, {}, 'ledger', 'verify', '--witness', witness);
    expect(run.code).toBe(4);
    expect(run.err).toMatch(/TAMPERING: first bad record: seq 4/);
    expect((await cli(l, { DISCLOSURE_WITNESS: witness }, 'ledger', 'verify')).code).toBe(4);
  });

  test('ledger verify without a trusted public key exits 4 unless --unsigned (it said ok), and always counts the unsigned tail', async () => {
    await append(l, 1, 5);
    const keyless = await cli(l, {}, 'ledger', 'verify');
    expect(keyless.code).toBe(4);
    expect(keyless.err).toMatch(/no trusted public key .*--unsigned.*5 records follow the last checkpoint/);
    const unsigned = await cli(l, {}, 'ledger', 'verify', '--unsigned');
    expect(unsigned.code).toBe(0);
    expect(unsigned.out).toMatch(/unsigned records after the last checkpoint: 5/);

    await createCheckpoint(l.store, keyOf(l), now);
    await append(l, 6, 7);
    const signed = await cli(l, {}, 'ledger', 'verify', '--json');
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.out)).toMatchObject({ ok: true, unsignedRecords: 2, checkpoints: { latest: { seq: 5 } } });
  });

  test('the engine signs as soon as the record threshold is reached, without waiting for the interval (it waited 15 minutes)', async () => {
    const lines: string[] = [];
    const timer = startCheckpointTimer({
      store: l.store,
      keyPaths: keyPathsOf({ home: l.home }),
      intervalMs: 3_600_000,
      everyRecords: 3,
      pollMs: 20,
      witness: folder(witness),
      log: createLogger((x) => lines.push(x)),
    });
    try {
      await append(l, 1, 3);
      await until(async () => (await l.store.listCheckpoints()).some((c) => c.seq === 3), 'seq 3 is signed');
      await append(l, 4, 5);
      await new Promise((r) => setTimeout(r, 200));
      // Two records are below the threshold and the interval is an hour: not yet.
      expect((await l.store.listCheckpoints()).map((c) => c.seq)).toEqual([3]);
    } finally {
      await timer.stop();
    }
    // Stopping signs the rest, and every checkpoint reached the witness.
    expect((await l.store.listCheckpoints()).map((c) => c.seq)).toEqual([3, 5]);
    expect(
      readWitnessDir(witness)
        .map((c) => c.seq)
        .sort(),
    ).toEqual([3, 5]);
    expect(lines.filter((x) => x.includes('"level":"error"'))).toEqual([]);
  });

  test('the engine signs a short tail once the interval has passed', async () => {
    const timer = startCheckpointTimer({
      store: l.store,
      keyPaths: keyPathsOf({ home: l.home }),
      intervalMs: 100,
      everyRecords: 100,
      pollMs: 20,
      log: createLogger(() => undefined),
    });
    try {
      await append(l, 1, 1);
      await until(async () => (await l.store.listCheckpoints()).length === 1, 'seq 1 is signed');
      await append(l, 2, 2);
      await until(
        async () => (await l.store.listCheckpoints()).some((c) => c.seq === 2),
        'seq 2 is signed after the interval',
      );
    } finally {
      await timer.stop();
    }
  });
});
