import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';

/**
 * A line-per-event logger for the engine's processes. Callers pass identifiers (disclosure,
 * workflow, recipient ids), never customer data; redaction is the second line of defence:
 * members named like a personal item are dropped, and in every message and string value
 * emails, phone numbers, postal codes and any personal values the logger was told about are
 * replaced. Names and addresses have no reliable pattern (Japanese ones least of all), so
 * they are caught by field name or as known values only.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

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
    let out = text;
    for (const value of opts.sensitiveValues?.() ?? []) {
      // Very short values ("F", "1") would shred ordinary words.
      if (value.length >= 3) out = out.split(value).join('[redacted]');
    }
    for (const [pattern, label] of PATTERNS) out = out.replace(pattern, label);
    return out;
  };
}

export function scrubFields(
  fields: LogFields = {},
  redact: Redact = createRedactor(),
  keys: ReadonlySet<string> = new Set(PERSONAL_KEYS),
): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields))
    out[k] = keys.has(k) ? '[redacted]' : typeof v === 'string' ? redact(v) : v;
  return out;
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

/** The SDK's metadata (errors, nested objects) flattened to text, so redaction sees all of it. */
function flatten(meta: LogMetadata = {}): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    // Errors from the workflow sandbox come from another realm: recognised by shape, not class.
    else if (typeof v === 'object' && v !== null && typeof (v as Error).message === 'string')
      out[k] = `${String((v as Error).name)}: ${(v as Error).message}`;
    else {
      try {
        out[k] = JSON.stringify(v);
      } catch {
        out[k] = String(v);
      }
    }
  }
  return out;
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
