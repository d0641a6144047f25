import { statSync } from 'node:fs';
import { createLogger } from '../../infra/logger';
import { keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { startCheckpointTimer } from '../../service/checkpoint-timer';
import { verifyLedger } from '../../service/ledger';
import { sqliteBackend, type Ledger } from './backends';
import { recordInput } from './records';

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
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
});
