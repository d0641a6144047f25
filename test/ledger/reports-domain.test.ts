import type { DisclosureRecord } from '../../domain/record';
import { appiView, effectiveDisclosures, gdprView, hipaaView } from '../../domain/reports';
import { activeHolds, addYears, appiRecordUntil, groupRetention, purgeDecision, retentionFor } from '../../domain/retention';
import { buildRecord, GENESIS_HASH } from '../../store/chain';
import { correctionOf } from './corrections';
import { REPORT_NOW, SCENARIO } from './scenario';

function ledgerOf(): DisclosureRecord[] {
  const out: DisclosureRecord[] = [];
  for (const input of [...SCENARIO, correctionOf(SCENARIO[1]!, 'R-00000002', ['name'])]) {
    out.push(buildRecord(input, out.length + 1, '2026-11-01T00:00:00.000Z', out[out.length - 1]?.hash ?? GENESIS_HASH));
  }
  return out.filter((r) => r.subjectIds.includes('C-1001'));
}

describe('retention dates', () => {
  test('a consent provision 3 years (Rules Art. 21(iii)) and HIPAA 6; an entrustment by its contract and HIPAA 6, no APPI date; a refused attempt 3 years; the latest wins', () => {
    expect(retentionFor(SCENARIO[0]!)).toEqual({
      appiUntil: '2029-05-01',
      appiRule: 'APPI Art. 29(2); Enforcement Rules Art. 21(iii)',
      contractUntil: undefined,
      hipaaUntil: '2032-05-01',
      retainUntil: '2032-05-01',
    });
    expect(retentionFor(SCENARIO[3]!)).toEqual({ appiUntil: undefined, appiRule: undefined, contractUntil: '2027-12-31', hipaaUntil: '2032-07-10', retainUntil: '2032-07-10' });
    expect(retentionFor(SCENARIO[4]!)).toMatchObject({ appiUntil: undefined, contractUntil: undefined, hipaaUntil: '2032-08-01', retainUntil: '2032-08-01' });
    expect(retentionFor(SCENARIO[5]!)).toEqual({ appiUntil: undefined, appiRule: undefined, contractUntil: undefined, hipaaUntil: undefined, retainUntil: '2029-09-01' });
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
  });

  test('by record method: the contract document 1 year, a collective record 3 years, both from the last provision of the group', () => {
    expect(appiRecordUntil('contract-document', '2026-05-01')).toEqual({ until: '2027-05-01', rule: 'APPI Art. 29(2); Enforcement Rules Art. 21(i)' });
    expect(appiRecordUntil('collective', '2026-05-01')).toEqual({ until: '2029-05-01', rule: 'APPI Art. 29(2); Enforcement Rules Art. 21(ii)' });
    const records = SCENARIO.slice(0, 4).map((r) => ({ ...r, retention: retentionFor(r) }));
    const byContract = groupRetention(records, 'contract-document');
    // three provisions to the Tokyo dealer under one consent, the last on 2026-06-30: 1 year from then for each
    expect(records.slice(0, 3).map((r) => byContract.get(r)!.appiUntil)).toEqual(['2027-06-30', '2027-06-30', '2027-06-30']);
    expect(records.slice(0, 3).map((r) => byContract.get(r)!.retainUntil)).toEqual(['2032-05-01', '2032-05-31', '2032-06-30']);
    expect(byContract.get(records[3]!)).toEqual(records[3]!.retention);
    const collective = groupRetention(records, 'collective');
    expect(records.slice(0, 3).map((r) => collective.get(r)!.appiUntil)).toEqual(['2029-06-30', '2029-06-30', '2029-06-30']);
    expect(collective.get(records[0]!)!.appiRule).toBe('APPI Art. 29(2); Enforcement Rules Art. 21(ii)');
  });

  test('a record may go after its date unless a hold on it or its customer is active', () => {
    const record = { recordId: 'R-00000006', subjectIds: ['C-1001'], retention: retentionFor(SCENARIO[5]!) };
    expect(purgeDecision(record, [], '2029-09-01').purgeable).toBe(false);
    expect(purgeDecision(record, [], '2029-09-02').purgeable).toBe(true);
    const holds = [
      { id: 'LH-000001', action: 'place' as const, scope: 'subject' as const, target: 'C-1001' },
      { id: 'LH-000002', action: 'place' as const, scope: 'record' as const, target: 'R-00000006' },
      { id: 'LH-000003', action: 'release' as const, scope: 'subject' as const, target: 'C-1001', releases: 'LH-000001' },
    ];
    expect(purgeDecision(record, activeHolds(holds.slice(0, 1)), '2030-01-01')).toEqual({ purgeable: false, retainUntil: '2029-09-01', heldBy: ['LH-000001'] });
    expect(purgeDecision(record, activeHolds(holds), '2030-01-01')).toMatchObject({ purgeable: false, heldBy: ['LH-000002'] });
    expect(purgeDecision(record, activeHolds([holds[0]!, holds[2]!]), '2030-01-01').purgeable).toBe(true);
  });
});

