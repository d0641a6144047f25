import { dayBound, formatWhen } from '../../console/dates';

describe('dates shown in the console', () => {
  test('an instant just after midnight JST is the next day in Japan, in both languages', () => {
    const iso = '2026-03-31T15:05:00.000Z';
    expect(formatWhen(iso, 'ja', 'Asia/Tokyo')).toBe('2026年4月1日 00:05 JST');
    expect(formatWhen(iso, 'en', 'Asia/Tokyo')).toBe('2026-04-01 00:05 JST');
    expect(formatWhen(undefined, 'ja', 'Asia/Tokyo')).toBe('—');
  });

  test('a date-only filter covers that whole day in the zone, not in UTC', () => {
    expect(dayBound('2026-04-01', 'Asia/Tokyo', false)).toBe('2026-03-31T15:00:00.000Z');
    expect(dayBound('2026-04-01', 'Asia/Tokyo', true)).toBe('2026-04-01T14:59:59.999Z');
    expect(dayBound('2026-07-01', 'Europe/Berlin', false)).toBe('2026-06-30T22:00:00.000Z');
  });
});
