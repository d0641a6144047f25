import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InputError, NotFoundError, RefusedError, TamperError } from '../../service/errors';
import { LedgerTamperError } from '../../store/record-check';

/** Refused with a status of its own: 409 conflict, 410 gone, 403 forbidden, 429 too many. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorAnswer {
  status: number;
  body: { error: { type: string; message: string; issues?: { field: string; message: string }[]; details?: unknown } };
}

const answer = (status: number, type: string, message: string, extra: Record<string, unknown> = {}): ErrorAnswer => ({
  status,
  body: { error: { type, message, ...extra } },
});

/** A zod issue from the request validator, named by the field it concerns, like `parseInput` does. */
function validationIssues(err: { validation: { instancePath: string; message?: string }[] }) {
  return err.validation.map((v) => {
    const field = v.instancePath.split('/').filter((p) => p !== '').join('.');
    return { field: field === '' ? '(input)' : field, message: v.message ?? 'invalid' };
  });
}

/**
 * Every failure as `{ error: { type, message, … } }`. The engine's own errors keep their
 * statuses; fastify's client errors (bad URL, media type, body too large) keep theirs; anything
 * else is a 500 whose message names only the request id, never the error or its stack.
 */
export function errorAnswer(err: unknown, requestId: string): ErrorAnswer {
  if (err instanceof HttpError) return answer(err.status, err.type, err.message, err.details !== undefined ? { details: err.details } : {});
  if (err instanceof InputError) return answer(400, 'InputError', err.message, { issues: err.issues });
  if (err instanceof NotFoundError) return answer(404, 'NotFound', err.message);
  if (err instanceof RefusedError) return answer(422, 'Refused', err.message, { details: err.refusal });
  if (err instanceof TamperError) return answer(409, 'Tamper', err.message, { details: err.details });
  if (err instanceof LedgerTamperError) return answer(409, 'Tamper', err.message, { details: { seq: err.seq, recordId: err.recordId, problem: err.problem } });
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = validationIssues(err);
    return answer(400, 'InputError', issues.map((i) => `${i.field}: ${i.message}`).join('\n'), { issues });
  }
  const status = (err as FastifyError | undefined)?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = (err as FastifyError).code;
    return answer(status, code === undefined ? 'BadRequest' : code.replace(/^FST_ERR_/, ''), (err as Error).message);
  }
  return answer(500, 'Error', `the server failed (request ${requestId})`);
}
