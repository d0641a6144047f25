import type { DisclosureRecord } from '../domain/record';
import type { RecordFilter } from './store';

/**
 * The filters on fields that live only in the hashed body; both backends apply them after the
 * indexed columns have narrowed the rows. A date-only `until` includes that whole day.
 */
export function matchesBodyFilter(r: DisclosureRecord, f: RecordFilter): boolean {
  if (f.entryType !== undefined && r.entryType !== f.entryType) return false;
  if (f.outcome !== undefined && r.outcome !== f.outcome) return false;
  if (f.since !== undefined && r.occurredAt < f.since) return false;
  if (f.until !== undefined) {
    const bound = f.until.length === 10 ? `${f.until}T23:59:59.999Z` : f.until;
    if (r.occurredAt > bound) return false;
  }
  return true;
}

/** The indexed-column conditions, as (column, value) pairs each backend renders in its own SQL. */
export function columnConditions(f: RecordFilter): { column: string; value: string }[] {
  const out: { column: string; value: string }[] = [];
  if (f.recipientId !== undefined) out.push({ column: 'recipient_id', value: f.recipientId });
  if (f.kind !== undefined) out.push({ column: 'kind', value: f.kind });
  if (f.disclosureId !== undefined) out.push({ column: 'disclosure_id', value: f.disclosureId });
  if (f.recordId !== undefined) out.push({ column: 'record_id', value: f.recordId });
  return out;
}
