import { dayBound, dayIn, dayStart, formatBilingual, formatDayEnd, formatDayEndBilingual, formatForPeople, isoInZone, japaneseDay, monthIn, quarterIn } from '../../domain/dates';
import { renderDeletionReminder } from '../../domain/entrustment-notice';
import { renderNotice, renderNoticeReminder } from '../../domain/notice-letter';

describe('dates for people, in the configured zone', () => {
  test('a moment is local time with the zone: Japanese and plain forms; another zone shifts it', () => {
    const iso = '2026-12-01T20:19:34.647Z';
    expect(formatForPeople(iso, 'ja', 'Asia/Tokyo')).toBe('2026年12月2日 05:19 JST');
    expect(formatForPeople(iso, 'en', 'Asia/Tokyo')).toBe('2026-12-02 05:19 JST');
    expect(formatBilingual(iso, 'Asia/Tokyo')).toBe('2026年12月2日 05:19 JST / 2026-12-02 05:19 JST');
    expect(formatForPeople(iso, 'en', 'UTC')).toBe('2026-12-01 20:19 UTC');
  });

  test('ISO 8601 with the zone offset keeps the instant', () => {
    expect(isoInZone('2026-12-01T20:19:34.647Z', 'Asia/Tokyo')).toBe('2026-12-02T05:19:34.647+09:00');
    expect(isoInZone('2026-07-01T10:00:00.000Z', 'America/New_York')).toBe('2026-07-01T06:00:00.000-04:00');
    expect(isoInZone('2026-07-01T10:00:00.000Z', 'Asia/Kolkata')).toBe('2026-07-01T15:30:00.000+05:30');
    expect(isoInZone('2026-03-31T15:00:00.000Z', 'Asia/Tokyo', 's')).toBe('2026-04-01T00:00:00+09:00');
    expect(Date.parse(isoInZone('2026-12-01T20:19:34.647Z', 'Asia/Tokyo'))).toBe(Date.parse('2026-12-01T20:19:34.647Z'));
  });

  test('around midnight JST (15:00Z): 14:59:59.999Z is still 31 March, 15:00Z is 1 April, month and quarter follow', () => {
    expect(dayIn('2026-03-31T14:59:59.999Z', 'Asia/Tokyo')).toBe('2026-03-31');
    expect(dayIn('2026-03-31T15:00:00.000Z', 'Asia/Tokyo')).toBe('2026-04-01');
    expect(monthIn('2026-03-31T23:00:00.000Z', 'Asia/Tokyo')).toBe('2026-04');
    expect(quarterIn('2026-03-31T23:00:00.000Z', 'Asia/Tokyo')).toBe('2026-Q2');
    expect(quarterIn('2026-03-31T14:59:00.000Z', 'Asia/Tokyo')).toBe('2026-Q1');
    expect(japaneseDay('2026-03-31T15:00:00.000Z', 'Asia/Tokyo')).toBe('2026年4月1日');
  });

  test("a last day reads as the end of that day in the zone (24:00), which is 15:00Z that day in Japan, and the zone's name at that moment", () => {
    expect(formatDayEndBilingual('2026-12-31', 'Asia/Tokyo')).toBe('2026年12月31日 24:00 JST / 2026-12-31 24:00 JST');
    expect(dayStart('2026-12-31', 'Asia/Tokyo', true)).toBe('2026-12-31T15:00:00.000Z');
    expect(formatDayEnd('2026-12-31', 'en', 'UTC')).toBe('2026-12-31 24:00 UTC');
    // Summer time begins on 29 March 2026 in Berlin: that day ends in CEST (+2), the day before in CET (+1).
    expect(formatDayEnd('2026-03-29', 'en', 'Europe/Berlin')).toBe('2026-03-29 24:00 GMT+2');
    expect(formatDayEnd('2026-03-28', 'ja', 'Europe/Berlin')).toBe('2026年3月28日 24:00 GMT+1');
  });

  test('a date-only bound covers the whole day in the zone; a full instant is kept', () => {
    expect(dayBound('2026-04-01', 'Asia/Tokyo', false)).toBe('2026-03-31T15:00:00.000Z');
    expect(dayBound('2026-04-01', 'Asia/Tokyo', true)).toBe('2026-04-01T14:59:59.999Z');
    expect(dayBound('2026-04-01T08:00:00+09:00', 'Asia/Tokyo', true)).toBe('2026-03-31T23:00:00.000Z');
  });
});

describe('mail texts show moments in the zone, never the ISO instant', () => {
  const due = '2026-12-31T15:00:00.000Z';
  test('deletion reminder, downstream notice and its reminder', () => {
    const reminder = renderDeletionReminder({ disclosureId: 'D-1', recipientName: '運輸', contractId: 'K-1', reference: 'shipment S', dueAt: due, reminderNo: 1, escalation: false }, 'Asia/Tokyo');
    expect(reminder).toContain('削除期限 / Deletion due: 2027年1月1日 00:00 JST / 2027-01-01 00:00 JST');
    const letter = { noticeId: 'N-1', subjectId: 'C-1', recipientName: '販売店', providerName: 'p', cause: { type: 'erasure' as const }, items: ['name' as const], disclosureIds: ['D-1'], dueAt: due };
    expect(renderNotice(letter, 'Asia/Tokyo')).toContain('回答期限 / Please confirm by: 2027年1月1日 00:00 JST / 2027-01-01 00:00 JST');
    const late = renderNoticeReminder({ noticeId: 'N-1', recipientName: '販売店', cause: 'erasure', disclosureIds: ['D-1'], dueAt: due, reminderNo: 1, escalation: false }, 'UTC');
    expect(late).toContain('期限（2026年12月31日 15:00 UTC）');
    expect(late).toContain('at 2026-12-31 15:00 UTC');
    for (const text of [reminder, late]) expect(text).not.toContain(due);
  });
});
