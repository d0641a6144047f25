import { suspended, suspensionEnds } from '../../domain/legal-notice';
import type { DisclosureRecord, DisclosureRecordInput } from '../../domain/record';
import type { RecipientSnapshot } from '../../domain/registry';
import { fireDept, INPUTS, legal } from '../ledger/legal-scenario';
import { subjectReportOf } from '../../domain/subject-report';
import { buildRecord, GENESIS_HASH } from '../../store/chain';
import { recordInput } from '../ledger/records';

function ledger(inputs: DisclosureRecordInput[]): DisclosureRecord[] {
  const out: DisclosureRecord[] = [];
  for (const input of inputs) out.push(buildRecord(input, out.length + 1, input.occurredAt, out[out.length - 1]?.hash ?? GENESIS_HASH));
  return out;
}

const BEFORE = new Date('2026-10-10T00:00:00.000Z'); // every legal date ahead; the oral suspension still holds
const BETWEEN = new Date('2026-11-20T00:00:00.000Z'); // the oral suspension has lapsed; notice still deferred
const AFTER = new Date('2027-07-01T00:00:00.000Z'); // deferral and written suspension both over

const report = (now: Date, listLegalDisclosures = false, inputs = INPUTS) =>
  subjectReportOf('C-1001', ledger(inputs), { now, rule: { appi: { listLegalDisclosures } } });

describe('APPI Art. 33(5) view of a customer with a prohibited, a deferred and an allowed legal disclosure', () => {
  test('by default only the consented provision is listed, at every date; the entrustment is counted as not a provision; no legal disclosure leaves a trace', () => {
    for (const now of [BEFORE, BETWEEN, AFTER]) {
      const v = report(now).appi!;
      expect(v.entries.map((e) => e.recordId)).toEqual(['R-00000001']);
      expect(v.entrustmentsNotListed).toBe(1);
      expect(JSON.stringify(v)).not.toMatch(/警視庁|消防庁|DOC-/);
    }
  });

  test('when the policy lists Art. 27(1) disclosures: the allowed one at once, the deferred one only after its date, the prohibited one never', () => {
    const ids = (now: Date) => report(now, true).appi!.entries.map((e) => [e.recordId, e.recipient.name, e.exempt]);
    const fire = ['R-00000005', '東京消防庁', 'APPI Art. 27(1)(ii) (protection of life, body or property): exempt from the Art. 29 record duty'];
    const inquiry = ['R-00000004', '警視庁 丸の内警察署', 'APPI Art. 27(1)(iv) (cooperation with a public body): exempt from the Art. 29 record duty'];
    expect(ids(BEFORE)).toEqual([['R-00000001', '東京トヨペット株式会社 千代田店', undefined], fire]);
    expect(ids(BETWEEN)).toEqual([['R-00000001', '東京トヨペット株式会社 千代田店', undefined], fire]);
    expect(ids(new Date('2027-03-30T14:59:59.000Z'))).toEqual([['R-00000001', '東京トヨペット株式会社 千代田店', undefined], fire]);
    expect(ids(new Date('2027-03-30T15:00:00.000Z'))).toEqual([['R-00000001', '東京トヨペット株式会社 千代田店', undefined], inquiry, fire]);
    expect(ids(AFTER)).toEqual([['R-00000001', '東京トヨペット株式会社 千代田店', undefined], inquiry, fire]);
  });
});

describe('HIPAA-style accounting honours the agency suspension (164.528(a)(2))', () => {
  const listed = (now: Date, inputs = INPUTS) =>
    report(now, false, inputs).hipaa!.entries.map((e) => (e.type === 'single' ? [e.recordId, e.recipient.name, e.description] : ['summary']));

  test('before: both suspended disclosures are out, the allowed emergency release is in', () => {
    expect(listed(BEFORE)).toEqual([
      ['R-00000001', '東京トヨペット株式会社 千代田店', ['name', 'email']],
      ['R-00000002', '日本運輸株式会社', ['name', 'postalCode', 'address']],
      ['R-00000005', '東京消防庁', ['name', 'phone']],
    ]);
  });

  test('an oral suspension lapses 30 days after the statement: the inquiry is listed from then on, the written one still holds', () => {
    expect(listed(new Date('2026-10-15T08:59:59.000Z')).map((e) => e[0])).toEqual(['R-00000001', 'R-00000002', 'R-00000005']);
    expect(listed(new Date('2026-10-15T09:00:00.000Z')).map((e) => e[0])).toEqual(['R-00000001', 'R-00000002', 'R-00000004', 'R-00000005']);
    expect(listed(BETWEEN).map((e) => e[0])).toEqual(['R-00000001', 'R-00000002', 'R-00000004', 'R-00000005']);
  });

  test('an oral suspension confirmed in writing within the 30 days holds to its date', () => {
    const confirmed = INPUTS.map((r) =>
      r.disclosureId === 'D-4' ? { ...r, details: { ...r.details, suspensionConfirmedInWritingAt: '2026-10-01T00:00:00.000Z' } } : r,
    );
    expect(listed(BETWEEN, confirmed).map((e) => e[0])).toEqual(['R-00000001', 'R-00000002', 'R-00000005']);
    expect(listed(new Date('2027-03-30T15:00:00.000Z'), confirmed).map((e) => e[0])).toEqual(['R-00000001', 'R-00000002', 'R-00000004', 'R-00000005']);
  });

  test('after the written suspension ends every disclosure is accounted for', () => {
    expect(listed(new Date('2027-06-29T14:59:59.000Z')).map((e) => e[0])).not.toContain('R-00000003');
    expect(listed(AFTER)).toEqual([
      ['R-00000001', '東京トヨペット株式会社 千代田店', ['name', 'email']],
      ['R-00000002', '日本運輸株式会社', ['name', 'postalCode', 'address']],
      ['R-00000003', '警視庁 丸の内警察署', ['name', 'address']],
      ['R-00000004', '警視庁 丸の内警察署', ['name', 'phone']],
      ['R-00000005', '東京消防庁', ['name', 'phone']],
    ]);
  });

  test('suspension arithmetic: written holds to its date; oral to 30 days unless confirmed in time', () => {
    const oral = { agency: 'x', until: '2027-01-31T00:00:00.000Z', form: 'oral' as const, statedAt: '2026-12-01T00:00:00.000Z' };
    expect(suspensionEnds({ ...oral, form: 'written' })).toBe('2027-01-31T00:00:00.000Z');
    expect(suspensionEnds(oral)).toBe('2026-12-31T00:00:00.000Z');
    expect(suspensionEnds({ ...oral, confirmedInWritingAt: '2026-12-30T00:00:00.000Z' })).toBe('2027-01-31T00:00:00.000Z');
    expect(suspensionEnds({ ...oral, confirmedInWritingAt: '2027-01-05T00:00:00.000Z' })).toBe('2026-12-31T00:00:00.000Z');
    expect(suspensionEnds({ ...oral, until: '2026-12-10T00:00:00.000Z' })).toBe('2026-12-10T00:00:00.000Z');
    expect(suspended(undefined, new Date())).toBe(false);
  });
});

