import { dayIn, DEFAULT_TIME_ZONE } from './dates';
import type { LegalBasis } from './basis';
import type { FieldName } from './fields';
import type { PurposeStatement, PurposeStatements } from './purposes';
import { purposeLine } from './purposes';
import { noticeOf, noticeWithheld, suspended, suspensionOf } from './legal-notice';
import type { DisclosureKind } from './policy';
import type { DisclosureRecord } from './record';
import type { RecipientSnapshot } from './registry';
import { addYears } from './retention';

/**
 * Three views of one stored record, one per regime. The treatment of each kind of disclosure:
 * - consent (dealer): a third-party provision that carries an APPI Art. 29 record: in the APPI
 *   Art. 33(5) view, the HIPAA-style accounting and the GDPR recipients (the dealer is a controller).
 * - entrustment (carrier, survey firm): APPI Art. 27(5)(i) says a contractor is not a third
 *   party, so it is not in the APPI view (the view says so, with a count); it is a disclosure in
 *   the accounting and a recipient (processor) under GDPR Art. 4(9).
 * - legal (police, court, emergency): an Art. 27(1) disclosure carries no Art. 29 record, so the
 *   APPI view leaves it out unless the policy lists it, and then only once the customer may be
 *   told (never while notice is prohibited, never before its deferred date). The accounting lists
 *   it unless the agency's suspension (164.528(a)(2)) is in effect. GDPR: an authority receiving
 *   data in a particular inquiry is not a recipient (Art. 4(9)); an emergency recipient is, but a
 *   restriction under Art. 23 (the request's notice mode) keeps it out like the APPI view.
 * Delivered disclosures count, and so do those whose delivery is uncertain (a send was started
 * and its outcome is unknown: the recipient may hold the data, so the views list it, marked);
 * refused attempts disclosed nothing. A correction replaces the content of the record it corrects. Withheld disclosures leave no trace in a view, not even a count.
 */
export type Regime = 'appi' | 'hipaa' | 'gdpr';
export const REGIMES: readonly Regime[] = ['appi', 'hipaa', 'gdpr'];

export type Treatment = 'provision' | 'entrustment' | 'legal';

/** A record of data going to a recipient: registry entries (kind `registry`, naming the provider) never are. */
export type DisclosedRecord = DisclosureRecord & { kind: DisclosureKind; recipient: RecipientSnapshot };
const isDisclosed = (r: DisclosureRecord): r is DisclosedRecord => r.kind !== 'registry' && r.recipient.kind !== 'provider';

export interface Disclosure {
  recordId: string;
  correctedBy?: string | undefined;
  date: string;
  recipient: RecipientSnapshot;
  purpose: string;
  purposeStatement?: PurposeStatement | undefined;
  items: FieldName[];
  treatment: Treatment;
  record: DisclosedRecord;
}

export function treatmentOf(r: Pick<DisclosureRecord, 'basis' | 'kind' | 'recipient'>): Treatment {
  if (r.basis?.type === 'legal' || r.kind === 'legal' || r.recipient.kind === 'authority') return 'legal';
  if (r.basis?.type === 'entrustment' || r.recipient.kind === 'carrier' || r.recipient.kind === 'survey-firm') return 'entrustment';
  return 'provision';
}

/**
 * Delivered disclosures as they stand after corrections, oldest first. The purpose statement is
 * the one stamped on the record, else the policy's for that kind and purpose.
 */
