import path from 'node:path';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import { startApiServer } from '../../api/server';
import { main } from '../../cli/main';
import type { ServiceContext } from '../../service/context';
import { BACKENDS, type Ledger } from '../ledger/backends';
import { SCENARIO } from '../ledger/scenario';

async function cli(l: Ledger, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    DISCLOSURE_HOME: l.home,
    DISCLOSURE_DB: l.database,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEST_TEMPORAL_NAMESPACE,
  };
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What every reader must say about a record that does not hold up: exit 4, the record, where to look next, no stack. */
function expectTamperReport(run: { code: number; out: string; err: string }, recordId: string): void {
  expect(run.code).toBe(4);
  const all = `${run.out}\n${run.err}`;
  expect(all).toContain(recordId);
  expect(all).toContain('ledger verify');
  expect(all).not.toMatch(/SyntaxError|^\s+at /m);
}

const READERS: [string, string[]][] = [
  ['records', ['records']],
  ['records --subject', ['records', '--subject', 'C-1001']],
  ['report', ['report', '--subject', 'C-1001']],
  ['handoffs', ['handoffs']],
  ['audit replay --all', ['audit', 'replay', '--all']],
  ['audit show', ['audit', 'show', 'D-5']],
];

describe.each(BACKENDS)('readers of a tampered ledger on $name', (backend) => {
  let l: Ledger;
  beforeAll(() => backend.start(), 120_000);
  afterAll(() => backend.stop());
  beforeEach(async () => {
    l = await backend.ledger();
    for (const input of SCENARIO) await l.store.appendRecord(input, '2026-11-01T00:00:00.000Z');
    await l.store.registerDisclosure({
      id: 'D-5',
      workflowId: 'wf-D-5',
      kind: 'legal',
      subjectIds: ['C-1001'],
      recipientId: 'R-POLICE-1',
      requestedBy: 'staff:ito',
      createdAt: '2026-11-01T00:00:00.000Z',
    });
  });
  afterEach(() => l.dispose());

  async function editBody(seq: number, edit: (body: string) => string): Promise<void> {
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    const [row] = await raw.all<{ body: string }>('SELECT body FROM ledger WHERE seq = ?', [seq]);
    await raw.run('UPDATE ledger SET body = ? WHERE seq = ?', [edit(row!.body), seq]);
    await raw.close();
  }

  test.each(READERS)(
    '%s exits 4 naming a record whose body is no longer JSON (it died with a SyntaxError)',
    async (_name, argv) => {
      await editBody(5, (b) => `${b}}`);
      expectTamperReport(await cli(l, ...argv), 'R-00000005');
    },
  );

  test.each(READERS)('%s exits 4 naming a record whose content was edited', async (_name, argv) => {
    await editBody(5, (b) => b.replace('"purpose":"police inquiry"', '"purpose":"routine"'));
    expectTamperReport(await cli(l, ...argv), 'R-00000005');
  });

  test('records exits 4 when a record was edited and its own hash recomputed: the next record no longer links to it', async () => {
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    const [row] = await raw.all<{ body: string }>('SELECT body FROM ledger WHERE seq = 5');
    const { hash: _old, ...rest } = JSON.parse(row!.body) as Record<string, unknown>;
    const { hashRecord } = await import('../../store/chain');
    const { canonicalJson } = await import('../../domain/canonical');
    const forged = { ...rest, purpose: 'routine' };
    const hash = hashRecord(forged as never);
    await raw.run('UPDATE ledger SET body = ?, hash = ? WHERE seq = 5', [canonicalJson({ ...forged, hash }), hash]);
    await raw.close();
    expectTamperReport(await cli(l, 'records', '--kind', 'legal'), 'R-00000005');
  });

  test('a record moved to another recipient in the indexed column is refused, not listed under that recipient', async () => {
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    await raw.run("UPDATE ledger SET recipient_id = 'R-DEALER-OSAKA' WHERE seq = 1");
    await raw.close();
    expectTamperReport(await cli(l, 'records', '--recipient', 'R-DEALER-OSAKA'), 'R-00000001');
  });

  test('GET /api/records answers 409 naming the record and pointing to ledger verify', async () => {
    await editBody(5, (b) => `${b}}`);
    const file = path.join(l.home, 'api-tokens.json');
    await ensureTokenFile(file);
    const { token } = await addToken(file, { role: 'auditor', name: 'audit:kato' });
    const ctx = { store: l.store, taskQueue: 'unused', clock: () => new Date() } as unknown as ServiceContext;
    const api = await startApiServer({
      tokens: fileTokenRegistry(file),
      deps: { ctx, home: l.home, ackKey: Buffer.alloc(32), replay: {}, ledgerKey: () => undefined },
    });
    try {
      const res = await fetch(`${api.url}/api/records`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { type: string; message: string; details: { recordId: string } } };
      expect(body.error).toMatchObject({ type: 'Tamper', details: { recordId: 'R-00000005' } });
      expect(body.error.message).toContain('ledger verify');
    } finally {
      await api.close();
    }
  });

  test('an intact ledger still reads in full', async () => {
    const run = await cli(l, 'records', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out) as { records: unknown[] }).records).toHaveLength(SCENARIO.length);
  });
});
