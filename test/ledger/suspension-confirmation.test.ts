import { main } from '../../cli/main';
import { subjectReportOf } from '../../domain/subject-report';
import { InputError, NotFoundError } from '../../service/errors';
import { confirmSuspensionInWriting } from '../../service/suspension';
import type { Ledger } from './backends';
import { sqliteBackend } from './backends';
import { INPUTS, legal } from './legal-scenario';

const backend = sqliteBackend();
let l: Ledger;

beforeAll(async () => {
  await backend.start();
  l = await backend.ledger();
  for (const input of INPUTS) await l.store.appendRecord(input, input.occurredAt);
});
afterAll(async () => {
  await l.dispose();
  await backend.stop();
});

const NOW = new Date('2026-10-20T00:00:00.000Z');
const BETWEEN = new Date('2026-11-20T00:00:00.000Z'); // past the oral statement's 30 days (10-15 09:00Z), before its date
const accounted = async (now: Date) =>
  subjectReportOf('C-1001', await l.store.listRecords({ subjectId: 'C-1001' }), { now, regimes: ['hipaa'] }).hipaa!.entries.map((e) => (e.type === 'single' ? e.recordId : 'summary'));
const confirm = (data: Record<string, unknown>, now = NOW) => confirmSuspensionInWriting(l.store, now, { by: 'staff:sato', ...data });

describe('a later written confirmation of an oral accounting suspension (164.528(a)(2)(ii))', () => {
  test('given the oral suspension of D-4 (stated 09-15 09:00Z, until 2027-03-31 JST), when confirmed in writing on 10-01 JST, then it holds past the lapse until its date', async () => {
    expect(await accounted(BETWEEN)).toEqual(['R-00000001', 'R-00000002', 'R-00000004', 'R-00000005']);
    const { record, created } = await confirm({ disclosureId: 'D-4', writtenAt: '2026-10-01' });
    expect(created).toBe(true);
    expect(record).toMatchObject({
      entryType: 'correction',
      corrects: 'R-00000004',
      disclosureId: 'D-4',
      requestedBy: 'staff:sato',
      occurredAt: '2026-09-15T10:00:00.000Z',
      items: ['name', 'phone'],
      details: { suspensionForm: 'oral', suspensionConfirmedInWritingAt: '2026-09-30T15:00:00.000Z', suspendedUntil: '2027-03-31T00:00:00+09:00' },
    });
    expect(await accounted(BETWEEN)).toEqual(['R-00000001', 'R-00000002', 'R-00000005']);
    expect(await accounted(new Date('2027-03-30T14:59:59.000Z'))).toEqual(['R-00000001', 'R-00000002', 'R-00000005']);
    expect(await accounted(new Date('2027-03-30T15:00:00.000Z'))).toEqual(['R-00000001', 'R-00000002', 'R-00000004', 'R-00000005']);
  });

  test('a second confirmation, a written suspension, a disclosure without one, and an unknown id are refused and write nothing', async () => {
    const before = (await l.store.listRecords()).length;
    await expect(confirm({ disclosureId: 'D-4', writtenAt: '2026-10-02' })).rejects.toThrow(/already confirmed in writing at 2026-09-30T15:00:00.000Z/);
    await expect(confirm({ disclosureId: 'D-3', writtenAt: '2026-10-02' })).rejects.toThrow(/made in writing/);
    await expect(confirm({ disclosureId: 'D-5', writtenAt: '2026-10-02' })).rejects.toThrow(/no accounting suspension/);
    await expect(confirm({ disclosureId: 'D-999', writtenAt: '2026-10-02' })).rejects.toThrow(NotFoundError);
    await expect(confirm({ disclosureId: 'D-4', writtenAt: 'soon' })).rejects.toThrow(InputError);
    expect((await l.store.listRecords()).length).toBe(before);
  });

  test('a written statement after the 30 days, before the oral one, or in the future is not a confirmation', async () => {
    await l.store.appendRecord(
      legal(6, { items: ['name'], occurredAt: '2026-09-20T10:00:00.000Z' }, 'inquiry', {
        notice: 'allowed',
        suspendedBy: '丸の内警察署',
        suspendedUntil: '2027-01-31T00:00:00+09:00',
        suspensionForm: 'oral',
        suspensionStatedAt: '2026-09-20T09:00:00.000Z',
      }),
      '2026-09-20T10:00:00.000Z',
    );
    const before = (await l.store.listRecords()).length;
    await expect(confirm({ disclosureId: 'D-6', writtenAt: '2026-10-20T09:00:01Z' }, new Date('2026-10-21T00:00:00Z'))).rejects.toThrow(/lapsed at 2026-10-20T09:00:00.000Z/);
    await expect(confirm({ disclosureId: 'D-6', writtenAt: '2026-09-19' })).rejects.toThrow(/before the oral statement/);
    await expect(confirm({ disclosureId: 'D-6', writtenAt: '2026-10-19T00:00:00Z' }, new Date('2026-10-18T00:00:00Z'))).rejects.toThrow(/in the future/);
    expect((await l.store.listRecords()).length).toBe(before);
    const exactly = await confirm({ disclosureId: 'D-6', writtenAt: '2026-10-20T09:00:00Z' }, new Date('2026-10-21T00:00:00Z'));
    expect(exactly.record.details).toMatchObject({ suspensionConfirmedInWritingAt: '2026-10-20T09:00:00.000Z' });
  });

  test('disclosure suspension confirm: bad input exits 2 naming the field; nothing is written', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), env: { DISCLOSURE_HOME: l.home, DISCLOSURE_DB: l.database } };
    const before = (await l.store.listRecords()).length;
    expect(await main(['suspension', 'confirm', 'D-3', '--written-at', '2026-10-02', '--by', 'staff:sato'], io)).toBe(2);
    expect(out.join('\n')).toContain('made in writing');
    expect(await main(['suspension', 'confirm', 'D-4', '--by', 'staff:sato'], io)).toBe(2);
    expect((await l.store.listRecords()).length).toBe(before);
  });
});
