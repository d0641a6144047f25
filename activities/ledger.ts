import type { DisclosureRecordInput } from '../domain/record';
import type { ActivityDeps } from './deps';
import { purposeStatementFor } from './policy';

/**
 * The append's answer carries what was asked to be appended: run as a local activity, the
 * request itself is not in history (a local activity's marker keeps only its result), and an
 * auditor compares the ledger with what the history says the workflow appended.
 */
export interface AppendedRecord {
  recordId: string;
  hash: string;
  appended: DisclosureRecordInput;
}

export function createLedgerActivities({ store, clock, log, policyPath }: Pick<ActivityDeps, 'store' | 'clock' | 'log' | 'policyPath'>) {
  return {
    /**
     * Idempotent: a retry returns the record the first attempt wrote. A disclosure that ends
     * without delivery also drops any message staged for it, so no copy of the customer's data
     * waits in the outbox for a send that will never happen.
     */
    async appendRecord(given: DisclosureRecordInput): Promise<AppendedRecord> {
      const purposeStatement =
        given.purposeStatement ?? (await purposeStatementFor(policyPath, given.kind, given.purpose, given.policy.version));
      const input = purposeStatement === undefined ? given : { ...given, purposeStatement };
      const { record, created } = await store.appendRecord(input, clock().toISOString());
      if (input.entryType === 'disclosure' && input.outcome !== 'delivered') await store.discardHandoff(input.disclosureId);
      log.info(created ? 'record appended' : 'record already present', {
        disclosureId: input.disclosureId,
        recordId: record.recordId,
        outcome: input.outcome,
      });
      return { recordId: record.recordId, hash: record.hash, appended: given };
    },
  };
}