describe('GDPR Art. 15(1)(c): authorities in an inquiry are never recipients; Art. 23 restrictions honoured', () => {
  const names = (now: Date, inputs = INPUTS) => report(now, false, inputs).gdpr!.recipients.map((r) => [r.name, r.role]);

  test('the police are never listed, before or after the dates; the allowed emergency recipient is', () => {
    for (const now of [BEFORE, BETWEEN, AFTER]) {
      expect(names(now)).toEqual([
        ['東京トヨペット株式会社 千代田店', 'controller'],
        ['日本運輸株式会社', 'processor'],
        ['東京消防庁', 'controller'],
      ]);
    }
  });

  test('an emergency recipient under a restriction: the deferred one appears after its date, the prohibited one never', () => {
    const hospital: RecipientSnapshot = { ...fireDept, id: 'R-HOSP-1', name: '都立中央病院' };
    const restricted = [
      recordInput(1, { occurredAt: '2026-08-01T10:00:00.000Z' }),
      legal(2, { recipient: fireDept, items: ['name'], occurredAt: '2026-09-01T10:00:00.000Z' }, 'emergency', { notice: 'prohibited' }),
      legal(3, { recipient: hospital, items: ['name'], occurredAt: '2026-09-02T10:00:00.000Z' }, 'emergency', {
        notice: 'deferred until 2027-03-31T00:00:00+09:00',
      }),
      legal(4, { recipient: hospital, items: ['phone'], occurredAt: '2026-09-03T10:00:00.000Z' }, 'emergency', { notice: 'garbled' }),
    ];
    expect(names(BETWEEN, restricted)).toEqual([['東京トヨペット株式会社 千代田店', 'controller']]);
    const after = report(AFTER, false, restricted).gdpr!;
    expect(after.recipients.map((r) => [r.name, r.items, r.count])).toEqual([
      ['東京トヨペット株式会社 千代田店', ['name', 'email'], 1],
      ['都立中央病院', ['name'], 1],
    ]);
    expect(after.categories).toEqual(['car dealers', 'public bodies and emergency services (protection of life, body or property)']);
  });
});

describe('purposes in the views are statements people can read; the key stays alongside', () => {
  const statements = {
    'dealer-catalog': { 'dealer-catalog-request': { ja: 'カタログ送付のため', en: 'To send the catalog' } },
    legal: { emergency: { ja: '緊急の提供', en: 'Emergency disclosure' } },
  };

  test('the record’s own statement wins over the policy of today; the policy fills in older records; an unknown purpose shows its key', () => {
    const stamped = INPUTS.map((r) => (r.disclosureId === 'D-5' ? { ...r, purposeStatement: { ja: '当時の文言', en: 'words of the time' } } : r));
    const r = subjectReportOf('C-1001', ledger(stamped), { now: AFTER, statements, rule: { appi: { listLegalDisclosures: true } } });
    expect(r.hipaa!.entries.map((e) => [e.purposeKey, e.purpose])).toEqual([
      ['dealer-catalog-request', 'カタログ送付のため / To send the catalog'],
      ['delivery', 'delivery'],
      ['warrant', 'warrant'],
      ['inquiry', 'inquiry'],
      ['emergency', '当時の文言 / words of the time'],
    ]);
    expect(r.appi!.entries[0]).toMatchObject({ purpose: 'dealer-catalog-request', purposeStatement: { ja: 'カタログ送付のため' } });
    expect(r.gdpr!.recipients[0]!.purposes).toEqual(['カタログ送付のため / To send the catalog']);
  });
});
