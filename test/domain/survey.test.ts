import type { Subject } from '../../domain/registry';
import { chunk, groupExclusions, partitionSubjects, surveyEligibility } from '../../domain/survey';

const base: Subject = { id: 'C-1', name: '山田 花子', email: 'hanako@example.jp', vehicleModel: 'Prius', surveyOptOut: false };
const fields = ['name', 'email', 'vehicleModel'] as const;

describe('who takes part in a survey', () => {
  test('a customer with every survey field who has not opted out takes part', () => {
    expect(surveyEligibility(base, fields)).toEqual({ eligible: true });
  });

  test('a customer who opted out is excluded, even with complete data', () => {
    expect(surveyEligibility({ ...base, surveyOptOut: true }, fields)).toEqual({ eligible: false, reason: 'opted-out' });
  });

  test('a customer lacking a survey field, or with no file, is excluded as missing data', () => {
    const { email: _e, ...noEmail } = base;
    expect(surveyEligibility(noEmail, fields)).toEqual({ eligible: false, reason: 'subject-data-missing' });
    expect(surveyEligibility(undefined, fields)).toEqual({ eligible: false, reason: 'subject-data-missing' });
  });

  test('given a batch, the partition keeps request order and names each exclusion', () => {
    const files = new Map<string, Subject>([
      ['C-1', base],
      ['C-2', { ...base, id: 'C-2', surveyOptOut: true }],
      ['C-3', { ...base, id: 'C-3' }],
    ]);
    const p = partitionSubjects(['C-3', 'C-2', 'C-9', 'C-1'], (id) => files.get(id), fields);
    expect(p.included).toEqual(['C-3', 'C-1']);
    expect(p.excluded).toEqual([
      { subjectId: 'C-2', reason: 'opted-out' },
      { subjectId: 'C-9', reason: 'subject-data-missing' },
    ]);
    expect(groupExclusions(p.excluded)).toEqual([
      { reason: 'opted-out', subjectIds: ['C-2'] },
      { reason: 'subject-data-missing', subjectIds: ['C-9'] },
    ]);
    expect(groupExclusions([])).toEqual([]);
  });
});

describe('chunks', () => {
  test('10,000 ids in slices of 500 make 20 slices that rejoin to the original', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `C-${i}`);
    const slices = chunk(ids, 500);
    expect(slices).toHaveLength(20);
    expect(slices.every((s) => s.length === 500)).toBe(true);
    expect(slices.flat()).toEqual(ids);
  });

  test('a remainder makes a shorter last slice; a size below 1 is refused', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});
