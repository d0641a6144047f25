import type { DisclosureRecordInput } from './record';

/**
 * What a legal request says about telling the customer, read back from its record, and when a
 * view may show the disclosure. Zod-free: the legal workflow writes these details.
 *
 * - The customer notice (APPI practice; GDPR Art. 23 restrictions follow the same modes):
 *   `allowed`, `prohibited`, or deferred until a moment.
 * - The accounting suspension (HIPAA 45 CFR 164.528(a)(2)): an agency or official asks that its
 *   disclosures be left out of the accounting until a date. A written statement holds until that
 *   date; an oral one holds at most 30 days from the statement unless confirmed in writing within
 *   them (164.528(a)(2)(ii)).
 */
export type NoticeMode = { mode: 'allowed' } | { mode: 'prohibited' } | { mode: 'deferred'; until: string };

export interface AccountingSuspension {
  agency: string;
  until: string;
  form: 'written' | 'oral';
  /** When the agency made the statement (the oral 30 days run from here). */
  statedAt: string;
  /** When an oral statement was confirmed in writing, if it was. */
  confirmedInWritingAt?: string | undefined;
}

export const ORAL_SUSPENSION_DAYS = 30;
const DAY_MS = 86_400_000;

type Details = DisclosureRecordInput['details'];

/**
 * The notice mode recorded with a legal disclosure (`details.notice`, as `describeNotice` wrote
 * it). Anything unreadable counts as prohibited: a view fails closed rather than tip anyone off.
 */
export function noticeOf(details: Details): NoticeMode {
  const raw = details?.notice;
  if (raw === 'allowed') return { mode: 'allowed' };
  if (typeof raw === 'string') {
    const m = /^deferred until (.+)$/.exec(raw);
    if (m?.[1] !== undefined && !Number.isNaN(Date.parse(m[1]))) return { mode: 'deferred', until: m[1] };
  }
  return { mode: 'prohibited' };
}

/** How the record states the notice mode; `noticeOf` reads it back. */
export const describeNotice = (n: NoticeMode): string => (n.mode === 'deferred' ? `deferred until ${n.until}` : n.mode);

/** True while the customer may not learn of the disclosure: prohibited, or before the deferred moment. */
export function noticeWithheld(notice: NoticeMode, now: Date): boolean {
  if (notice.mode === 'allowed') return false;
  if (notice.mode === 'prohibited') return true;
  return now.getTime() < Date.parse(notice.until);
}

/** The details keys a suspension is recorded under (the record's details hold primitives only). */
export function suspensionDetails(s: AccountingSuspension | undefined): Record<string, string> {
  if (s === undefined) return {};
  const out: Record<string, string> = {
    suspendedBy: s.agency,
    suspendedUntil: s.until,
    suspensionForm: s.form,
    suspensionStatedAt: s.statedAt,
  };
  if (s.confirmedInWritingAt !== undefined) out.suspensionConfirmedInWritingAt = s.confirmedInWritingAt;
  return out;
}

export function suspensionOf(details: Details): AccountingSuspension | undefined {
  const d = details ?? {};
  const str = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const agency = str('suspendedBy');
  const until = str('suspendedUntil');
  const form = str('suspensionForm');
  const statedAt = str('suspensionStatedAt');
  if (agency === undefined || until === undefined || statedAt === undefined) return undefined;
  if (form !== 'written' && form !== 'oral') return undefined;
  return { agency, until, form, statedAt, confirmedInWritingAt: str('suspensionConfirmedInWritingAt') };
}

/** The moment the suspension ends: its date, or for an oral statement not confirmed in writing in time, 30 days after it. */
export function suspensionEnds(s: AccountingSuspension): string {
  if (s.form === 'written') return s.until;
  const lapse = Date.parse(s.statedAt) + ORAL_SUSPENSION_DAYS * DAY_MS;
  const confirmed = s.confirmedInWritingAt !== undefined && Date.parse(s.confirmedInWritingAt) <= lapse;
  if (confirmed || Date.parse(s.until) <= lapse) return s.until;
  return new Date(lapse).toISOString();
}

export function suspended(s: AccountingSuspension | undefined, now: Date): boolean {
  return s !== undefined && now.getTime() < Date.parse(suspensionEnds(s));
}
