import { main } from '../../cli/main';
import { formatBilingual, formatForPeople } from '../../domain/dates';
import type { DisclosureRecord, DisclosureRecordInput } from '../../domain/record';
import type { Recipient } from '../../domain/registry';
import { cliEnv } from '../support/cli';
import { parseCsv } from '../support/csv';
import { dealerTokyo, hanako } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { waitForMessages } from '../support/mailbox';
import { consentedCatalogRequest } from '../support/requests';
import { recordInput } from '../ledger/records';
import { police } from '../ledger/scenario';

let h: Harness;

/** The `disclosure` command against the harness, with extra settings; stdout exactly as written. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(`${t}\n`), write: (t) => out.push(t), stderr: (t) => err.push(t), env: { ...cliEnv(h), ...env } });
  return { code, stdout: out.join(''), stderr: err.join('\n') };
}
const json = async <T = Record<string, unknown>>(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<T> => {
  const run = await cli([...argv, '--json'], env);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
};
const ids = (records: DisclosureRecord[]) => records.map((r) => r.disclosureId);

/** A CSV as the CLI printed it: BOM first, CRLF only, then read back with csv-parse. */
function readCsv(stdout: string): string[][] {
  expect(stdout.startsWith('\uFEFF')).toBe(true);
  expect(stdout.endsWith('\r\n')).toBe(true);
  expect(stdout).not.toMatch(/[^\r]\n/);
  return parseCsv(stdout.slice(1));
}
const column = (rows: string[][], name: string): string[] => {
  const i = rows[0]!.indexOf(name);
  expect(i).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((r) => r[i]!);
};

const formulaDealer: Recipient = { ...dealerTokyo, id: 'R-DEALER-FORMULA', name: '=HYPERLINK("http://x","y")', email: 'formula@dealer.test' };

// Around midnight JST (15:00Z): 23:59 JST on 31 March, 00:00 and 23:59 JST on 1 April, 00:00 JST on 2 April.
const MIDNIGHT: [string, string][] = [
  ['D-MID-A', '2026-03-31T14:59:59.999Z'],
  ['D-MID-B', '2026-03-31T15:00:00.000Z'],
  ['D-MID-C', '2026-04-01T14:59:00.000Z'],
  ['D-MID-D', '2026-04-01T15:00:00.000Z'],
];
const at = (disclosureId: string, occurredAt: string, over: Partial<DisclosureRecordInput> = {}): DisclosureRecordInput => ({
  ...recordInput(1, { idempotencyKey: disclosureId, disclosureId, workflowId: `wf-${disclosureId}`, subjectIds: ['C-MIDNIGHT'], occurredAt }),
  ...over,
});
const legalAt = (disclosureId: string, occurredAt: string): DisclosureRecordInput =>
  at(disclosureId, occurredAt, {
    kind: 'legal',
    recipient: police,
    purpose: 'inquiry',
    subjectIds: ['C-LEGAL'],
    basis: { type: 'legal', ground: 'inquiry', documentRef: `照会-${disclosureId}`, authorityVerification: '代表番号へ架電' },
    items: ['name'],
    requestedItems: ['name', 'phone'],
  });

let delivered: string;

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako]);
  await h.store.putRecipients([dealerTokyo, formulaDealer]);
  delivered = (await consentedCatalogRequest(h)).id;
  for (const [id, when] of MIDNIGHT) await h.store.appendRecord(at(id, when), new Date().toISOString());
  await h.store.appendRecord(at('D-FORMULA', '2026-05-01T01:00:00.000Z', { recipient: formulaDealer, subjectIds: ['C-FORMULA'] }), new Date().toISOString());
  // 08:00 JST on 1 April (still 31 March in UTC), and 23:00 JST on 31 March.
  await h.store.appendRecord(legalAt('D-LEGAL-APRIL', '2026-03-31T23:00:00.000Z'), new Date().toISOString());
  await h.store.appendRecord(legalAt('D-LEGAL-MARCH', '2026-03-31T14:00:00.000Z'), new Date().toISOString());
});
afterAll(() => h.stop());

