import { dayIn, DEFAULT_TIME_ZONE } from './dates';
import type { DisclosureRecordInput, RecordRetention } from './record';

/**
 * How long a record must be kept, and the date it may go. Dates are calendar days in the engine's
 * zone (Asia/Tokyo unless told): a record made at 08:00 JST on 1 April counts from 1 April.
 *
 * APPI Art. 29(2) makes the provider keep its record of a third-party provision for the period
 * the Enforcement Rules set (Art. 21, by how the record was made under Art. 19):
 * - a record made in the form of the contract document (Rules Art. 19(3)): 1 year from the last
 *   provision the document covers;
 * - a record made collectively for continuous or repeated provision (Rules Art. 19(2) proviso):
 *   3 years from the last provision it covers;
 * - any other record: 3 years.
 * The engine writes one record per provision, so its consent records take the third period; the
 * first two are counted from the last provision of the group (see `groupRetention`).
 *
 * No Art. 29 record is due for a handover to an entrustee (not a third party, Art. 27(5)(i)) or
 * for an Art. 27(1) disclosure (Art. 29(1) proviso). An entrustment record is kept for the
 * contract's own period (to the end of its term). HIPAA-style: every delivered disclosure belongs
 * in the accounting, and documentation is kept 6 years (45 CFR 164.530(j)(2); the accounting looks
 * back 6 years, 164.528(a)(1)). A record none of these covers (a refused attempt, a legal
 * disclosure's refusal) is kept 3 years, the longest APPI period, as the engine's own choice: it is
 * the evidence that the engine failed closed. The record's retainUntil is the latest that applies.
 */
export type Retention = RecordRetention;

export const RETENTION_YEARS = {
  /** Enforcement Rules Art. 21(i): record in the form of the contract document, from the last provision. */
  appiContractDocument: 1,
  /** Enforcement Rules Art. 21(ii): record made collectively for continuous or repeated provision, from the last provision. */
  appiCollective: 3,
  /** Enforcement Rules Art. 21(iii): any other provision record. */
  appi: 3,
  /** 45 CFR 164.530(j)(2): six years from creation. */
  hipaa: 6,
  /** Not a legal period: how long the engine keeps a record no rule above covers. */
  engineDefault: 3,
} as const;

/** How an Art. 29 record was made (Enforcement Rules Art. 19). */
export type RecordMethod = 'each' | 'collective' | 'contract-document';

export type RetentionFacts = Pick<DisclosureRecordInput, 'occurredAt' | 'outcome' | 'basis' | 'kind' | 'entryType'>;

/** The same calendar day n years later; 29 February becomes 1 March in a common year. */
export function addYears(isoDate: string, years: number): string {
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${isoDate}`);
  const out = new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()));
  return out.toISOString().slice(0, 10);
}

/** The APPI Art. 29(2) period for a provision record made by `method`, counted from `lastProvision`. */
export function appiRecordUntil(method: RecordMethod, lastProvision: string): { until: string; rule: string } {
  switch (method) {
    case 'contract-document':
      return { until: addYears(lastProvision, RETENTION_YEARS.appiContractDocument), rule: 'APPI Art. 29(2); Enforcement Rules Art. 21(i)' };
    case 'collective':
      return { until: addYears(lastProvision, RETENTION_YEARS.appiCollective), rule: 'APPI Art. 29(2); Enforcement Rules Art. 21(ii)' };
    case 'each':
      return { until: addYears(lastProvision, RETENTION_YEARS.appi), rule: 'APPI Art. 29(2); Enforcement Rules Art. 21(iii)' };
  }
}

const latest = (dates: (string | undefined)[]): string =>
  dates.filter((d): d is string => d !== undefined).reduce((a, b) => (b > a ? b : a));

/** A delivered provision on consent: the only record that carries the Art. 29 duty here. */
const isProvision = (f: RetentionFacts): boolean => f.outcome === 'delivered' && f.basis?.type === 'consent' && f.entryType === 'disclosure';

export function retentionFor(facts: RetentionFacts, method: RecordMethod = 'each', timeZone = DEFAULT_TIME_ZONE): Retention {
  const day = dayIn(facts.occurredAt, timeZone);
  const delivered = facts.outcome === 'delivered';
  const appi = isProvision(facts) ? appiRecordUntil(method, day) : undefined;
  const contractUntil = facts.basis?.type === 'entrustment' ? (facts.basis.validTo > day ? facts.basis.validTo : day) : undefined;
  const hipaaUntil = delivered ? addYears(day, RETENTION_YEARS.hipaa) : undefined;
  const fallback = appi === undefined && contractUntil === undefined && hipaaUntil === undefined ? addYears(day, RETENTION_YEARS.engineDefault) : undefined;
  return {
    appiUntil: appi?.until,
    appiRule: appi?.rule,
    contractUntil,
    hipaaUntil,
    retainUntil: latest([appi?.until, contractUntil, hipaaUntil, fallback]),
  };
}

/**
 * For records made collectively or in the contract document, the period runs from the last
 * provision the record covers: every record of one group (same recipient, purpose and consent)
 * keeps the group's latest APPI date.
 */
export function groupRetention<R extends { recipient: { id: string }; purpose: string; basis?: RetentionFacts['basis']; retention: Retention } & RetentionFacts>(
  records: R[],
  method: Exclude<RecordMethod, 'each'>,
  timeZone = DEFAULT_TIME_ZONE,
): Map<R, Retention> {
  const key = (r: R): string => `${r.recipient.id}\u0000${r.purpose}\u0000${r.basis?.type === 'consent' ? r.basis.consentId : ''}`;
  const last = new Map<string, string>();
  for (const r of records.filter(isProvision)) last.set(key(r), latest([last.get(key(r)), dayIn(r.occurredAt, timeZone)]));
  const out = new Map<R, Retention>();
  for (const r of records) {
    const lastDay = last.get(key(r));
    if (!isProvision(r) || lastDay === undefined) {
      out.set(r, r.retention);
      continue;
    }
    const appi = appiRecordUntil(method, lastDay);
    out.set(r, { ...r.retention, appiUntil: appi.until, appiRule: appi.rule, retainUntil: latest([appi.until, r.retention.contractUntil, r.retention.hipaaUntil]) });
  }
  return out;
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
