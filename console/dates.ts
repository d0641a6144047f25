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
