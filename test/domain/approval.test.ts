import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  approvalInputProblem,
  approvalWindowMs,
  checkLegalIntake,
  decideApproval,
  decideReview,
  dueAt,
  reviewWindowMs,
} from '../../domain/approval';
import type { ApprovalRule, KindRule } from '../../domain/policy';
import { Policy } from '../../domain/policy';

const rule: ApprovalRule = {
  deadlineHours: 72,
  distinctStaff: 2,
  expedited: { purposes: ['emergency'], distinctStaff: 1, reviewWithinHours: 24 },
};
const warrant = { ground: 'warrant' as const, requestedBy: 'staff:ito', fields: ['name', 'address', 'phone'] as const };
const emergency = { ...warrant, ground: 'emergency' as const };

describe('decideApproval', () => {
  test('given a warrant, when another staff member approves a subset, then exactly that subset is released in field order', () => {
    expect(
      decideApproval(
        { ...warrant, fields: [...warrant.fields] },
        { approver: 'staff:sato', fields: ['address', 'name'], authorityCheck: 'call' },
        rule,
      ),
    ).toEqual({
      ok: true,
      approvedBy: 'staff:sato',
      fields: ['name', 'address'],
      expedited: false,
    });
  });

  test('given no fields in the approval, then every requested field is released', () => {
    const d = decideApproval(
      { ...warrant, fields: [...warrant.fields] },
      { approver: 'staff:sato', authorityCheck: 'call' },
      rule,
    );
    expect(d).toMatchObject({ ok: true, fields: ['name', 'phone', 'address'] });
  });

  test.each(['staff:ito', 'Staff:Ito', '  staff:ito '])(
    'when the requester approves as "%s", then it is refused as the same person',
    (approver) => {
      const d = decideApproval({ ...warrant, fields: [...warrant.fields] }, { approver, authorityCheck: 'call' }, rule);
      expect(d).toMatchObject({ ok: false, refusal: { code: 'approval-same-person' } });
    },
  );

  test('given an emergency, the requester cannot release it alone (one person could request and release); a second person releases at once, marked expedited', () => {
    const self = decideApproval({ ...emergency, fields: [...emergency.fields] }, { approver: 'staff:ito', authorityCheck: 'call' }, rule);
    expect(self).toMatchObject({ ok: false, refusal: { code: 'approval-same-person' } });
    const d = decideApproval({ ...emergency, fields: [...emergency.fields] }, { approver: 'staff:sato', authorityCheck: 'call' }, rule);
    expect(d).toMatchObject({ ok: true, approvedBy: 'staff:sato', expedited: true });
  });

  test('given a policy that expedites nothing, an emergency needs a second person too', () => {
    const strict: ApprovalRule = { deadlineHours: 72, distinctStaff: 2 };
    const d = decideApproval(
      { ...emergency, fields: [...emergency.fields] },
      { approver: 'staff:ito', authorityCheck: 'call' },
      strict,
    );
    expect(d).toMatchObject({ ok: false, refusal: { code: 'approval-same-person' } });
  });

  test('when the approval names a field that was not requested, then nothing is released', () => {
    const request = { ...warrant, fields: [...warrant.fields] };
    const approval = {
      approver: 'staff:sato',
      fields: ['name' as const, 'birthDate' as const],
      authorityCheck: 'call',
    };
    expect(approvalInputProblem(request, approval)).toMatch(/birthDate/);
    expect(decideApproval(request, approval, rule)).toMatchObject({
      ok: false,
      refusal: { code: 'approval-fields-not-requested' },
    });
  });
});

describe('decideReview', () => {
  test('the person who released cannot review; anyone else can', () => {
    expect(decideReview('staff:kato', 'STAFF:KATO')).toMatchObject({ code: 'review-same-person' });
    expect(decideReview('staff:kato', 'staff:sato')).toBeUndefined();
  });
});

describe('windows and due times', () => {
  test('the policy gives the defaults in hours; an explicit window wins', () => {
    expect(approvalWindowMs(rule)).toBe(72 * 3_600_000);
    expect(approvalWindowMs(rule, 2_000)).toBe(2_000);
    expect(reviewWindowMs(rule)).toBe(24 * 3_600_000);
    expect(reviewWindowMs(rule, 1_500)).toBe(1_500);
    expect(dueAt('2026-11-24T10:00:00.000Z', 24 * 3_600_000)).toBe('2026-11-25T10:00:00.000Z');
  });
});

describe('checkLegalIntake against the policy file', () => {
  const policy = Policy.parse(
    JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8')),
  );
  const legal = policy.kinds.legal as KindRule;

  test('every ground of APPI Art. 27(1) the engine knows is allowed, with an approval rule', () => {
    for (const ground of ['warrant', 'inquiry', 'emergency', 'statute'] as const) {
      expect(checkLegalIntake(legal, ground, ['name', 'address'])).toBeUndefined();
    }
    expect(legal.approval).toMatchObject({
      distinctStaff: 2,
      expedited: { purposes: ['emergency'], distinctStaff: 1 },
    });
  });

  test('a ground the policy does not list, or a field it forbids, is refused', () => {
    const narrow: KindRule = {
      ...legal,
      purposes: { warrant: { statement: { ja: 'w', en: 'w' }, fields: ['name'], options: {}, never: [] } },
    };
    expect(checkLegalIntake(narrow, 'inquiry', ['name'])).toMatchObject({ code: 'basis-not-allowed' });
    expect(checkLegalIntake(narrow, 'warrant', ['name', 'phone'])).toMatchObject({
      code: 'policy-fields-not-allowed',
      message: expect.stringContaining('phone'),
    });
  });

  test('without an approval rule nothing can be approved, so intake is refused', () => {
    const { approval: _approval, ...noRule } = legal;
    expect(checkLegalIntake(noRule as KindRule, 'warrant', ['name'])).toMatchObject({ code: 'basis-not-allowed' });
  });
});
