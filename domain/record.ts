import type { Basis } from './basis';
import type { FieldName } from './fields';
import type { DisclosureKind } from './policy';
import type { RecipientSnapshot } from './registry';
import type { Refusal } from './refusals';

export type RecordOutcome = 'delivered' | 'refused' | 'cancelled' | 'failed';

/**
 * What the engine writes once per disclosure (and per refused attempt). Together the fields
 * meet APPI Art. 29, HIPAA 164.528 and GDPR Art. 15/30, and tie the record to its process:
 * workflow and run ids, policy version and digest, basis reference, staff, payload digest.
 */
export interface DisclosureRecordInput {
  /** Unique per ledger: a retried append with the same key returns the first record. */
  idempotencyKey: string;
  entryType: 'disclosure' | 'acknowledgement' | 'deletion-confirmation' | 'review' | 'correction';
  disclosureId: string;
  kind: DisclosureKind;
  outcome: RecordOutcome;
  refusal?: Refusal | undefined;
  workflowId: string;
  runId: string;
  subjectIds: string[];
  recipient: RecipientSnapshot;
  purpose: string;
  basis?: Basis | undefined;
  items: FieldName[];
  requestedItems?: FieldName[] | undefined;
  policy: { version: string; digest: string };
  requestedBy: string;
  approvedBy?: string[] | undefined;
  payloadDigest?: string | undefined;
  messageId?: string | undefined;
  occurredAt: string;
  /** Kind-specific references (catalog, survey id, shipment, document number); never personal data. */
  details?: Record<string, string | number | boolean> | undefined;
  /** For corrections: the record this one corrects. */
  corrects?: string | undefined;
}

export interface DisclosureRecord extends DisclosureRecordInput {
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
}
