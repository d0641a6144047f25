import { ConfigError } from '../infra/config';
import { InputError, NotFoundError, RefusedError, TamperError } from '../service/errors';
import { LedgerTamperError } from '../store/record-check';

export const EXIT = { ok: 0, other: 1, input: 2, refused: 3, tamper: 4 } as const;

export interface ErrorReport {
  exitCode: number;
  json: { error: { type: string; message: string; issues?: { field: string; message: string }[]; details?: unknown } };
  text: string;
}

/** Maps every failure to the exit code CONTRACT.md gives it and to a message a person can act on. */
export function reportError(err: unknown): ErrorReport {
  if (err instanceof InputError) {
    return {
      exitCode: EXIT.input,
      json: { error: { type: 'InputError', message: err.message, issues: err.issues } },
      text: `error: bad input\n${err.issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`,
    };
  }
  if (err instanceof ConfigError) {
    const issues = err.issues.map((i) => ({ field: i.variable, message: `${i.value} is not ${i.accepted}` }));
    return {
      exitCode: EXIT.input,
      json: { error: { type: 'ConfigError', message: err.message, issues } },
      text: `error: bad configuration\n${err.issues.map((i) => `  ${i.variable}=${i.value}: expected ${i.accepted}`).join('\n')}`,
    };
  }
  if (err instanceof NotFoundError) {
    return { exitCode: EXIT.input, json: { error: { type: 'NotFound', message: err.message } }, text: `error: ${err.message}` };
  }
  if (err instanceof RefusedError) {
    return {
      exitCode: EXIT.refused,
      json: { error: { type: 'Refused', message: err.message, details: err.refusal } },
      text: `refused: ${err.refusal.message} (${err.refusal.code})`,
    };
  }
  if (err instanceof TamperError) {
    return {
      exitCode: EXIT.tamper,
      json: { error: { type: 'Tamper', message: err.message, details: err.details } },
      text: `TAMPERING: ${err.message}`,
    };
  }
  if (err instanceof LedgerTamperError) {
    return {
      exitCode: EXIT.tamper,
      json: { error: { type: 'Tamper', message: err.message, details: { seq: err.seq, recordId: err.recordId, problem: err.problem } } },
      text: `TAMPERING: ${err.message}`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: EXIT.other, json: { error: { type: err instanceof Error ? err.name : 'Error', message } }, text: `error: ${message}` };
}
