import { mkdtemp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../../infra/logger';
import { keyPathsOf } from '../../infra/signing-key';
import { startCheckpointTimer } from '../../service/checkpoint-timer';
import { createCheckpoint, readWitnessDir, verifyLedger } from '../../service/ledger';
import { openWitness } from '../../service/witness';
import { sqliteBackend, type Ledger } from './backends';
import { append, cli, keyOf, rewriteTailFrom, rollBackCheckpoints } from './intruder';

const now = new Date('2026-06-01T00:00:00Z');
const folder = (dir: string) => openWitness({ kind: 'folder', dir });

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
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