describe('dates for people in DISCLOSURE_TIMEZONE (Asia/Tokyo by default)', () => {
  test("the dealer's mail shows local time with the zone in both forms; its JSON attachment keeps ISO 8601", async () => {
    const [mail] = await waitForMessages(h.catcher.mailboxDir, dealerTokyo.email, 1);
    const attached = mail!.attachments.find((a) => a.filename === 'handoff.json');
    const payload = JSON.parse(attached!.content.toString('utf8')) as { issuedAt: string; basis: { grantedAt: string } };
    expect(payload.issuedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(mail!.text).toContain(`提供日 / Date: ${formatBilingual(payload.issuedAt, 'Asia/Tokyo')}`);
    expect(mail!.text).toMatch(/提供日 \/ Date: \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d JST \/ \d{4}-\d\d-\d\d \d\d:\d\d JST/);
    expect(mail!.text).toContain(formatForPeople(payload.basis.grantedAt, 'ja', 'Asia/Tokyo'));
    expect(mail!.text).not.toContain(payload.issuedAt);
    expect(mail!.text).not.toContain(payload.basis.grantedAt);
  });

  test('records and handoffs print local time with the zone; --json keeps ISO 8601; another zone shows its own time', async () => {
    const [record] = (await json<{ records: DisclosureRecord[] }>(['records', '--subject', hanako.id])).records;
    expect(record!.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const text = await cli(['records', '--subject', hanako.id]);
    expect(text.stdout).toContain(`${record!.recordId}  ${formatForPeople(record!.occurredAt, 'en', 'Asia/Tokyo')}  `);
    expect(text.stdout).not.toContain(record!.occurredAt);
    const handoffs = await cli(['handoffs']);
    expect(handoffs.stdout).toMatch(new RegExp(`${delivered}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d JST  dealer-catalog`));
    const utc = await cli(['records', '--subject', hanako.id], { DISCLOSURE_TIMEZONE: 'UTC' });
    expect(utc.stdout).toContain(formatForPeople(record!.occurredAt, 'en', 'UTC'));
    expect(utc.stdout).toMatch(/ UTC /);
  });

  test('a zone that does not exist, or an abbreviation, stops the command before it starts: exit 2 naming DISCLOSURE_TIMEZONE', async () => {
    for (const zone of ['Mars/Olympus', 'JST']) {
      const run = await cli(['records', '--json'], { DISCLOSURE_TIMEZONE: zone });
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('DISCLOSURE_TIMEZONE');
      expect(run.stdout).not.toMatch(/\n\s+at /);
    }
  });
});

describe('date-only inputs are days in the zone, around midnight JST', () => {
  test('records --from/--to 2026-04-01 holds 00:00 to 23:59 JST: not 23:59 JST the day before, nor 00:00 JST the day after', async () => {
    const day = await json<{ records: DisclosureRecord[] }>(['records', '--subject', 'C-MIDNIGHT', '--from', '2026-04-01', '--to', '2026-04-01']);
    expect(ids(day.records)).toEqual(['D-MID-B', 'D-MID-C']);
    const older = await json<{ records: DisclosureRecord[] }>(['records', '--subject', 'C-MIDNIGHT', '--since', '2026-04-01', '--until', '2026-04-01']);
    expect(ids(older.records)).toEqual(['D-MID-B', 'D-MID-C']);
    const utc = await json<{ records: DisclosureRecord[] }>(['records', '--subject', 'C-MIDNIGHT', '--from', '2026-03-31', '--to', '2026-03-31'], { DISCLOSURE_TIMEZONE: 'UTC' });
    expect(ids(utc.records)).toEqual(['D-MID-A', 'D-MID-B']);
    const both = await cli(['records', '--from', '2026-04-01', '--since', '2026-04-01', '--json']);
    expect(both.code).toBe(2);
    expect(both.stdout).toContain('--from');
  });

  test('retention counts from the day in the zone: 00:00 JST on 1 April keeps until 2032-04-01, 23:59 JST the day before until 2032-03-31', async () => {
    const { records } = await json<{ records: DisclosureRecord[] }>(['records', '--subject', 'C-MIDNIGHT']);
    const until = Object.fromEntries(records.map((r) => [r.disclosureId, r.retention]));
    expect(until['D-MID-A']).toMatchObject({ appiUntil: '2029-03-31', hipaaUntil: '2032-03-31' });
    expect(until['D-MID-B']).toMatchObject({ appiUntil: '2029-04-01', hipaaUntil: '2032-04-01' });
    const purgeable = await json<{ purgeable: { record: DisclosureRecord }[] }>(['records', '--subject', 'C-MIDNIGHT', '--purgeable', '--as-of', '2032-04-01']);
    expect(purgeable.purgeable.map((p) => p.record.disclosureId)).toEqual(['D-MID-A']);
  });

  test("the HIPAA-style look-back's 6 years are days in the zone: as of 00:30 JST on 1 April 2032 it starts at 00:00 JST on 1 April 2026", async () => {
    const { records } = await json<{ records: DisclosureRecord[] }>(['records', '--subject', 'C-MIDNIGHT']);
    const recordId = Object.fromEntries(records.map((r) => [r.disclosureId, r.recordId]));
    const r = await json<{ hipaa: { since: string; entries: { recordId?: string; recordIds?: string[] }[] } }>(['report', '--subject', 'C-MIDNIGHT', '--regime', 'hipaa', '--as-of', '2032-04-01T00:30:00+09:00']);
    expect(r.hipaa.since).toBe('2026-04-01');
    const listed = r.hipaa.entries.flatMap((e) => e.recordIds ?? [e.recordId!]);
    expect(listed).toEqual(expect.arrayContaining([recordId['D-MID-B'], recordId['D-MID-C'], recordId['D-MID-D']]));
    expect(listed).not.toContain(recordId['D-MID-A']);
  });

  test('transparency: a request at 08:00 JST on 1 April (31 March in UTC) counts in April and Q2; 23:00 JST on 31 March in Q1', async () => {
    const q2 = await json<{ total: number; byMonth: Record<string, number>; byQuarter: Record<string, number> }>(['report', 'transparency', '--from', '2026-04-01', '--to', '2026-06-30']);
    expect(q2).toMatchObject({ total: 1, byMonth: { '2026-04': 1 }, byQuarter: { '2026-Q2': 1 } });
    const q1 = await json<{ total: number; byQuarter: Record<string, number> }>(['report', 'transparency', '--from', '2026-01-01', '--to', '2026-03-31']);
    expect(q1).toMatchObject({ total: 1, byQuarter: { '2026-Q1': 1 } });
    const all = await json<{ byQuarter: Record<string, number> }>(['report', 'transparency']);
    expect(all.byQuarter).toEqual({ '2026-Q1': 1, '2026-Q2': 1 });
    const text = await cli(['report', 'transparency']);
    expect(text.stdout).toContain('by quarter: 2026-Q1 1  2026-Q2 1');
  });
});

describe('CSV exports: UTF-8 with BOM, CRLF, formulas neutralised, read back with csv-parse', () => {
  test('records --format csv: a recipient named =HYPERLINK(…) is text; moments are ISO 8601 with +09:00', async () => {
    const run = await cli(['records', '--recipient', formulaDealer.id, '--format', 'csv']);
    expect(run.code).toBe(0);
    const rows = readCsv(run.stdout);
    expect(rows[0]).toEqual(expect.arrayContaining(['recordId', 'occurredAt', 'disclosureId', 'recipientName', 'items', 'basisRef', 'retainUntil']));
    expect(rows).toHaveLength(2);
    expect(column(rows, 'recipientName')).toEqual(["'=HYPERLINK(\"http://x\",\"y\")"]);
    expect(column(rows, 'occurredAt')).toEqual(['2026-05-01T10:00:00.000+09:00']);
    expect(column(rows, 'items')).toEqual(['name email']);
    expect(run.stdout).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  test('records --format csv keeps the filters; --json still prints JSON; a bad format names the option', async () => {
    const rows = readCsv((await cli(['records', '--subject', 'C-MIDNIGHT', '--from', '2026-04-01', '--to', '2026-04-01', '--format', 'csv'])).stdout);
    expect(column(rows, 'disclosureId')).toEqual(['D-MID-B', 'D-MID-C']);
    expect(column(rows, 'occurredAt')).toEqual(['2026-04-01T00:00:00.000+09:00', '2026-04-01T23:59:00.000+09:00']);
    expect((await json<{ records: unknown[] }>(['records', '--subject', 'C-MIDNIGHT', '--format', 'csv'])).records).toHaveLength(4);
    const bad = await cli(['records', '--format', 'xlsx', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.issues[0].field).toBe('--format');
  });

  test('handoffs --format csv and report --format csv', async () => {
    const handoffs = readCsv((await cli(['handoffs', '--format', 'csv'])).stdout);
    expect(handoffs[0]).toEqual(['disclosureId', 'kind', 'recipientId', 'recipientName', 'items', 'deliveredAt', 'acknowledgedAt', 'recordId', 'messageId']);
    expect(column(handoffs, 'disclosureId')).toContain(delivered);
    for (const when of column(handoffs, 'deliveredAt')) expect(when).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+09:00$/);
    const none = readCsv((await cli(['handoffs', '--from', '2020-01-01', '--to', '2020-12-31', '--format', 'csv'])).stdout);
    expect(none).toHaveLength(1);

    const report = readCsv((await cli(['report', '--subject', hanako.id, '--format', 'csv'])).stdout);
    expect(report[0]!.slice(0, 2)).toEqual(['view', 'date']);
    const appi = report.filter((r) => r[0] === 'appi');
    expect(appi).toHaveLength(1);
    expect(appi[0]![1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d JST$/);
    expect(report.some((r) => r[0] === 'gdpr')).toBe(true);
    const text = await cli(['report', '--subject', hanako.id]);
    expect(text.stdout).toMatch(/as of \d{4}-\d\d-\d\d \d\d:\d\d JST/);
    const outside = readCsv((await cli(['report', '--subject', hanako.id, '--from', '2020-01-01', '--to', '2020-12-31', '--format', 'csv'])).stdout);
    expect(outside.filter((r) => r[0] === 'appi')).toEqual([]);
  });
});

// Last: the corrections it appends are about the same customer as the tests above.
describe('retention counted by the appending process', () => {
  test('a record appended by a command counts retention in that process\'s DISCLOSURE_TIMEZONE', async () => {
    const recordOf = (id: string) => records.find((r) => r.disclosureId === id)!.recordId;
    const { records } = await json<{ records: DisclosureRecord[] }>(['records', '--subject', 'C-MIDNIGHT']);
    const correct = (id: string, env: NodeJS.ProcessEnv) =>
      json<{ record: DisclosureRecord }>(['ledger', 'correct', recordOf(id), '--as', 'staff:ito', '--reason', 'the time was wrong', '--occurred-at', '2026-03-31T15:00:00.000Z'], env);
    expect((await correct('D-MID-C', {})).record.retention).toMatchObject({ retainUntil: '2032-04-01' });
    expect((await correct('D-MID-D', { DISCLOSURE_TIMEZONE: 'UTC' })).record.retention).toMatchObject({ retainUntil: '2032-03-31' });
  });
});
