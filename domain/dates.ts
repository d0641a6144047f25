/**
 * Dates for people and date-only inputs, in one time zone (DISCLOSURE_TIMEZONE, Asia/Tokyo by
 * default). Pure: only `Intl` and `Date`, so workflows can use it too. JSON keeps ISO 8601.
 */
export type DateLang = 'ja' | 'en';

export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

function partsOf(d: Date, timeZone: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** The zone's short name at that instant: JST, UTC, or GMT+n where there is no common one. */
function zoneName(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('ja-JP', { timeZone, timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** `2026年12月2日 05:19 JST` in Japanese text, `2026-12-02 05:19 JST` otherwise. */
export function formatForPeople(iso: string, lang: DateLang, timeZone = DEFAULT_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = partsOf(d, timeZone);
  const zone = zoneName(d, timeZone);
  if (lang === 'ja') return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute} ${zone}`;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${zone}`;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function dayIn(iso: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  const p = partsOf(typeof iso === 'string' ? new Date(iso) : iso, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The first instant of a calendar day in the zone (ISO, UTC); `end` gives the first instant of the next day. */
export function dayStart(day: string, timeZone = DEFAULT_TIME_ZONE, end = false): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const noon = new Date(Date.UTC(y, m - 1, d + (end ? 1 : 0), 12));
  const p = partsOf(noon, timeZone);
  const localNoon = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  const offsetMs = localNoon - noon.getTime();
  return new Date(Date.UTC(y, m - 1, d + (end ? 1 : 0)) - offsetMs).toISOString();
}
