import { z } from 'zod';
import { describeDatabase } from '../../store/schema';
import { databaseSchemaState, migrateDatabase } from '../../store/migrate';
import { ROLE_NAME } from '../../store/migrate-postgres';
import { parseInput } from '../../service/errors';
import type { Command } from '../command';

const Role = z.string().regex(ROLE_NAME, 'a PostgreSQL role name: lower-case letters, digits and underscores');

export const dbMigrate: Command = {
  name: 'db migrate',
  summary:
    "bring DISCLOSURE_DB to this release's schema version (run as the database owner); --grant gives the runtime role its rights",
  options: {
    grant: {
      type: 'string',
      value: 'ROLE',
      description:
        'PostgreSQL: grant this runtime role SELECT/INSERT on the ledger tables and what else the engine needs, nothing more',
    },
  },
  examples: [
    'disclosure db migrate',
    'DISCLOSURE_DB=postgres://owner@db.internal/disclosure disclosure db migrate --grant disclosure_app',
  ],
  async run(env, v) {
    const grantTo = typeof v.grant === 'string' ? parseInput(Role, v.grant, '--grant') : undefined;
    const database = env.config.database;
    const r = await migrateDatabase(database, { grantTo });
    const where = describeDatabase(database);
    const lines = [
      r.applied.length === 0
        ? `schema of ${where} is at version ${r.to}: nothing to apply`
        : `schema of ${where}: version ${r.from} → ${r.to} (applied ${r.applied.join(', ')})`,
      ...(r.adopted ? ['adopted a database created before schema versions at version 1 (its tables unchanged)'] : []),
      ...(r.granted !== undefined ? [`granted the runtime rights to ${r.granted}`] : []),
    ];
    return { json: { database: where, ...r }, text: lines.join('\n') };
  },
};

export const dbStatus: Command = {
  name: 'db status',
  summary: 'show the schema version of DISCLOSURE_DB and the one this release needs; exit 1 when they differ',
  options: {},
  examples: ['disclosure db status --json'],
  async run(env) {
    const s = await databaseSchemaState(env.config.database);
    const where = describeDatabase(env.config.database);
    const current = s.version === s.expected;
    return {
      json: { database: where, ...s, current },
      text: `${where}: schema version ${s.version}${s.unversioned ? ' (created before schema versions)' : ''}, this release needs ${s.expected}${current ? '' : ' — run `disclosure db migrate`'}`,
      exitCode: current ? 0 : 1,
    };
  },
};
