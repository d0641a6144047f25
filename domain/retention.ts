import type { DisclosureRecordInput, RecordRetention } from './record';

/**
 * How long a record must be kept, per regime, and the date it may go:
 * - APPI Art. 29(2) with Enforcement Rules Art. 21: 3 years from the record's date; 1 year where
 *   a contract stands in for the record. Here that is an entrustment, whose contract on file
 *   documents the handover (instructions, term, supervision).
 * - HIPAA 45 CFR 164.528 / 164.530(j): 6 years for every disclosure that belongs in the
 *   accounting, i.e. every delivered one. A refused or cancelled attempt disclosed nothing, so
 *   only the APPI period applies to it.
 * The record's retainUntil is the latest date that applies. Dates are calendar days (UTC).
 */
export type Retention = RecordRetention;

export const RETENTION_YEARS = { appi: 3, appiContract: 1, hipaa: 6 } as const;

export type RetentionFacts = Pick<DisclosureRecordInput, 'occurredAt' | 'outcome' | 'basis'>;

/** The same calendar day n years later; 29 February becomes 1 March in a common year. */
export function addYears(isoDate: string, years: number): string {
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${isoDate}`);
  const out = new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()));
  return out.toISOString().slice(0, 10);
}

export function retentionFor(facts: RetentionFacts): Retention {
  const day = facts.occurredAt.slice(0, 10);
  const appiYears = facts.basis?.type === 'entrustment' ? RETENTION_YEARS.appiContract : RETENTION_YEARS.appi;
  const appiUntil = addYears(day, appiYears);
  const hipaaUntil = facts.outcome === 'delivered' ? addYears(day, RETENTION_YEARS.hipaa) : undefined;
  const retainUntil = hipaaUntil !== undefined && hipaaUntil > appiUntil ? hipaaUntil : appiUntil;
  return { appiUntil, hipaaUntil, retainUntil };
}

export interface HoldView {
  id: string;
  scope: 'subject' | 'record';
  target: string;
}

/** Holds placed and not yet released; a release names the hold it ends. */
export function activeHolds<H extends HoldView & { action: 'place' | 'release'; releases?: string | undefined }>(
  holds: H[],
): H[] {
  const released = new Set(holds.filter((h) => h.action === 'release').map((h) => h.releases));
  return holds.filter((h) => h.action === 'place' && !released.has(h.id));
}

export interface PurgeDecision {
  purgeable: boolean;
  retainUntil: string;
  heldBy: string[];
}

/** A record may go once its retention has passed and no active hold covers it or its customers. */
export function purgeDecision(
  record: { recordId: string; subjectIds: string[]; retention: Retention },
  active: HoldView[],
  asOf: string,
): PurgeDecision {
  const heldBy = active
    .filter((h) => (h.scope === 'record' ? h.target === record.recordId : record.subjectIds.includes(h.target)))
    .map((h) => h.id);
  const expired = record.retention.retainUntil < asOf.slice(0, 10);
  return { purgeable: expired && heldBy.length === 0, retainUntil: record.retention.retainUntil, heldBy };
}
