/**
 * A line-per-event logger for the engine's processes. Callers pass identifiers (disclosure,
 * workflow, recipient ids), never customer data; the field filter below is a second line of
 * defence that drops any member named like a personal item.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const PERSONAL_KEYS = new Set(['name', 'nameKana', 'email', 'phone', 'postalCode', 'address', 'birthDate', 'gender']);

export function scrubFields(fields: LogFields = {}): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = PERSONAL_KEYS.has(k) ? '[redacted]' : v;
  return out;
}

export function createLogger(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const emit = (level: string) => (message: string, fields?: LogFields) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...scrubFields(fields) }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
