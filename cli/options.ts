import type { z } from 'zod';
import { InputError, parseInput } from '../service/errors';

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Validates option values gathered under camelCase keys; errors name the option as typed (`--as-of`). */
export function parseOptions<S extends z.ZodType>(schema: S, data: Record<string, unknown>): z.infer<S> {
  try {
    return parseInput(schema, data);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new InputError(err.issues.map((i) => ({ ...i, field: i.field === '(input)' ? i.field : `--${kebab(i.field.split('.')[0]!)}` })));
  }
}
