/**
 * Dates for people: local time in the engine's zone with the zone's name,
 * `2026年12月2日 05:19 JST` in Japanese and `2026-12-02 05:19 JST` in English.
 */
import type { Lang } from './i18n';

const partsOf = (d: Date, timeZone: string): Record<string, string> => {
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
};

const zoneName = (d: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('ja-JP', { timeZone, timeZoneName: 'short' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;

export function formatWhen(iso: string | undefined, lang: Lang, timeZone: string): string {
  if (iso === undefined) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = partsOf(d, timeZone);
  const zone = zoneName(d, timeZone);
  if (lang === 'ja') return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute} ${zone}`;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${zone}`;
}

/** The start (or end) of a calendar day in the zone, as an ISO instant, for date-only filters. */
export function dayBound(day: string, timeZone: string, end: boolean): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // Find the zone's offset at noon that day; good for zones without a midnight transition.
  const noon = new Date(Date.UTC(y, m - 1, d, 12));
  const p = partsOf(noon, timeZone);
  const localNoon = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  const offsetMs = localNoon - noon.getTime();
  const startUtc = Date.UTC(y, m - 1, d) - offsetMs;
  return new Date(end ? startUtc + 86_400_000 - 1 : startUtc).toISOString();
}
