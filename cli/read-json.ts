import { readFile } from 'node:fs/promises';
import { InputError } from '../service/errors';

/** Reads a JSON file named on the command line; a missing or malformed file is bad input. */
export async function readJsonFile(path: string, field = '--file'): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError([{ field, message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError([{ field, message: `${path} is not valid JSON: ${(err as Error).message}` }]);
  }
}
