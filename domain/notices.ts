import type { FieldName } from './field-names';
import { FIELD_NAMES } from './field-names';
import type { DisclosureKind } from './policy';
import type { DisclosureRecord } from './record';
import type { RecipientSnapshot } from './registry';
import { effectiveDisclosures } from './reports';

/**
 * Downstream notices: who is told what when a customer's data changes after it went out
 * (GDPR Art. 19; under APPI the company keeps an entrustee's copy accurate, Art. 22 and 25, and
 * asks for deletion when the purpose ends or consent goes). Pure: the records and the withdrawn
 * consents in, the notices out. Zod-free, since the workflow imports the types.
 *
 * - rectification: the changed items a recipient holds, with their new values, and nothing else;
 * - erasure on request: a request to delete everything the recipient holds about the customer;
 * - consent withdrawn after delivery: a request to stop using and delete, to the recipients
 *   that received data under that consent.
 *
 * A recipient "holds" what a delivered (or possibly delivered) disclosure gave it, unless the
 * entrustee confirmed deletion of it, or the recipient was already asked to delete it (an erasure
 * or withdrawal notice sent; for an erasure, also a withdrawn consent, whose own notice asks). Authorities
 * that received data under Art. 27(1) are not told: they are not recipients of the Art. 19 kind
 * (GDPR Art. 4(9)), and a notice to them would show the customer a disclosure that may still be
 * withheld from them.
 */
export type NoticeCause =
  | { type: 'rectification'; items: FieldName[] }
  | { type: 'erasure' }
  | { type: 'withdrawal'; consentId: string };

export type NoticeCauseType = NoticeCause['type'];

/** The ledger entries of a notice, by what happened; `items` are names, never values. */
export const NOTICE_ENTRY_TYPES = ['recipient-notice', 'recipient-notice-reminder', 'recipient-notice-escalation', 'recipient-notice-confirmation'] as const;
export type NoticeEntryType = (typeof NOTICE_ENTRY_TYPES)[number];

/** One recipient's notice: the items it concerns and the deliveries it refers to. */
export interface PlannedNotice {
  recipient: RecipientSnapshot;
  items: FieldName[];
  disclosureIds: string[];
  recordIds: string[];
  /** The consents those deliveries rest on (none for an entrustment). */
  consentIds: string[];
  /** Kind and purpose of the latest delivery the notice refers to, for the ledger entry. */
  kind: DisclosureKind;
  purpose: string;
}

export interface NoticeFacts {
  subjectId: string;
  /** Every ledger record about the customer. */
  records: DisclosureRecord[];
  /** Consents withdrawn by now: no new values go out on a consent that is gone. */
  withdrawnConsentIds: ReadonlySet<string>;
}

const byFieldOrder = (items: Iterable<FieldName>): FieldName[] => {
  const set = new Set(items);
  return FIELD_NAMES.filter((f) => set.has(f));
};

/** The deliveries erasure or withdrawal notices refer to, sent (`delivered`) or ended without sending (`failed`). */
function deletionNotices(records: DisclosureRecord[], outcome: 'delivered' | 'failed'): Set<string> {
  const ids = new Set<string>();
  for (const r of records) {
    if (r.entryType !== 'recipient-notice' || r.details?.cause === 'rectification') continue;
    if ((outcome === 'delivered') !== (r.outcome === 'delivered')) continue;
    for (const id of String(r.details?.refersTo ?? '').split(',')) if (id !== '') ids.add(id);
  }
  return ids;
}

