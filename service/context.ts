import type { Client } from '@temporalio/client';
import type { NoticeTiming } from '../domain/notices';
import type { Store } from '../store/store';

/** What an operation needs: the database, a Temporal client, the queue workers listen on. */
export interface ServiceContext {
  store: Store;
  client: Client;
  taskQueue: string;
  clock: () => Date;
  /** The policy file, for checks a request must pass before anything starts. */
  policyPath: string;
  /** How long recipients of downstream notices have to confirm, and how they are chased; the defaults otherwise. */
  noticeTiming?: Partial<NoticeTiming> | undefined;
  /** DISCLOSURE_TIMEZONE: the zone date-only inputs are days in; Asia/Tokyo when not given. */
  timeZone?: string | undefined;
}