describe('one stored record, three views', () => {
  const disclosures = effectiveDisclosures(ledgerOf());

  test('APPI: third-party provisions with the correction applied; the police inquiry (no Art. 29 record) and the carrier not listed', () => {
    const v = appiView(disclosures, { now: REPORT_NOW });
    expect(v.entrustmentsNotListed).toBe(1);
    expect(v.entries.map((e) => [e.recordId, e.date.slice(0, 10), e.recipient.name, e.items, e.correctedBy, e.exempt])).toEqual([
      ['R-00000007', '2019-06-01', '大阪トヨタ自動車株式会社 梅田店', ['name', 'email'], undefined, undefined],
      ['R-00000001', '2026-05-01', '東京トヨペット株式会社 千代田店', ['name', 'email'], undefined, undefined],
      ['R-00000002', '2026-05-31', '東京トヨペット株式会社 千代田店', ['name'], 'R-00000009', undefined],
      ['R-00000003', '2026-06-30', '東京トヨペット株式会社 千代田店', ['name', 'email'], undefined, undefined],
    ]);
    expect(v.entries[1]).toMatchObject({ basis: 'consent CN-000001 (notice notice-2026-04)', recipient: { representative: '代表取締役 鈴木 一郎' } });
  });

  test('HIPAA-style accounting: 6-year look-back, repeats to one dealer summarised, police and carrier included', () => {
    const v = hipaaView(disclosures, REPORT_NOW);
    expect(v.since).toBe('2020-11-20');
    expect(v.entries).toEqual([
      {
        type: 'summary',
        recordIds: ['R-00000001', 'R-00000002', 'R-00000003'],
        recipient: { name: '東京トヨペット株式会社 千代田店', address: '東京都千代田区丸の内1-2-3' },
        description: ['name', 'email'],
        purpose: 'dealer-catalog-request',
        purposeKey: 'dealer-catalog-request',
        first: '2026-05-01T10:00:00.000Z',
        last: '2026-06-30T10:00:00.000Z',
        count: 3,
        everyDays: 30,
        frequency: '3 disclosures, about every 30 days',
      },
      { type: 'single', recordId: 'R-00000004', date: '2026-07-10T10:00:00.000Z', recipient: { name: '日本運輸株式会社', address: '東京都江東区新木場1-1' }, description: ['name', 'postalCode', 'address'], purpose: 'delivery of printed materials', purposeKey: 'delivery of printed materials' },
      { type: 'single', recordId: 'R-00000005', date: '2026-08-01T10:00:00.000Z', recipient: { name: '警視庁 丸の内警察署', address: '東京都千代田区有楽町1-9-1' }, description: ['name', 'phone'], purpose: 'police inquiry', purposeKey: 'police inquiry' },
    ]);
  });

  test('GDPR: dealers as controllers and the carrier as processor; the police is not a recipient', () => {
    const v = gdprView(disclosures, REPORT_NOW);
    expect(v.recipients.map((r) => [r.name, r.role, r.category, r.items, r.first.slice(0, 10), r.last.slice(0, 10), r.count])).toEqual([
      ['大阪トヨタ自動車株式会社 梅田店', 'controller', 'car dealers', ['name', 'email'], '2019-06-01', '2019-06-01', 1],
      ['東京トヨペット株式会社 千代田店', 'controller', 'car dealers', ['name', 'email'], '2026-05-01', '2026-06-30', 3],
      ['日本運輸株式会社', 'processor', 'shipping carriers', ['name', 'postalCode', 'address'], '2026-07-10', '2026-07-10', 1],
    ]);
    expect(v.categories).toEqual(['car dealers', 'shipping carriers']);
  });
});
