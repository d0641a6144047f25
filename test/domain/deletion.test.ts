import { escalates, planDeletion, surveyPurposeEnd } from '../../domain/deletion';

const rule = { withinDays: 14, reminderEveryDays: 3, escalateAfterReminders: 2 };
const DAY = 86_400_000;

describe('deletion follow-up plan', () => {
  test('a survey ends at midnight after its last day, Japan time', () => {
    expect(surveyPurposeEnd('2026-12-31', 'Asia/Tokyo')).toBe('2026-12-31T15:00:00.000Z');
  });

  test("a survey's last day ends at 24:00 in the configured zone, daylight saving included", () => {
    expect(surveyPurposeEnd('2026-07-31', 'Europe/Berlin')).toBe('2026-07-31T22:00:00.000Z');
    expect(surveyPurposeEnd('2026-12-31', 'UTC')).toBe('2027-01-01T00:00:00.000Z');
  });

  test("given the policy alone, deletion is due the policy's days after the purpose ends", () => {
    const plan = planDeletion(rule, '2026-12-31T15:00:00.000Z', '2026-11-24T00:00:00.000Z', {});
    expect(plan).toEqual({ dueAt: '2027-01-14T15:00:00.000Z', reminderIntervalMs: 3 * DAY, escalateAfterReminders: 2 });
  });

  test('overrides count from the handoff and replace the intervals', () => {
    const plan = planDeletion(rule, '2026-12-31T15:00:00.000Z', '2026-11-24T00:00:00.000Z', {
      deletionDueInMs: 1_000,
      reminderIntervalMs: 500,
      escalateAfterReminders: 3,
    });
    expect(plan).toEqual({ dueAt: '2026-11-24T00:00:01.000Z', reminderIntervalMs: 500, escalateAfterReminders: 3 });
  });

  test('reminders escalate from the configured count on, not before', () => {
    expect([1, 2, 3, 4].map((n) => escalates(n, { escalateAfterReminders: 3 }))).toEqual([false, false, true, true]);
  });
});
