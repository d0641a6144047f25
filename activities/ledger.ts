import type { DisclosureRecordInput } from '../domain/record';
import type { ActivityDeps } from './deps';

export function createLedgerActivities({ store, clock, log }: Pick<ActivityDeps, 'store' | 'clock' | 'log'>) {
  return {
    /**
     * Idempotent: a retry returns the record the first attempt wrote. A disclosure that ends
     * without delivery also drops any message staged for it, so no copy of the customer's data
     * waits in the outbox for a send that will never happen.
     */
    async appendRecord(input: DisclosureRecordInput): Promise<{ recordId: string; hash: string }> {
      const { record, created } = await store.appendRecord(input, clock().toISOString());
      if (input.entryType === 'disclosure' && input.outcome !== 'delivered') await store.discardHandoff(input.disclosureId);
      log.info(created ? 'record appended' : 'record already present', {
        disclosureId: input.disclosureId,
        recordId: record.recordId,
        outcome: input.outcome,
      });
      return { recordId: record.recordId, hash: record.hash };
    },
  };
}
