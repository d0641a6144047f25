/**
 * Durations in settings: a whole number of milliseconds (`900000`) or a number with one unit,
 * `ms`, `s`, `m`, `h` or `d` (`15m`, `30s`, `1h`). Written here rather than taken from a library
 * such as `ms`, whose grammar ("1.5 hours", "2 weeks", negatives) is wider than what an error
 * message can state: the accepted form below is the whole grammar.
 */
export const DURATION_FORM = 'a duration such as 15m, 30s, 1h, 2d, or whole milliseconds (900000)';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^(\d+)\s*(ms|s|m|h|d)?$/;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const value = Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS];
  return Number.isSafeInteger(value) ? value : undefined;
}
