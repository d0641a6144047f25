import type { Actor } from './actor';
import type { Basis } from './basis';
import type { DeletionState } from './deletion';
import type { FieldName } from './fields';
import type { NoticeEntryType } from './notices';
import type { DisclosureKind } from './policy';
import type { PurposeStatement } from './purposes';
import type { RecipientSnapshot } from './registry';
import type { Refusal } from './refusals';

export type ProviderParty = Omit<RecipientSnapshot, 'kind'> & { kind: 'provider' };

/** `delivery-uncertain`: a send was started but its SMTP outcome is unknown; the recipient may hold the data. */
export type RecordOutcome = 'delivered' | 'refused' | 'cancelled' | 'failed' | 'delivery-uncertain';

/**
 * What the engine writes once per disclosure (and per refused attempt). Together the fields
 * meet APPI Art. 29, HIPAA 164.528 and GDPR Art. 15/30, and tie the record to its process:
 * workflow and run ids, policy version and digest, basis reference, staff, payload digest.
 */
export interface DisclosureRecordInput {
  /** Unique per ledger: a retried append with the same key returns the first record. */
  idempotencyKey: string;
  /**
   * `notice` tells a customer of a legal disclosure; `recipient-notice…` tell recipients of a change (domain/notices.ts);
   * `registry`: a write to the registry (customers, recipients, consents) or a decision on one; it concerns no disclosure.
   * `approval`: a second person's decision (approved or rejected) on a disclosure waiting for one, naming their token.
   */
  entryType: 'disclosure' | 'acknowledgement' | 'deletion-confirmation' | 'review' | 'correction' | 'notice' | NoticeEntryType | 'registry' | 'approval';
  disclosureId: string;
  kind: DisclosureKind | 'registry';
  /** `recorded` only on registry and approval entries: a fact about a decision, no disclosure. */
  outcome: RecordOutcome | 'recorded';
  refusal?: Refusal | undefined;
  workflowId: string;
  runId: string;
  subjectIds: string[];
  /** A registry entry about customers names the provider itself: that data went to no recipient. */
  recipient: RecipientSnapshot | ProviderParty;
  purpose: string;
  /** The policy's statement of the purpose, stamped on append from the policy version the record names. */
  purposeStatement?: PurposeStatement | undefined;
  basis?: Basis | undefined;
  items: FieldName[];
  requestedItems?: FieldName[] | undefined;
  policy: { version: string; digest: string };
  requestedBy: string;
  /** The token (or, from the command line, the operator) that made this entry. */
  actor?: Actor | undefined;
  approvedBy?: string[] | undefined;
  /** The token (or operator) that approved or rejected a request as the second person, where one decided it. */
  decidedBy?: Actor | undefined;
  payloadDigest?: string | undefined;
  messageId?: string | undefined;
  occurredAt: string;
  /** Kind-specific references (catalog, survey id, shipment, document number); never personal data. */
  details?: Record<string, string | number | boolean> | undefined;
  /** For corrections: the record this one corrects. */
  corrects?: string | undefined;
}

/** Keep-until dates per regime, computed when the record is appended (see domain/retention.ts). */
export interface RecordRetention {
  /** APPI Art. 29(2): only a record of a third-party provision carries it. */
  appiUntil?: string | undefined;
  /** The provision of the Enforcement Rules the APPI date follows. */
  appiRule?: string | undefined;
  /** An entrustment record: the end of the contract's term. */
  contractUntil?: string | undefined;
  hipaaUntil?: string | undefined;
  retainUntil: string;
}

export interface DisclosureRecord extends DisclosureRecordInput {
  /** Set by the ledger on append; absent only on records written before retention was kept. */
  retention?: RecordRetention | undefined;
  seq: number;
  recordId: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/** The terminal and in-flight states a disclosure reports through `status`. */
export const DISCLOSURE_STATUSES = [
  'pending',
  'awaiting-approval',
  'delivered',
  'acknowledged',
  'refused',
  'failed',
  'cancelled',
  'delivery-uncertain',
] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

export interface DisclosureResult {
  id: string;
  kind: DisclosureKind;
  status: DisclosureStatus;
  fields: FieldName[];
  reason?: Refusal | undefined;
  recordId?: string | undefined;
  messageId?: string | undefined;
  /** Batches: customers checked of those requested. */
  progress?: { done: number; total: number } | undefined;
  /** Entrustments: the deletion follow-up once the data has gone out. */
  deletion?: DeletionState | undefined;
}
