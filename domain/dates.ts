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
    second: '2-digit',
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

/** Both forms, as bilingual text shows a moment: `2026年12月2日 05:19 JST / 2026-12-02 05:19 JST`. */
export function formatBilingual(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  return `${formatForPeople(iso, 'ja', timeZone)} / ${formatForPeople(iso, 'en', timeZone)}`;
}

/**
 * The end of a calendar day in the zone, as a last day reads (a survey's end day): `2026年12月31日 24:00 JST`
 * in Japanese text, `2026-12-31 24:00 JST` otherwise; the zone's name is the one in force at that day's end.
 */
export function formatDayEnd(day: string, lang: DateLang, timeZone = DEFAULT_TIME_ZONE): string {
  const [y, m, d] = day.split('-');
  const zone = zoneName(new Date(Date.parse(dayStart(day, timeZone, true)) - 1), timeZone);
  return lang === 'ja' ? `${y}年${Number(m)}月${Number(d)}日 24:00 ${zone}` : `${day} 24:00 ${zone}`;
}

/** Both forms of a day's end, as bilingual text shows it: `2026年12月31日 24:00 JST / 2026-12-31 24:00 JST`. */
export function formatDayEndBilingual(day: string, timeZone = DEFAULT_TIME_ZONE): string {
  return `${formatDayEnd(day, 'ja', timeZone)} / ${formatDayEnd(day, 'en', timeZone)}`;
}

/** A calendar day for a Japanese letter: `2026年12月1日`, the day the instant falls on in the zone. */
export function japaneseDay(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  const [y, m, d] = dayIn(iso, timeZone).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/**
 * A date-only bound as an instant in the zone: `from` is the first instant of that day, `to`
 * the last millisecond of it. A full ISO instant is kept as it is.
 */
export function dayBound(value: string, timeZone: string, end: boolean): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value).toISOString();
  if (!end) return dayStart(value, timeZone);
  return new Date(Date.parse(dayStart(value, timeZone, true)) - 1).toISOString();
}

/** The calendar month (YYYY-MM) and quarter (YYYY-Qn) an instant falls in, in the zone. */
export function monthIn(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  return dayIn(iso, timeZone).slice(0, 7);
}

export function quarterIn(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  const [y, m] = dayIn(iso, timeZone).split('-');
  return `${y}-Q${Math.ceil(Number(m) / 3)}`;
}

/** The zone's offset from UTC at that instant, in milliseconds (+09:00 is 32,400,000). */
export function offsetMs(d: Date, timeZone = DEFAULT_TIME_ZONE): number {
  const p = partsOf(d, timeZone);
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return local - Math.floor(d.getTime() / 1000) * 1000;
}

/**
 * ISO 8601 with the zone's offset: `2026-12-02T05:19:34.647+09:00` for `2026-12-01T20:19:34.647Z`;
 * to the second (`2026-12-02T05:19:34+09:00`) when asked.
 */
export function isoInZone(iso: string, timeZone = DEFAULT_TIME_ZONE, precision: 'ms' | 's' = 'ms'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const off = offsetMs(d, timeZone);
  const abs = Math.abs(off) / 60_000;
  const sign = off < 0 ? '-' : '+';
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(d.getTime() + off).toISOString().slice(0, precision === 'ms' ? -1 : -5)}${sign}${hhmm}`;
}
