import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { maskUrlCredentials } from '../domain/mask';

/**
 * A line-per-event logger for the engine's processes. Callers pass identifiers (disclosure,
 * workflow, recipient ids), never customer data; redaction is the second line of defence:
 * members named like a personal item are dropped, and in every message and string value
 * emails, phone numbers, postal codes and any personal values the logger was told about are
 * replaced. Names and addresses have no reliable pattern (Japanese ones least of all), so
 * they are caught by field name or as known values only.
 */
export type LogValue = string | number | boolean | null | undefined | LogValue[] | { [key: string]: LogValue };
export type LogFields = Record<string, LogValue>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** More field names whose values are always redacted. */
  sensitiveKeys?: Iterable<string>;
  /** Personal values known to the process (e.g. of customers it handles), redacted anywhere. */
  sensitiveValues?: () => Iterable<string>;
}

const PERSONAL_KEYS = ['name', 'nameKana', 'email', 'phone', 'postalCode', 'address', 'birthDate', 'gender'];

const PATTERNS: [RegExp, string][] = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, '[email]'],
  // Phone numbers: +81-90-1234-5678, 090-1234-5678, 03 1234 5678, 09012345678. Not part of an id or a time.
  [/(?<![\w.-])(?:\+\d{1,3}[-\s]?\d{1,4}|\(?0\d{1,4}\)?)[-\s]?\d{1,4}[-\s]?\d{3,4}(?![\w-])/g, '[phone]'],
  // Japanese postal codes: 100-0001, 〒100-0001, 〒1000001.
  [/〒\s?\d{3}-?\d{4}|(?<![\w.-])\d{3}-\d{4}(?![\w-])/g, '[postal-code]'],
];

export type Redact = (text: string) => string;

export function createRedactor(opts: LoggerOptions = {}): Redact {
  return (text) => {
    let out = maskUrlCredentials(text);
    for (const value of opts.sensitiveValues?.() ?? []) {
      // Very short values ("F", "1") would shred ordinary words.
      if (value.length >= 3) out = out.split(value).join('[redacted]');
    }
    for (const [pattern, label] of PATTERNS) out = out.replace(pattern, label);
    return out;
  };
}

/** Deepest nesting walked; anything below is dropped rather than written unchecked. */
const MAX_DEPTH = 8;

function scrubValue(v: LogValue, redact: Redact, keys: ReadonlySet<string>, depth: number): LogValue {
  if (typeof v === 'string') return redact(v);
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, redact, keys, depth + 1));
  const out: { [key: string]: LogValue } = {};
  for (const [k, x] of Object.entries(v)) out[k] = keys.has(k) ? '[redacted]' : scrubValue(x, redact, keys, depth + 1);
  return out;
}

/** Personal members are dropped by name at every depth, and every string is redacted. */
export function scrubFields(
  fields: LogFields = {},
  redact: Redact = createRedactor(),
  keys: ReadonlySet<string> = new Set(PERSONAL_KEYS),
): LogFields {
  return scrubValue(fields, redact, keys, 0) as LogFields;
}

export function createLogger(
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  opts: LoggerOptions = {},
): Logger {
  const redact = createRedactor(opts);
  const keys = new Set([...PERSONAL_KEYS, ...(opts.sensitiveKeys ?? [])]);
  const emit = (level: string) => (message: string, fields?: LogFields) =>
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        message: redact(message),
        ...scrubFields(fields, redact, keys),
      }),
    );
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * The SDK's metadata as plain values the redactor walks: errors become `name: message` (their
 * stacks are not logged), nested objects stay nested so personal members are found by name.
 */
function plain(v: unknown, depth = 0): LogValue {
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return String(v);
  // Errors from the workflow sandbox come from another realm: recognised by shape, not class.
  if (typeof (v as Error).message === 'string' && typeof (v as Error).name === 'string') return `${(v as Error).name}: ${(v as Error).message}`;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  if (v instanceof Date) return v.toISOString();
  const out: { [key: string]: LogValue } = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x, depth + 1);
  return out;
}

function flatten(meta: LogMetadata = {}): LogFields {
  return plain(meta) as LogFields;
}

/**
 * The Temporal SDK's logger (worker, workflow and activity context, and core's logs when
 * forwarded) written through the engine's logger, so it is redacted the same way.
 */
export function temporalLogger(log: Logger, minLevel: LogLevel = 'WARN'): SdkLogger {
  const at = (level: LogLevel) => (message: string, meta?: LogMetadata) => {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(minLevel)) return;
    const fields = { ...flatten(meta), sdkLevel: level };
    if (level === 'ERROR') log.error(message, fields);
    else if (level === 'WARN') log.warn(message, fields);
    else log.info(message, fields);
  };
  return {
    log: (level, message, meta) => at(level)(message, meta),
    trace: at('TRACE'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}
