import { checkEntrustee } from '../../domain/entrustment';
import type { KindRule, PolicySlice } from '../../domain/policy';
import type { Contract, RecipientSnapshot } from '../../domain/registry';
import { shippingOptions } from '../../domain/shipping';

const rule: KindRule = {
  recipientKind: 'carrier',
  bases: ['entrustment'],
  purposes: { delivery: { statement: { ja: 'd', en: 'd' }, fields: ['name'], options: {}, never: [] } },
  recipientOptions: { 'R-COOL': { phone: 'required' } },
};
const policy: PolicySlice = {
  version: 'v',
  digest: 'sha256:x',
  provider: { name: 'p', address: 'a', representative: { title: 't', name: 'r' }, acquisition: 'q', contact: { name: 'c', email: 'c@x.test' } },
  supervisionWindowDays: 180,
  kind: 'shipping',
  rule,
};
const carrier: RecipientSnapshot = { id: 'R-C', kind: 'carrier', name: '運輸', address: '東京', email: 'c@carrier.test' };
const contract: Contract = { id: 'K-1', validFrom: '2026-01-01', validTo: '2026-12-31', instructions: '配送のみ', lastSupervisionCheck: '2026-10-01' };
const now = new Date('2026-11-24T00:00:00Z');

describe('may this entrustee receive the data', () => {
  test('given a contract in force and supervised, the basis names the contract and its instructions', () => {
    expect(checkEntrustee(policy, carrier, contract, now, 'Asia/Tokyo')).toEqual({
      ok: true,
      basis: { type: 'entrustment', contractId: 'K-1', instructions: '配送のみ', validTo: '2026-12-31', lastSupervisionCheck: '2026-10-01' },
    });
  });

  test.each([
    ['no contract', undefined, 'contract-missing'],
    ['an expired contract', { ...contract, validTo: '2026-11-23' }, 'contract-not-in-force'],
    ['an overdue supervision check', { ...contract, lastSupervisionCheck: '2026-05-01' }, 'supervision-overdue'],
  ])('%s is refused', (_name, c, code) => {
    const decision = checkEntrustee(policy, carrier, c, now, 'Asia/Tokyo');
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.refusal.code).toBe(code);
  });

  test('a recipient of another kind, or a policy without entrustment for the kind, is refused', () => {
    const dealer = { ...carrier, kind: 'dealer' as const };
    expect(checkEntrustee(policy, dealer, contract, now, 'Asia/Tokyo')).toMatchObject({ ok: false, refusal: { code: 'recipient-wrong-kind' } });
    const consentOnly = { ...policy, rule: { ...rule, bases: ['consent' as const] } };
    expect(checkEntrustee(consentOnly, carrier, contract, now, 'Asia/Tokyo')).toMatchObject({ ok: false, refusal: { code: 'basis-not-allowed' } });
  });
});

describe('carrier options', () => {
  test('a carrier the policy does not name gets no phone; one it names does', () => {
    expect(shippingOptions(rule, 'R-C')).toEqual({ phone: 'not-required' });
    expect(shippingOptions(rule, 'R-COOL')).toEqual({ phone: 'required' });
  });
});
