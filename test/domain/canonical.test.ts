import { canonicalJson } from '../../domain/canonical';
import { projectSubject } from '../../domain/handoff';

describe('canonical JSON', () => {
  test('key order does not change the bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 'x'] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  test('undefined members are dropped and non-finite numbers refused', () => {
    expect(canonicalJson({ a: undefined, b: 'ü' })).toBe('{"b":"ü"}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
});

describe('projecting a customer to the selected items', () => {
  const subject = { id: 'C-1', name: '山田 花子', email: 'h@example.jp', birthDate: '1985-04-12', surveyOptOut: false };

  test('keeps exactly the selected items', () => {
    expect(projectSubject(subject, ['name', 'email'])).toEqual({ ok: true, data: { name: '山田 花子', email: 'h@example.jp' } });
  });

  test('reports selected items the file lacks instead of sending less', () => {
    expect(projectSubject(subject, ['name', 'phone', 'address'])).toEqual({ ok: false, missing: ['phone', 'address'] });
  });
});
