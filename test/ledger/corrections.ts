import type { FieldName } from '../../domain/fields';
import type { DisclosureRecordInput } from '../../domain/record';

/** A correction as `ledger correct` writes it, for tests that build ledgers without a store. */
export const correctionOf = (original: DisclosureRecordInput, recordId: string, items: FieldName[]): DisclosureRecordInput => ({
  ...original,
  entryType: 'correction',
  corrects: recordId,
  idempotencyKey: `correction:${recordId}`,
  items,
});
