import { ApplicationFailure } from '@temporalio/common';
import type { DisclosureRecordInput } from '../domain/record';
import type { ActivityDeps } from './deps';
import { FailureType } from '../domain/refusals';
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
  /**
   * The policy's words for the purpose, when its file still reads as the version the record was
   * made under. A file that no longer reads is no reason to lose the record: it is appended
   * without the statement (the record still names the policy version and digest).
   */
  const statementOrNone = async (given: DisclosureRecordInput) => {
    try {
      return await purposeStatementFor(policyPath, given.kind, given.purpose, given.policy.version);
    } catch (err) {
      if (!(err instanceof ApplicationFailure && err.type === FailureType.PolicyInvalid)) throw err;
      log.warn('record appended without the purpose statement: the policy file does not read', { disclosureId: given.disclosureId });
      return undefined;
    }
  };
  return {
    /**
     * Idempotent: a retry returns the record the first attempt wrote. A disclosure that ends
     * without delivery also drops any message staged for it, so no copy of the customer's data
     * waits in the outbox for a send that will never happen.
     */
    async appendRecord(given: DisclosureRecordInput): Promise<AppendedRecord> {
      const purposeStatement = given.purposeStatement ?? (await statementOrNone(given));
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
