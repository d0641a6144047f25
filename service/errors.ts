import type { z } from 'zod';
import type { Refusal } from '../domain/refusals';

export interface FieldIssue {
  field: string;
  message: string;
}

/** Bad input: nothing was started or written. Exit code 2, HTTP 400. */
export class InputError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'InputError';
  }
}

/** Refused by policy: no basis, consent withdrawn, contract expired, approval missing. Exit 3. */
export class RefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(`refused (${refusal.code}): ${refusal.message}`);
    this.name = 'RefusedError';
  }
}

/** Tampering or a replay mismatch was found. Exit 4. */
export class TamperError extends Error {
  constructor(message: string, readonly details?: unknown) {
    super(message);
    this.name = 'TamperError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Validates at an edge; every problem is reported with the path of the field it concerns. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues.map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      return { field: path === '' ? '(input)' : path, message: issue.message };
    }),
  );
}
