import { main } from '../../cli/main';
import { BACKENDS, type Ledger } from './backends';
import { REPORT_NOW, SCENARIO } from './scenario';

interface Run {
  code: number;
  out: string;
  err: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function cli(l: Ledger, ...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { DISCLOSURE_HOME: l.home, DISCLOSURE_DB: l.database } });
  return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
}

describe.each(BACKENDS)('ledger, records and report commands on $name', (backend) => {
  let l: Ledger;
  beforeAll(() => backend.start(), 120_000);
  afterAll(() => backend.stop());
  beforeEach(async () => {
    l = await backend.ledger();
    for (const input of SCENARIO) await l.store.appendRecord(input, '2026-11-01T00:00:00.000Z');
    await l.store.putSubjects([{ id: 'C-1001', name: '山田 花子', surveyOptOut: false }]);
  });
  afterEach(() => l.dispose());

  test('verify passes on an intact ledger and exits 4 naming the first bad record after a row is edited', async () => {
    expect((await cli(l, 'ledger', 'checkpoint', '--json')).json()).toMatchObject({ created: true, checkpoint: { id: 'CP-000001', seq: 8 } });
    const ok = await cli(l, 'ledger', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/ledger intact: 8 records/);
    const raw = await l.raw();
    await raw.dropAppendOnlyTriggers();
    const [row] = await raw.all<{ body: string }>('SELECT body FROM ledger WHERE seq = 5');
    await raw.run('UPDATE ledger SET body = ? WHERE seq = 5', [row!.body.replace('"purpose":"police inquiry"', '"purpose":"routine"')]);
    await raw.close();
    const bad = await cli(l, 'ledger', 'verify', '--json');
    expect(bad.code).toBe(4);
    expect(bad.json().error).toMatchObject({ type: 'Tamper', details: { ok: false, firstBad: { seq: 5, recordId: 'R-00000005' } } });
    const text = await cli(l, 'ledger', 'verify');
    expect(text.code).toBe(4);
    expect(text.err).toMatch(/TAMPERING: first bad record: seq 5 \(R-00000005\)/);
  });

  test('records filters by customer, outcome and date, and a bad filter names the option', async () => {
    const refused = await cli(l, 'records', '--subject', 'C-1001', '--outcome', 'refused', '--json');
    expect(refused.json().records.map((r: { recordId: string }) => r.recordId)).toEqual(['R-00000006']);
    const may = await cli(l, 'records', '--since', '2026-05-01', '--until', '2026-05-31', '--json');
    expect(may.json().records.map((r: { recordId: string }) => r.recordId)).toEqual(['R-00000001', 'R-00000002', 'R-00000008']);
    const bad = await cli(l, 'records', '--kind', 'fax', '--json');
    expect(bad.code).toBe(2);
    expect(bad.json().error.issues[0].field).toBe('--kind');
  });

  test('records --purgeable lists what is past retention, respects a legal hold, and deletes nothing', async () => {
    const ids = async () => (await cli(l, 'records', '--purgeable', '--as-of', '2030-01-01', '--json')).json().purgeable.map((p: { recordId: string }) => p.recordId);
    expect(await ids()).toEqual(['R-00000006', 'R-00000007']);
    const hold = await cli(l, 'ledger', 'hold', '--subject', 'C-1001', '--reason', 'case 2026-17', '--as', 'staff:legal', '--json');
    expect(hold.json().hold).toMatchObject({ id: 'LH-000001', scope: 'subject', target: 'C-1001' });
    expect(await ids()).toEqual([]);
    expect((await cli(l, 'ledger', 'release', 'LH-000001', '--reason', 'closed', '--as', 'staff:legal')).code).toBe(0);
    expect(await ids()).toEqual(['R-00000006', 'R-00000007']);
    expect(await l.store.listRecords()).toHaveLength(8);
  });

  test('report: one record, three views, as JSON, text and Markdown', async () => {
    const asOf = REPORT_NOW.toISOString();
    const corrected = await cli(l, 'ledger', 'correct', 'R-00000002', '--as', 'staff:sato', '--reason', 'phone was not sent', '--items', 'name', '--json');
    expect(corrected.json()).toMatchObject({ created: true, record: { recordId: 'R-00000009', corrects: 'R-00000002' } });
    const r = (await cli(l, 'report', '--subject', 'C-1001', '--as-of', asOf, '--json')).json();
    expect(r.appi.entries.map((e: { recordId: string }) => e.recordId)).toEqual(['R-00000007', 'R-00000001', 'R-00000002', 'R-00000003']);
    expect(r.appi.entries[2]).toMatchObject({ items: ['name'], correctedBy: 'R-00000009' });
    expect(r.hipaa.entries.map((e: { type: string; count?: number }) => [e.type, e.count])).toEqual([['summary', 3], ['single', undefined], ['single', undefined]]);
    expect(r.gdpr.recipients.map((x: { name: string }) => x.name)).not.toContain('警視庁 丸の内警察署');
    const hipaa = await cli(l, 'report', '--subject', 'C-1001', '--regime', 'hipaa', '--as-of', asOf);
    expect(hipaa.out).toMatch(/Accounting of disclosures \(since 2020-11-20\)/);
    expect(hipaa.out).toMatch(/2026-05-01 – 2026-06-30 .*3 disclosures, about every 30 days/);
    expect(hipaa.out).not.toMatch(/APPI|GDPR/);
    const md = await cli(l, 'report', '--subject', 'C-1001', '--regime', 'appi', '--format', 'markdown', '--as-of', asOf);
    expect(md.out).toMatch(/^# Disclosures about C-1001/);
    expect(md.out).not.toMatch(/警視庁/);
    expect(md.out).toMatch(/_1 handover\(s\) to contractors/);
    expect((await cli(l, 'report', '--subject', 'C-NOPE')).code).toBe(2);
  });
});
