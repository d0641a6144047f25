import { readFileSync } from 'node:fs';
import path from 'node:path';
import { art30RecordOf } from '../../domain/art30';
import type { Basis } from '../../domain/basis';
import type { HandoffPayload } from '../../domain/handoff';
import { renderHandoffText } from '../../domain/handoff';
import { Policy } from '../../domain/policy';
import { dealer } from '../ledger/records';

const policy = Policy.parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8')));
const consent: Basis = { type: 'consent', consentId: 'CN-000007', noticeVersion: 'notice-2026-04', channel: 'web-form', grantedAt: '2026-04-01T00:00:00.000Z' };

const payload = (basis: Basis): HandoffPayload => {
  const p: HandoffPayload = {
    disclosureId: 'D-1',
    kind: 'dealer-catalog',
    purpose: 'catalog-request',
    issuedAt: '2026-12-01T01:02:03.000Z',
    provider: policy.provider,
    recipient: dealer,
    basis,
    items: ['name', 'email'],
    subjects: [{ name: '山田 花子', email: 'hanako@example.jp' }],
    details: {},
  };
  const art30Record = art30RecordOf(p);
  return art30Record === undefined ? p : { ...p, art30Record };
};

describe('APPI Art. 30 in the handoff', () => {
  test('the policy names the provider’s representative by title and name', () => {
    expect(policy.provider.representative).toEqual({ title: '代表取締役社長', name: expect.stringMatching(/\S+ \S+/) });
  });

  test('the message lists every Art. 30(1) confirmation item: name, address, representative’s title and name, how the data was obtained', () => {
    const text = renderHandoffText(payload(consent));
    expect(text).toContain(`第1号 名称 / Name: ${policy.provider.name}`);
    expect(text).toContain(`第1号 住所 / Address: ${policy.provider.address}`);
    expect(text).toContain(`第1号 代表者の氏名 / Representative: 代表取締役社長 ${policy.provider.representative.name}`);
    expect(text).toContain(`第2号 取得の経緯 / How the provider obtained the data: ${policy.provider.acquisition}`);
    expect(text).not.toContain('[object Object]');
    expect(text).toContain('"art30Record"');
  });

  test('a provision on consent carries the recipient’s Art. 30(3) record, ready to file', () => {
    expect(payload(consent).art30Record).toEqual({
      basis: 'APPI Art. 30(3); Enforcement Rules Art. 24',
      receivedOn: '2026-12-01',
      provider: { name: policy.provider.name, address: policy.provider.address, representative: policy.provider.representative },
      acquisition: policy.provider.acquisition,
      subjectIdentifiedBy: ['name'],
      items: ['name', 'email'],
      consent: {
        statement: expect.stringContaining('本人の同意を得ている（告知版 notice-2026-04、2026-04-01T00:00:00.000Z 取得）'),
        consentId: 'CN-000007',
        noticeVersion: 'notice-2026-04',
        grantedAt: '2026-04-01T00:00:00.000Z',
        channel: 'web-form',
      },
    });
  });

  test('an entrustment or a legal disclosure carries none: the contractor is not a third party, an Art. 27(1) disclosure has no record duty', () => {
    const entrusted = payload({ type: 'entrustment', contractId: 'K-1', instructions: 'x', validTo: '2027-12-31', lastSupervisionCheck: '2026-10-01' });
    const legal = payload({ type: 'legal', ground: 'warrant', documentRef: 'W-1', authorityVerification: 'callback' });
    for (const p of [entrusted, legal]) {
      expect(p.art30Record).toBeUndefined();
      expect(renderHandoffText(p)).not.toContain('art30Record');
    }
  });
});
