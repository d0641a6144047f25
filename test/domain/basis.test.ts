import { checkConsent, checkContract, checkRecipientKind } from '../../domain/basis';
import type { Consent, Contract } from '../../domain/registry';

const consent: Consent = {
  id: 'CN-1',
  subjectId: 'C-1',
  recipientId: 'R-D1',
  purpose: 'catalog-request',
  noticeVersion: 'n-2026-04',
  channel: 'web-form',
  grantedAt: '2026-11-01T09:00:00.000Z',
};
const request = { subjectId: 'C-1', recipientId: 'R-D1', purpose: 'catalog-request' };
const now = new Date('2026-11-24T10:00:00.000Z');

describe('consent as a basis', () => {
  test('given a matching consent, the basis names it with its notice version', () => {
    expect(checkConsent(consent, request, now)).toEqual({
      ok: true,
      basis: { type: 'consent', consentId: 'CN-1', noticeVersion: 'n-2026-04', channel: 'web-form', grantedAt: consent.grantedAt },
    });
  });

  test.each([
    ['no consent', undefined, request, 'consent-missing'],
    ['another customer', consent, { ...request, subjectId: 'C-2' }, 'consent-other-subject'],
    ['another dealer', consent, { ...request, recipientId: 'R-D2' }, 'consent-other-recipient'],
    ['another purpose', consent, { ...request, purpose: 'survey' }, 'consent-other-purpose'],
    ['withdrawn', { ...consent, withdrawnAt: '2026-11-20T00:00:00.000Z' }, request, 'consent-withdrawn'],
    ['dated in the future', { ...consent, grantedAt: '2026-12-01T00:00:00.000Z' }, request, 'consent-not-yet-given'],
  ])('%s is refused', (_label, c, req, code) => {
    const decision = checkConsent(c, req, now);
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.refusal.code).toBe(code);
  });

  test('clock skew attack: a withdrawal stamped later than this clock still removes the basis at once', () => {
    const decision = checkConsent({ ...consent, withdrawnAt: '2026-11-25T00:00:00.000Z' }, request, now);
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.refusal.code).toBe('consent-withdrawn');
  });
});

describe('an entrustment contract as a basis', () => {
  const contract: Contract = {
    id: 'K-1',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    instructions: '配送のためにのみ利用',
    lastSupervisionCheck: '2026-09-30',
  };

  test('in force with a recent supervision check', () => {
    expect(checkContract(contract, now, 180, 'Asia/Tokyo')).toMatchObject({ ok: true, basis: { type: 'entrustment', contractId: 'K-1' } });
  });

  test.each([
    ['missing', undefined, 'contract-missing'],
    ['expired', { ...contract, validTo: '2026-11-23' }, 'contract-not-in-force'],
    ['not yet valid', { ...contract, validFrom: '2026-11-25' }, 'contract-not-in-force'],
    ['supervision overdue', { ...contract, lastSupervisionCheck: '2026-05-01' }, 'supervision-overdue'],
  ])('%s is refused', (_label, c, code) => {
    const decision = checkContract(c, now, 180, 'Asia/Tokyo');
    expect(!decision.ok && decision.refusal.code).toBe(code);
  });

  test('the last day of the contract and of the supervision window still count', () => {
    expect(checkContract({ ...contract, validTo: '2026-11-24' }, now, 180, 'Asia/Tokyo').ok).toBe(true);
    expect(checkContract({ ...contract, lastSupervisionCheck: '2026-05-28' }, now, 180, 'Asia/Tokyo').ok).toBe(true);
    expect(checkContract({ ...contract, lastSupervisionCheck: '2026-05-27' }, now, 180, 'Asia/Tokyo').ok).toBe(false);
  });
});

describe('contract days are days in the engine zone (DISCLOSURE_TIMEZONE)', () => {
  const contract: Contract = { id: 'K-2', validFrom: '2026-04-01', validTo: '2026-12-31', instructions: '配送のみ', lastSupervisionCheck: '2026-10-01' };
  const at = (iso: string) => checkContract(contract, new Date(iso), 180, 'Asia/Tokyo');

  test('validTo is inclusive through 23:59 JST of that day and ends at 00:00 JST (15:00Z), not at 09:00 JST the next day', () => {
    expect(at('2026-12-31T14:59:59.999Z').ok).toBe(true); // 23:59:59 JST on 31 December
    const after = at('2026-12-31T15:00:00.000Z'); // 00:00 JST on 1 January, still 31 December in UTC
    expect(after.ok).toBe(false);
    expect(!after.ok && after.refusal).toMatchObject({ code: 'contract-not-in-force', message: expect.stringContaining('not on 2027-01-01 (Asia/Tokyo)') });
  });

  test('validFrom starts at 00:00 JST: 23:59 JST on 31 March is refused, 00:00 JST on 1 April (31 March in UTC) is in force', () => {
    expect(at('2026-03-31T14:59:00.000Z').ok).toBe(false); // 23:59 JST on 31 March
    expect(at('2026-03-31T15:00:00.000Z').ok).toBe(true); // 00:00 JST on 1 April, 31 March in UTC
  });

  test('in UTC the same instants fall on the other side', () => {
    expect(checkContract(contract, new Date('2026-12-31T15:00:00.000Z'), 180, 'UTC').ok).toBe(true);
    expect(checkContract(contract, new Date('2026-03-31T15:00:00.000Z'), 180, 'UTC').ok).toBe(false);
  });
});

test('a recipient of the wrong kind is refused', () => {
  expect(checkRecipientKind({ id: 'R-C1', kind: 'carrier' }, 'dealer')).toMatchObject({ code: 'recipient-wrong-kind' });
  expect(checkRecipientKind({ id: 'R-D1', kind: 'dealer' }, 'dealer')).toBeUndefined();
});
