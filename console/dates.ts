/**
 * The console's view of the engine's one date module (domain/dates.ts): local time in the
 * engine's zone with the zone's name, and day bounds for date-only filters.
 */
import { dayStart, formatForPeople } from '../domain/dates';
import type { Lang } from './i18n';

/** `2026年12月2日 05:19 JST` in Japanese, `2026-12-02 05:19 JST` in English; `—` when there is none. */
export function formatWhen(iso: string | undefined, lang: Lang, timeZone: string): string {
  return iso === undefined ? '—' : formatForPeople(iso, lang, timeZone);
}

/** The first (or, with `end`, the last) millisecond of a calendar day in the zone, as an ISO instant. */
export function dayBound(day: string, timeZone: string, end: boolean): string {
  if (!end) return dayStart(day, timeZone);
  return new Date(Date.parse(dayStart(day, timeZone, true)) - 1).toISOString();
}

/** How long until `dueAt` (or how long past it), in days, hours and minutes: `残り 2時間5分` / `5 min overdue`. */
export function timeLeft(dueAt: string, now: Date, lang: Lang): { text: string; overdue: boolean } {
  const ms = Date.parse(dueAt) - now.getTime();
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  const span =
    lang === 'ja'
      ? `${d > 0 ? `${d}日` : ''}${d > 0 || h > 0 ? `${h}時間` : ''}${m}分`
      : `${d > 0 ? `${d} d ` : ''}${d > 0 || h > 0 ? `${h} h ` : ''}${m} min`;
  if (ms >= 0) return { text: lang === 'ja' ? `残り ${span}` : `${span} left`, overdue: false };
  return { text: lang === 'ja' ? `${span}超過` : `${span} overdue`, overdue: true };
}
