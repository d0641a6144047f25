import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Policy, selectFields } from '../../domain/policy';

const policy = Policy.parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8')));
const dealer = policy.kinds['dealer-catalog']!;

describe('minimum fields for a dealer catalog request', () => {
  test('given email contact and digital handover, then only name and email', () => {
    expect(selectFields(dealer, 'catalog-request', { contact: 'email', handover: 'digital' })).toEqual({ ok: true, fields: ['name', 'email'] });
  });

  test('given phone contact and in-person handover, then name, phone, postal code and address', () => {
    expect(selectFields(dealer, 'catalog-request', { contact: 'phone', handover: 'in-person' })).toEqual({
      ok: true,
      fields: ['name', 'phone', 'postalCode', 'address'],
    });
  });

  test('an unchosen or unknown option is an error, never a wider default', () => {
    expect(selectFields(dealer, 'catalog-request', { contact: 'email' })).toMatchObject({ ok: false, code: 'bad-option' });
    expect(selectFields(dealer, 'catalog-request', { contact: 'fax', handover: 'digital' })).toMatchObject({ ok: false, code: 'bad-option' });
  });

  test('an unknown purpose is refused', () => {
    expect(selectFields(dealer, 'marketing', {})).toMatchObject({ ok: false, code: 'unknown-purpose' });
  });

  test('birth date and gender are never sent to a dealer whatever the options say', () => {
    for (const contact of ['email', 'phone']) {
      for (const handover of ['digital', 'in-person']) {
        const r = selectFields(dealer, 'catalog-request', { contact, handover });
        expect(r.ok && r.fields).not.toContain('birthDate');
        expect(r.ok && r.fields).not.toContain('gender');
      }
    }
  });
});

describe('the policy file is checked when loaded', () => {
  test('a purpose that allows a field it also lists under never is rejected', () => {
    const broken = structuredClone(JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8')));
    broken.kinds['dealer-catalog'].purposes['catalog-request'].fields.push('birthDate');
    const parsed = Policy.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/birthDate.*never/);
  });

  test('an unknown field name is rejected', () => {
    const broken = structuredClone(JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8')));
    broken.kinds['dealer-catalog'].purposes['catalog-request'].fields.push('creditCard');
    expect(Policy.safeParse(broken).success).toBe(false);
  });
});

describe('purpose statements', () => {
  test('every purpose of every kind states itself in Japanese and in English, apart from its key', () => {
    const purposes = Object.values(policy.kinds).flatMap((k) => Object.entries(k!.purposes));
    expect(purposes.length).toBeGreaterThanOrEqual(8);
    for (const [key, p] of purposes) {
      expect(p.statement.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(p.statement.en).toMatch(/^[\x20-\x7e]+$/);
      expect([p.statement.ja, p.statement.en]).not.toContain(key);
    }
  });

  test('a purpose without a statement makes the policy invalid', () => {
    const raw = JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8'));
    delete raw.kinds.shipping.purposes.delivery.statement;
    const parsed = Policy.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('statement');
  });
});
