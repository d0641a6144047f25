import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Policy, selectFields } from '../../domain/policy';

const policy = Policy.parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8')));

describe('the policy file for entrusted disclosures', () => {
  test('survey designs rest on entrustment and never release the birth date; only a visit design releases the address', () => {
    const survey = policy.kinds.survey!;
    expect(survey).toMatchObject({ recipientKind: 'survey-firm', bases: ['entrustment'] });
    for (const design of Object.keys(survey.purposes)) {
      const sel = selectFields(survey, design, {});
      expect(sel.ok && sel.fields).not.toContain('birthDate');
    }
    expect(selectFields(survey, 'customer-satisfaction', {})).toEqual({ ok: true, fields: ['name', 'email', 'vehicleModel'] });
    expect(selectFields(survey, 'home-visit-interview', {})).toMatchObject({ ok: true, fields: expect.arrayContaining(['address']) });
  });

  test('shipping sends name, postal code and address, and the phone only when chosen', () => {
    const shipping = policy.kinds.shipping!;
    expect(shipping).toMatchObject({ recipientKind: 'carrier', bases: ['entrustment'] });
    expect(selectFields(shipping, 'delivery', { phone: 'not-required' })).toEqual({ ok: true, fields: ['name', 'postalCode', 'address'] });
    expect(selectFields(shipping, 'delivery', { phone: 'required' })).toEqual({ ok: true, fields: ['name', 'phone', 'postalCode', 'address'] });
    expect(selectFields(shipping, 'delivery', {})).toMatchObject({ ok: false, code: 'bad-option' });
  });

  test('both kinds say when the entrustee must confirm deletion', () => {
    expect(policy.kinds.survey!.deletion).toEqual({ withinDays: 14, reminderEveryDays: 3, escalateAfterReminders: 2 });
    expect(policy.kinds.shipping!.deletion?.withinDays).toBeGreaterThan(0);
  });
});