export function effectiveDisclosures(records: DisclosureRecord[], statements: PurposeStatements = {}): Disclosure[] {
  const byId = new Map(records.map((r) => [r.recordId, r]));
  const rootOf = (r: DisclosureRecord): string => {
    let cur = r;
    while (cur.corrects !== undefined && byId.has(cur.corrects)) cur = byId.get(cur.corrects)!;
    return cur.corrects ?? cur.recordId;
  };
  const latest = new Map<string, DisclosedRecord>();
  for (const r of records) {
    if ((r.entryType === 'disclosure' || r.entryType === 'correction') && isDisclosed(r)) latest.set(rootOf(r), r);
  }
  return [...latest.entries()]
    .filter(([, r]) => r.outcome === 'delivered' || r.outcome === 'delivery-uncertain')
    .map(([root, r]) => ({
      recordId: root,
      correctedBy: r.recordId === root ? undefined : r.recordId,
      date: r.occurredAt,
      recipient: r.recipient,
      purpose: r.purpose,
      purposeStatement: r.purposeStatement ?? statements[r.kind]?.[r.purpose],
      items: r.items,
      treatment: treatmentOf(r),
      record: r,
    }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const LEGAL_ARTICLE: Record<LegalBasis['ground'], string> = {
  warrant: 'APPI Art. 27(1)(i) (required by law)',
  statute: 'APPI Art. 27(1)(i) (required by law)',
  emergency: 'APPI Art. 27(1)(ii) (protection of life, body or property)',
  inquiry: 'APPI Art. 27(1)(iv) (cooperation with a public body)',
};

export interface AppiEntry {
  recordId: string;
  correctedBy?: string | undefined;
  date: string;
  recipient: { name: string; address: string; representative?: string | undefined };
  items: FieldName[];
  purpose: string;
  purposeStatement?: PurposeStatement | undefined;
  basis: string;
  /** Set for Art. 27(1) disclosures: exempt from the Art. 29 record duty, listed for completeness. */
  exempt?: string | undefined;
  /** Set when the send's outcome is unknown: the recipient may or may not hold these items. */
  deliveryUncertain?: true | undefined;
}

/** True while the customer may not learn of this legal disclosure (the request's notice mode). */
export function withheldFromCustomer(d: Disclosure, now: Date): boolean {
  return d.treatment === 'legal' && noticeWithheld(noticeOf(d.record.details), now);
}

export interface AppiOptions {
  now: Date;
  /** The policy may choose to list Art. 27(1) disclosures; they carry no Art. 29 record duty. */
  listLegalDisclosures?: boolean | undefined;
}

/**
 * APPI Art. 33(5): disclosure of the third-party provision records (Art. 29) about the customer.
 * Entrustments are counted as not being third-party provisions (Art. 27(5)(i)).
 */
export function appiView(disclosures: Disclosure[], opts: AppiOptions): { entries: AppiEntry[]; entrustmentsNotListed: number } {
  const listed = (d: Disclosure): boolean =>
    d.treatment === 'provision' || (d.treatment === 'legal' && opts.listLegalDisclosures === true && !withheldFromCustomer(d, opts.now));
  const entries = disclosures
    .filter((d) => listed(d) && d.date <= opts.now.toISOString())
    .map((d): AppiEntry => {
      const b = d.record.basis;
      const basis =
        b?.type === 'consent' ? `consent ${b.consentId} (notice ${b.noticeVersion})` : b?.type === 'legal' ? LEGAL_ARTICLE[b.ground] : 'legal request';
      return {
        recordId: d.recordId,
        correctedBy: d.correctedBy,
        date: d.date,
        recipient: { name: d.recipient.name, address: d.recipient.address, representative: d.recipient.representative },
        items: d.items,
        purpose: d.purpose,
        purposeStatement: d.purposeStatement,
        basis,
        exempt: d.treatment === 'legal' ? `${basis}: exempt from the Art. 29 record duty` : undefined,
        deliveryUncertain: d.record.outcome === 'delivery-uncertain' ? true : undefined,
      };
    });
  return { entries, entrustmentsNotListed: disclosures.filter((d) => d.treatment === 'entrustment').length };
}

export interface AccountingSingle {
  type: 'single';
  recordId: string;
  date: string;
  recipient: { name: string; address: string };
  description: FieldName[];
  /** The brief statement of the purpose (164.528(b)(2)(iv)), Japanese / English. */
  purpose: string;
  purposeKey: string;
}

export interface AccountingSummary {
  type: 'summary';
  recordIds: string[];
  recipient: { name: string; address: string };
  description: FieldName[];
  purpose: string;
  purposeKey: string;
  first: string;
  last: string;
  count: number;
  /** Mean days between disclosures, rounded; how often this recipient received data for this purpose. */
  everyDays: number;
  frequency: string;
}

export type AccountingEntry = AccountingSingle | AccountingSummary;

const DAY_MS = 86_400_000;

function purposeStatement(d: Disclosure): string {
  return purposeLine(d.purposeStatement, d.purpose);
}

function union(lists: FieldName[][]): FieldName[] {
  return [...new Set(lists.flat())];
}

/**
 * HIPAA 164.528-style accounting: every disclosure in the 6 years before `now` (164.528(a)(1));
 * repeated disclosures to one recipient for one purpose become one entry with first and last
 * date, count and frequency (164.528(b)(3)); a disclosure whose agency suspended the accounting
 * is left out while the suspension is in effect (164.528(a)(2)).
 */
export function hipaaView(disclosures: Disclosure[], now: Date, timeZone = DEFAULT_TIME_ZONE): { since: string; entries: AccountingEntry[] } {
  const since = addYears(dayIn(now, timeZone), -6);
  const inWindow = disclosures.filter(
    (d) => dayIn(d.date, timeZone) >= since && d.date <= now.toISOString() && !(d.treatment === 'legal' && suspended(suspensionOf(d.record.details), now)),
  );
  const groups = new Map<string, Disclosure[]>();
  for (const d of inWindow) {
    const key = `${d.recipient.id}\u0000${d.purpose}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const entries = [...groups.values()].map((group): AccountingEntry => {
    const first = group[0]!;
    const recipient = { name: first.recipient.name, address: first.recipient.address };
    if (group.length === 1) {
      return { type: 'single', recordId: first.recordId, date: first.date, recipient, description: first.items, purpose: purposeStatement(first), purposeKey: first.purpose };
    }
    const last = group[group.length - 1]!;
    const everyDays = Math.round((Date.parse(last.date) - Date.parse(first.date)) / DAY_MS / (group.length - 1));
    return {
      type: 'summary',
      recordIds: group.map((d) => d.recordId),
      recipient,
      description: union(group.map((d) => d.items)),
      purpose: purposeStatement(first),
      purposeKey: first.purpose,
      first: first.date,
      last: last.date,
      count: group.length,
      everyDays,
      frequency: `${group.length} disclosures, about every ${everyDays} day${everyDays === 1 ? '' : 's'}`,
    };
  });
  return { since, entries };
}

export interface GdprRecipient {
  name: string;
  address: string;
  role: 'controller' | 'processor';
  category: string;
  items: FieldName[];
  /** Why it received the data, as the policy states each purpose. */
  purposes: string[];
  first: string;
  last: string;
  count: number;
}

const CATEGORY: Record<string, string> = {
  dealer: 'car dealers',
  carrier: 'shipping carriers',
  'survey-firm': 'survey and research firms',
  authority: 'public bodies and emergency services (protection of life, body or property)',
};

/** An authority receiving data in a particular inquiry (a warrant, an inquiry, a statute's demand); not an emergency. */
function particularInquiry(d: Disclosure): boolean {
  const b = d.record.basis;
  return d.treatment === 'legal' && (b?.type !== 'legal' || b.ground !== 'emergency');
}

/**
 * GDPR Art. 15(1)(c): the recipients by name, with their categories (Art. 30(1)(d)). Public
 * authorities in a particular inquiry are not recipients (Art. 4(9)); an emergency recipient is
 * listed once the request's restriction (Art. 23) allows the customer to learn of it.
 */
export function gdprView(disclosures: Disclosure[], now: Date): { recipients: GdprRecipient[]; categories: string[] } {
  const byRecipient = new Map<string, Disclosure[]>();
  const listed = disclosures.filter((d) => !particularInquiry(d) && !withheldFromCustomer(d, now) && d.date <= now.toISOString());
  for (const d of listed) {
    byRecipient.set(d.recipient.id, [...(byRecipient.get(d.recipient.id) ?? []), d]);
  }
  const recipients = [...byRecipient.values()].map((group): GdprRecipient => {
    const first = group[0]!;
    return {
      name: first.recipient.name,
      address: first.recipient.address,
      role: first.treatment === 'entrustment' ? 'processor' : 'controller',
      category: CATEGORY[first.recipient.kind] ?? first.recipient.kind,
      items: union(group.map((d) => d.items)),
      purposes: [...new Set(group.map(purposeStatement))],
      first: first.date,
      last: group[group.length - 1]!.date,
      count: group.length,
    };
  });
  return { recipients, categories: [...new Set(recipients.map((r) => r.category))] };
}