export function planNotices(facts: NoticeFacts, cause: NoticeCause): PlannedNotice[] {
  const about = facts.records.filter((r) => r.subjectIds.includes(facts.subjectId));
  const deleted = new Set(about.filter((r) => r.entryType === 'deletion-confirmation').map((r) => r.disclosureId));
  const asked = deletionNotices(about, 'delivered');
  const notAsked = deletionNotices(about, 'failed');
  const held = effectiveDisclosures(about).filter(
    (d) => d.treatment !== 'legal' && !deleted.has(d.record.disclosureId) && !asked.has(d.record.disclosureId),
  );
  const concerned = held.filter((d) => {
    const b = d.record.basis;
    const withdrawn = b?.type === 'consent' && facts.withdrawnConsentIds.has(b.consentId);
    if (cause.type === 'withdrawal') return b?.type === 'consent' && b.consentId === cause.consentId;
    // No new value goes out on a consent that is gone.
    if (cause.type === 'rectification') return !withdrawn;
    // The withdrawal asked for deletion already (its notice may still be on its way), unless that notice could not be sent.
    return !withdrawn || notAsked.has(d.record.disclosureId);
  });

  const byRecipient = new Map<string, PlannedNotice>();
  for (const d of concerned) {
    const items = cause.type === 'rectification' ? d.items.filter((i) => cause.items.includes(i)) : d.items;
    if (items.length === 0) continue;
    const found = byRecipient.get(d.recipient.id);
    const notice: PlannedNotice = found ?? { recipient: d.recipient, items: [], disclosureIds: [], recordIds: [], consentIds: [], kind: d.record.kind, purpose: d.purpose };
    notice.items = byFieldOrder([...notice.items, ...items]);
    if (!notice.disclosureIds.includes(d.record.disclosureId)) notice.disclosureIds.push(d.record.disclosureId);
    notice.recordIds.push(d.recordId);
    const b = d.record.basis;
    if (b?.type === 'consent' && !notice.consentIds.includes(b.consentId)) notice.consentIds.push(b.consentId);
    // The latest delivery names the recipient as it now stands, and the kind and purpose.
    Object.assign(notice, { recipient: d.recipient, kind: d.record.kind, purpose: d.purpose });
    byRecipient.set(d.recipient.id, notice);
  }
  return [...byRecipient.values()].sort((a, b) => (a.recipient.id < b.recipient.id ? -1 : a.recipient.id > b.recipient.id ? 1 : 0));
}

/** The items whose values differ between the file on record and the rectified one. */
export function changedItems(before: Partial<Record<FieldName, unknown>>, after: Partial<Record<FieldName, unknown>>): FieldName[] {
  return FIELD_NAMES.filter((f) => before[f] !== after[f]);
}

/** How long a recipient has to confirm, and how it is chased; inputs, so tests can use seconds. */
export interface NoticeTiming {
  confirmWithinMs: number;
  reminderIntervalMs: number;
  /** From this reminder on, each reminder also goes to the privacy office. */
  escalateAfterReminders: number;
}

const DAY_MS = 86_400_000;

/** Two weeks to confirm, a reminder a week after that, the privacy office told from the second. */
export const DEFAULT_NOTICE_TIMING: NoticeTiming = { confirmWithinMs: 14 * DAY_MS, reminderIntervalMs: 7 * DAY_MS, escalateAfterReminders: 2 };

/** What the customer's report says about each notice, from the ledger alone. */
export interface NoticeTold {
  noticeId: string;
  cause: NoticeCauseType;
  recipient: { id: string; name: string };
  items: FieldName[];
  sentAt: string;
  confirmedAt?: string | undefined;
  reminders: number;
  escalated: boolean;
}

/** GDPR Art. 19, last sentence: the customer learns which recipients were told, when, and whether they confirmed. */
export function noticesTold(subjectId: string, records: DisclosureRecord[], now: Date): NoticeTold[] {
  const mine = records.filter((r) => r.subjectIds.includes(subjectId) && r.occurredAt <= now.toISOString());
  const told = new Map<string, NoticeTold>();
  for (const r of mine) {
    if (r.entryType === 'recipient-notice' && r.outcome === 'delivered') {
      const cause = r.details?.cause;
      told.set(r.disclosureId, {
        noticeId: r.disclosureId,
        cause: cause === 'erasure' || cause === 'withdrawal' ? cause : 'rectification',
        recipient: { id: r.recipient.id, name: r.recipient.name },
        items: r.items,
        sentAt: r.occurredAt,
        reminders: 0,
        escalated: false,
      });
    }
  }
  for (const r of mine) {
    const t = told.get(r.disclosureId);
    if (t === undefined) continue;
    if (r.entryType === 'recipient-notice-confirmation') t.confirmedAt = r.occurredAt;
    if (r.entryType === 'recipient-notice-reminder') t.reminders += 1;
    if (r.entryType === 'recipient-notice-escalation') t.escalated = true;
  }
  return [...told.values()].sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
}

/** One recipient's notice within a batch: `<batch>.<recipient>`, the id its ledger entries share. */
export const noticeIdOf = (batchId: string, recipientId: string): string => `${batchId}.${recipientId}`;
