import type { DisclosureRecordInput } from '../domain/record';
import type { ActivityDeps } from './deps';

export function createLedgerActivities({ store, clock, log }: Pick<ActivityDeps, 'store' | 'clock' | 'log'>) {
  return {
    /** Idempotent: a retry returns the record the first attempt wrote. */
    async appendRecord(input: DisclosureRecordInput): Promise<{ recordId: string; hash: string }> {
      const { record, created } = await store.appendRecord(input, clock().toISOString());
      log.info(created ? 'record appended' : 'record already present', {
        disclosureId: input.disclosureId,
        recordId: record.recordId,
        outcome: input.outcome,
      });
      return { recordId: record.recordId, hash: record.hash };
    },
  };
}
