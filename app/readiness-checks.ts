import { databaseSchemaState } from '../store/migrate';
import { describeDatabase, schemaProblem } from '../store/schema';
import type { Store } from '../store/store';
import type { ReadinessCheck } from '../service/readiness';

/** What every SDK connection (client or native) offers: the frontend's workflow service. */
export interface TemporalHealth {
  workflowService: { getSystemInfo(request: object): Promise<unknown> };
}

export interface EngineCheckSources {
  /** The connection to ask, once the process has one. */
  temporal: () => TemporalHealth | undefined;
  store: Store;
  /** DISCLOSURE_DB, to read its schema version. */
  database: string;
  /** Loads every key the process needs; throws naming the one that is missing. */
  keys: () => Promise<void>;
}

/**
 * The four things `/readyz` reports: Temporal's frontend answers, the database answers
 * a query, its schema is the version this code needs, and the keys load.
 */
export function engineReadinessChecks(src: EngineCheckSources): ReadinessCheck[] {
  return [
    {
      name: 'temporal',
      async run() {
        const connection = src.temporal();
        if (connection === undefined) throw new Error('not connected to Temporal yet');
        await connection.workflowService.getSystemInfo({});
      },
    },
    {
      name: 'database',
      async run() {
        await src.store.ledgerHead();
      },
    },
    {
      name: 'schema',
      async run() {
        const problem = schemaProblem(await databaseSchemaState(src.database), describeDatabase(src.database));
        if (problem !== undefined) throw new Error(problem);
      },
    },
    { name: 'keys', run: src.keys },
  ];
}
