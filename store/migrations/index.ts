import { DISCLOSURE_PAGE_INDEXES } from './0002-disclosure-page';
import { POSTGRES_0003_DISCLOSURE_SUBJECTS, SQLITE_0003_DISCLOSURE_SUBJECTS } from './0003-disclosure-subjects';
import { POSTGRES_0004_RECIPIENT_CHANGES, RECIPIENT_CHANGE_TABLES, SQLITE_0004_RECIPIENT_CHANGES } from './0004-recipient-changes';
import { CONSENT_EVIDENCE_TABLES, POSTGRES_0005_CONSENT_EVIDENCE, SQLITE_0005_CONSENT_EVIDENCE } from './0005-consent-evidence';
import { POSTGRES_0001_INITIAL } from './postgres-0001-initial';
import { APPEND_ONLY_TABLES_V1, SQLITE_0001_INITIAL } from './sqlite-0001-initial';

/**
 * One numbered step of the engine's schema. Both backends have the same steps with the same
 * numbers; a schema change adds the next number to both lists (never edits an applied one).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: SQLITE_0001_INITIAL },
  { version: 2, name: 'disclosure-page-indexes', sql: DISCLOSURE_PAGE_INDEXES },
  { version: 3, name: 'disclosure-subjects', sql: SQLITE_0003_DISCLOSURE_SUBJECTS },
  { version: 4, name: 'recipient-changes', sql: SQLITE_0004_RECIPIENT_CHANGES },
  { version: 5, name: 'consent-evidence', sql: SQLITE_0005_CONSENT_EVIDENCE },
];

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: POSTGRES_0001_INITIAL },
  { version: 2, name: 'disclosure-page-indexes', sql: DISCLOSURE_PAGE_INDEXES },
  { version: 3, name: 'disclosure-subjects', sql: POSTGRES_0003_DISCLOSURE_SUBJECTS },
  { version: 4, name: 'recipient-changes', sql: POSTGRES_0004_RECIPIENT_CHANGES },
  { version: 5, name: 'consent-evidence', sql: POSTGRES_0005_CONSENT_EVIDENCE },
];

/** The schema version this code reads and writes: the last migration's number. */
export const SCHEMA_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]!.version;

/** Tables whose rows are facts, guarded by triggers; a migration that adds one adds it here. */
export const APPEND_ONLY_TABLES: readonly string[] = [...APPEND_ONLY_TABLES_V1, ...RECIPIENT_CHANGE_TABLES, ...CONSENT_EVIDENCE_TABLES];

/** Tables the engine updates in place; a migration that adds one adds it here. */
export const MUTABLE_TABLES: readonly string[] = [
  'subjects',
  'recipients',
  'disclosures',
  'outbox',
  'disclosure_subjects',
];

/** The table that records which migrations ran. */
export const VERSION_TABLE = 'schema_migrations';
