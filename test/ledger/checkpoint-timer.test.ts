import { statSync } from 'node:fs';
import { createLogger } from '../../infra/logger';
import { keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { startCheckpointTimer } from '../../service/checkpoint-timer';
import { verifyLedger } from '../../service/ledger';
import type { Store } from '../../store/store';
import { sqliteBackend, type Ledger } from './backends';
import { recordInput } from './records';

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the checkpoint timer');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the periodic checkpoint of a running engine', () => {
  let l: Ledger;
  beforeEach(async () => {
    l = await sqliteBackend().ledger();
  });
  afterEach(() => l.dispose());

  test('signs the head each interval and once more on stop, with the key kept outside the database', async () => {
    const lines: string[] = [];
    await l.store.appendRecord(recordInput(1), '2026-05-01T00:00:00.000Z');
    const timer = startCheckpointTimer({ store: l.store, keyPaths: keyPathsOf({ home: l.home }), intervalMs: 30, log: createLogger((x) => lines.push(x)) });
    await until(async () => (await l.store.listCheckpoints()).length === 1);
    await l.store.appendRecord(recordInput(2), '2026-05-02T00:00:00.000Z');
    await timer.stop();
    const checkpoints = await l.store.listCheckpoints();
    expect(checkpoints.at(-1)).toMatchObject({ seq: 2 });
    expect(checkpoints.map((c) => c.seq)).toEqual([...new Set(checkpoints.map((c) => c.seq))]);
    const key = loadLedgerKey(keyPathsOf({ home: l.home }), { create: false })!;
    expect(await verifyLedger(l.store, key)).toMatchObject({ ok: true, checkpoints: { trusted: checkpoints.length } });
    expect(statSync(keyPathsOf({ home: l.home }).privateKeyPath).mode & 0o777).toBe(0o600);
    const raw = await l.raw();
    const leaked = await raw.all("SELECT id FROM ledger_checkpoints WHERE body LIKE '%PRIVATE KEY%' OR signature LIKE '%PRIVATE KEY%'");
    await raw.close();
    expect(leaked).toEqual([]);
    expect(lines.filter((x) => x.includes('"level":"error"'))).toEqual([]);
  });

  test('refuses to sign a tampered chain and logs the error', async () => {
    const lines: string[] = [];
    for (const n of [1, 2]) await l.store.appendRecord(recordInput(n), '2026-05-01T00:00:00.000Z');
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run("UPDATE ledger SET body = replace(body, 'staff:ito', 'staff:x') WHERE seq = 2");
    await raw.close();
    const timer = startCheckpointTimer({ store: l.store, keyPaths: keyPathsOf({ home: l.home }), intervalMs: 60_000, log: createLogger((x) => lines.push(x)) });
    await timer.stop();
    expect(await l.store.listCheckpoints()).toEqual([]);
    expect(lines.join('\n')).toMatch(/ledger checkpoint failed.*refusing to sign: seq 2/);
  });

  /** The store, counting what a signer reads: every checkpoint, and ledger pages from which seq. */
  function counted(store: Store) {
    const reads = { listCheckpoints: 0, pagesAfter: [] as number[] };
    const proxy = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'listCheckpoints') reads.listCheckpoints++;
        if (prop === 'ledgerPages') return (afterSeq: number, size?: number) => (reads.pagesAfter.push(afterSeq), target.ledgerPages(afterSeq, size));
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { proxy, reads };
  }

  test('after its first signature it reads only the records since its last checkpoint and checks no earlier checkpoint again', async () => {
    const { proxy, reads } = counted(l.store);
    const timer = startCheckpointTimer({ store: proxy, keyPaths: keyPathsOf({ home: l.home }), intervalMs: 3_600_000, everyRecords: 2, pollMs: 20, log: createLogger(() => undefined) });
    try {
      for (const n of [2, 4, 6]) {
        for (const m of [n - 1, n]) await l.store.appendRecord(recordInput(m), '2026-05-01T00:00:00.000Z');
        await until(async () => (await l.store.listCheckpoints()).some((c) => c.seq === n));
      }
    } finally {
      await timer.stop();
    }
    expect((await l.store.listCheckpoints()).map((c) => [c.fromSeq, c.seq])).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(reads).toEqual({ listCheckpoints: 1, pagesAfter: [0, 2, 4] });
    const key = loadLedgerKey(keyPathsOf({ home: l.home }), { create: false })!;
    expect(await verifyLedger(l.store, key)).toMatchObject({ ok: true, records: 6, checkpoints: { trusted: 3 } });
  });

  test('a checkpoint replaced in the database between two signatures makes it check every checkpoint again, and refuse', async () => {
    const lines: string[] = [];
    const { proxy, reads } = counted(l.store);
    const timer = startCheckpointTimer({ store: proxy, keyPaths: keyPathsOf({ home: l.home }), intervalMs: 3_600_000, everyRecords: 1, pollMs: 20, log: createLogger((x) => lines.push(x)) });
    try {
      await l.store.appendRecord(recordInput(1), '2026-05-01T00:00:00.000Z');
      await until(async () => (await l.store.listCheckpoints()).length === 1);
      const raw = await l.raw();
      await raw.dropAppendOnlyTriggers();
      await raw.run("UPDATE ledger_checkpoints SET body = replace(body, '\"signedAt\":\"', '\"signedAt\":\"1') WHERE id = 'CP-000001'");
      await raw.close();
      await l.store.appendRecord(recordInput(2), '2026-05-02T00:00:00.000Z');
      await until(async () => lines.some((x) => x.includes('refusing to sign')));
    } finally {
      await timer.stop();
    }
    expect(reads.listCheckpoints).toBeGreaterThan(1);
    expect((await l.store.listCheckpoints()).map((c) => c.seq)).toEqual([1]);
    expect(lines.join('\n')).toMatch(/ledger checkpoint failed.*refusing to sign: .*CP-000001/);
  });
});
