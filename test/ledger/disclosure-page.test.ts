import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SQLITE_MIGRATIONS, VERSION_TABLE } from '../../store/migrations';
import { SqliteStore } from '../../store/sqlite';
import type { Store } from '../../store/store';
import { BACKENDS, type Ledger } from './backends';
import { recordInput } from './records';

/** Ten disclosures, one a minute; every third is refused, the last two have no record yet, one is acknowledged. */
async function seed(store: Store): Promise<void> {
  for (let n = 1; n <= 10; n++) {
    const id = `D-${n}`;
    const createdAt = new Date(Date.UTC(2026, 4, 1, 10, n)).toISOString();
    await store.registerDisclosure({
      id,
      workflowId: `wf-${id}`,
      kind: n % 2 === 0 ? 'survey' : 'dealer-catalog',
      subjectIds: [n === 4 ? 'C-2002' : 'C-1001'],
      recipientId: 'R-DEALER-TOKYO',
      requestedBy: 'staff:ito',
      createdAt,
    });
    if (n > 8) continue;
    await store.appendRecord(
      recordInput(n, { outcome: n % 3 === 0 ? 'refused' : 'delivered', items: n % 3 === 0 ? [] : ['name', 'email'] }),
      createdAt,
    );
  }
  await store.appendRecord(
    recordInput(1, { idempotencyKey: 'ack-D-1', entryType: 'acknowledgement', items: [] }),
    new Date().toISOString(),
  );
}

describe.each(BACKENDS)('the dashboard page query on $name', (backend) => {
  let l: Ledger;
  beforeAll(() => backend.start(), 120_000);
  afterAll(() => backend.stop());
  beforeEach(async () => {
    l = await backend.ledger();
    await seed(l.store);
  });
  afterEach(() => l.dispose());

  test('pages newest first by keyset: no row twice, none skipped', async () => {
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await l.store.pageDisclosures({ limit: 3, after });
      if (page.length === 0) break;
      seen.push(...page.map((d) => d.id));
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen).toEqual(['D-10', 'D-9', 'D-8', 'D-7', 'D-6', 'D-5', 'D-4', 'D-3', 'D-2', 'D-1']);
  });

  test('each row carries its ledger outcome and acknowledgement; filters narrow and never widen', async () => {
    const all = await l.store.pageDisclosures({ limit: 50 });
    expect(all.find((d) => d.id === 'D-1')).toMatchObject({ outcome: 'delivered', acknowledged: true });
    expect(all.find((d) => d.id === 'D-3')).toMatchObject({ outcome: 'refused', acknowledged: false });
    expect(all.find((d) => d.id === 'D-10')).toMatchObject({ outcome: 'open' });
    const ids = async (f: Parameters<Store['pageDisclosures']>[0]) =>
      (await l.store.pageDisclosures(f)).map((d) => d.id);
    expect(await ids({ limit: 50, outcome: 'refused' })).toEqual(['D-6', 'D-3']);
    expect(await ids({ limit: 50, outcome: 'open' })).toEqual(['D-10', 'D-9']);
    expect(await ids({ limit: 50, kind: 'survey', outcome: 'delivered' })).toEqual(['D-8', 'D-4', 'D-2']);
    expect(await ids({ limit: 50, subjectId: 'C-2002' })).toEqual(['D-4']);
    expect(await ids({ limit: 50, recipientId: 'R-OTHER' })).toEqual([]);
    expect(await ids({ limit: 50, since: '2026-05-01T10:03:00.000Z', until: '2026-05-01T10:05:00.000Z' })).toEqual([
      'D-5',
      'D-4',
      'D-3',
    ]);
  });
});

describe('migration 3 on SQLite', () => {
  test('disclosures registered before it are found by customer afterwards', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-m3-'));
    const file = path.join(dir, 'disclosure.db');
    const db = new Database(file);
    db.exec(
      `CREATE TABLE ${VERSION_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    for (const m of SQLITE_MIGRATIONS.filter((x) => x.version < 3)) {
      db.exec(m.sql);
      db.prepare(`INSERT INTO ${VERSION_TABLE} VALUES (?, ?, '2026-01-01')`).run(m.version, m.name);
    }
    db.prepare(
      `INSERT INTO disclosures VALUES ('D-OLD', 'wf-D-OLD', 'survey', '["C-1","C-2"]', 'R-1', NULL, 'staff:ito', '2026-01-01T00:00:00.000Z')`,
    ).run();
    db.close();
    const store = new SqliteStore(file, { schema: 'migrate' });
    try {
      expect((await store.pageDisclosures({ subjectId: 'C-2', limit: 5 })).map((d) => d.id)).toEqual(['D-OLD']);
      expect(await store.pageDisclosures({ subjectId: 'C-3', limit: 5 })).toEqual([]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
