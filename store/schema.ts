import { SCHEMA_VERSION } from './migrations';

/** `check`: use the schema as it is or refuse; `migrate`: bring it to this code's version first. */
export type SchemaMode = 'check' | 'migrate';

/** What a database holds before the engine uses it. */
export interface SchemaState {
  /** The highest applied migration; 0 when none is recorded. */
  version: number;
  /** Engine tables exist but no version was ever recorded: made by an engine before migrations. */
  unversioned: boolean;
}

/** The database's schema is not the one this code expects; the message names the command to run. */
export class SchemaVersionError extends Error {
  override name = 'SchemaVersionError';
}

/**
 * Whether a process may use a database in this state, as a message for the operator, or
 * undefined when it may. Pure, so every backend refuses in the same words.
 */
export function schemaProblem(state: SchemaState, where: string, expected = SCHEMA_VERSION): string | undefined {
  if (state.version === expected) return undefined;
  if (state.unversioned) {
    return `the database ${where} was created before schema versions; run \`disclosure db migrate\` to adopt it at version 1 and bring it to version ${expected}`;
  }
  if (state.version === 0) {
    return `the database ${where} has no engine schema; run \`disclosure db migrate\` (as the database owner) to create it at version ${expected}`;
  }
  if (state.version < expected) {
    return `the database ${where} is at schema version ${state.version} and this engine needs ${expected}; run \`disclosure db migrate\` (as the database owner), then start it again`;
  }
  return `the database ${where} is at schema version ${state.version}, newer than this engine (${expected}); run the engine release that migrated it, or upgrade this one`;
}

/** A postgres:// URL without its password, or the SQLite path: safe to print. */
export function describeDatabase(database: string): string {
  if (!/^postgres(ql)?:\/\//.test(database)) return database;
  try {
    const url = new URL(database);
    url.password = '';
    return url.toString().replace(/^(postgres(ql)?:\/\/[^@/]*):@/, '$1@');
  } catch {
    return 'at the configured postgres:// URL';
  }
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
  /** The database had the schema of an engine before versions and was adopted. */
  adopted: boolean;
}
