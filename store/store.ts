import type { Actor } from '../domain/actor';
import type { DisclosureKind } from '../domain/policy';
import type { DisclosureRecord, DisclosureRecordInput } from '../domain/record';
import type { Consent, ConsentChannel, Recipient, Subject } from '../domain/registry';
import type { DisclosurePageFilter, DisclosureSummary } from './disclosure-page';

export interface ConsentGrant {
  subjectId: string;
  recipientId: string;
  purpose: string;
  noticeVersion: string;
  channel: ConsentChannel;
  grantedAt: string;
  enteredBy?: Actor | undefined;
  receivedAt?: string | undefined;
  evidenceRef?: string | undefined;
  grantedAtClaimed?: boolean | undefined;
}

/** A message rendered once and kept until sent, so that every retry sends the same bytes. */
export interface StagedHandoff {
  disclosureId: string;
  messageId: string;
  from: string;
  to: string;
  payloadDigest: string;
  /** Null once the message has been accepted: the staged copy of personal data is not kept. */
  raw: Buffer | null;
  sentAt: string | null;
  smtpResponse: string | null;
}

/**
 * Until a message is accepted, `smtpResponse` holds this mark once a send has been started, so a
 * later attempt knows the mail server may already have it (the outcome of that send is unknown).
 */
export const SEND_ATTEMPT_MARK = 'send attempt started at ';

/** When a send of this message was first started, if one was and it is not known to have been accepted. */
export const sendAttemptedAt = (h: StagedHandoff): string | undefined =>
  h.sentAt === null && h.smtpResponse?.startsWith(SEND_ATTEMPT_MARK) === true ? h.smtpResponse.slice(SEND_ATTEMPT_MARK.length) : undefined;

export interface DisclosureEntry {
  id: string;
  workflowId: string;
  kind: DisclosureKind;
  subjectIds: string[];
  recipientId: string;
  consentId?: string | undefined;
  requestedBy: string;
  createdAt: string;
}

export interface RecordFilter {
  subjectId?: string | undefined;
  recipientId?: string | undefined;
  kind?: DisclosureKind | undefined;
  disclosureId?: string | undefined;
  recordId?: string | undefined;
  entryType?: string | undefined;
  outcome?: string | undefined;
  /** Inclusive bounds on occurredAt (ISO date or date-time). */
  since?: string | undefined;
  until?: string | undefined;
}

/** One page of records, newest first, by keyset on seq: the cost of a page does not grow with its depth. */
export interface RecordPageFilter {
  subjectId?: string | undefined;
  recipientId?: string | undefined;
  kind?: DisclosureKind | undefined;
  /** The cursor: only records with a lower seq (the last one of the page before). */
  beforeSeq?: number | undefined;
  limit: number;
}

/** A ledger row as stored, columns and hashed body side by side, for verification. */
export interface LedgerRow {
  seq: number;
  recordId: string;
  idempotencyKey: string;
  disclosureId: string;
  kind: string;
  recipientId: string;
  subjectIds: string[];
  body: string;
  prevHash: string;
  hash: string;
  recordedAt: string;
}

/**
 * A signed statement of the chain up to `seq`: the head hash and the first 16 hex digits of
 * every record hash since the previous checkpoint, so that a rewritten chain is caught and the
 * first rewritten record can be named.
 */
export interface CheckpointBody {
  seq: number;
  fromSeq: number;
  headHash: string;
  hashPrefixes: string;
  keyId: string;
  signedAt: string;
  /**
   * checkpointHash of the checkpoint before this one (GENESIS_HASH for the first), so that
   * deleting checkpoints from the middle breaks a signed link. Absent on checkpoints signed
   * before checkpoints were chained.
   */
  prevCheckpointHash?: string | undefined;
}

export interface Checkpoint extends CheckpointBody {
  id: string;
  /** Base64 Ed25519 signature over canonicalJson(CheckpointBody). */
  signature: string;
}

/** Placing and releasing a legal hold are both new rows; a release names the hold it ends. */
export interface LegalHoldInput {
  action: 'place' | 'release';
  scope: 'subject' | 'record';
  target: string;
  reason: string;
  by: string;
  at: string;
  releases?: string | undefined;
}

export interface LegalHold extends LegalHoldInput {
  id: string;
}

/** One saved version of a recipient (its contract included), kept every time it changes. */
export interface RecipientVersion {
  recipientId: string;
  version: number;
  data: Recipient;
  recordedAt: string;
}

/** A recipient as a registrar proposed it (new, or changed), waiting for a second person. */
export interface RecipientChangeInput {
  recipient: Recipient;
  proposedBy: Actor;
  proposedAt: string;
}

export interface RecipientChange extends RecipientChangeInput {
  id: string;
  state: 'pending' | 'approved' | 'rejected';
  decidedBy?: Actor | undefined;
  decidedAt?: string | undefined;
  reason?: string | undefined;
}

export interface RecipientDecision {
  approve: boolean;
  by: Actor;
  at: string;
  reason?: string | undefined;
}

/**
 * The engine's database: the registry (customers, recipients, consents), the outbox of staged
 * handoffs, the index of disclosures, and the append-only ledger. Every method is async so that
 * SQLite and PostgreSQL share one contract.
 */
export interface Store {
  putSubjects(subjects: Subject[]): Promise<void>;
  getSubject(id: string): Promise<Subject | undefined>;
  /** The customers on file among `ids`, read in a few queries rather than one each (batches of thousands). */
  getSubjects(ids: readonly string[]): Promise<Map<string, Subject>>;
  /** Removes the customer's row (erasure on request); false when there was none. */
  eraseSubject(id: string): Promise<boolean>;
  putRecipients(recipients: Recipient[]): Promise<void>;
  getRecipient(id: string): Promise<Recipient | undefined>;
  listRecipients(): Promise<Recipient[]>;

  grantConsent(grant: ConsentGrant): Promise<Consent>;
  /** Marks the consent withdrawn; withdrawing twice is an error, not a silent success. */
  withdrawConsent(id: string, at: string): Promise<Consent>;
  getConsent(id: string): Promise<Consent | undefined>;
  findActiveConsent(subjectId: string, recipientId: string, purpose: string): Promise<Consent | undefined>;
  /** Every consent a customer gave, withdrawn ones included, oldest first. */
  listConsents(subjectId: string): Promise<Consent[]>;

  registerDisclosure(entry: DisclosureEntry): Promise<void>;
  getDisclosure(id: string): Promise<DisclosureEntry | undefined>;
  listDisclosures(filter: { subjectId?: string; consentId?: string }): Promise<DisclosureEntry[]>;
  /** One page of disclosures, newest first, with where each stands in the ledger (the console's dashboard). */
  pageDisclosures(filter: DisclosurePageFilter): Promise<DisclosureSummary[]>;

  /** Stores the message unless one is staged for this disclosure already; returns what is staged. */
  stageHandoff(handoff: Omit<StagedHandoff, 'sentAt' | 'smtpResponse'>): Promise<StagedHandoff>;
  getHandoff(disclosureId: string): Promise<StagedHandoff | undefined>;
  markHandoffSent(disclosureId: string, sentAt: string, smtpResponse: string): Promise<void>;
  /** Notes that a send is starting (kept from the first attempt on), unless the message was accepted already. */
  markHandoffAttempted(disclosureId: string, at: string): Promise<void>;
  /** Drops the staged content of a handoff that will never be sent (refused, cancelled, failed). */
  discardHandoff(disclosureId: string): Promise<void>;

  /** Appends unless a record with the same idempotency key exists, in which case that one is returned. */
  appendRecord(input: DisclosureRecordInput, recordedAt: string): Promise<{ record: DisclosureRecord; created: boolean }>;
  listRecords(filter?: RecordFilter): Promise<DisclosureRecord[]>;
  pageRecords(filter: RecordPageFilter): Promise<DisclosureRecord[]>;
  /** Raw rows with seq > afterSeq, in seq order, for `ledger verify` (paged on large ledgers). */
  ledgerRows(afterSeq: number, limit: number): Promise<LedgerRow[]>;
  /**
   * Every row with seq > afterSeq, in seq order, with its customers, a page at a time: one query
   * for the rows and one for their customers per page (never one per record), for `ledger verify`.
   */
  ledgerPages(afterSeq: number, pageSize?: number): AsyncIterable<LedgerRow[]>;
  ledgerHead(): Promise<{ seq: number; hash: string } | undefined>;

  /**
   * Appends a signed checkpoint. With `after` (the id of the newest checkpoint the signer built
   * on, null for none), it appends only if that is still the newest, in the same locked
   * transaction, and returns undefined otherwise: two workers signing at once must not both
   * chain onto one predecessor.
   */
  appendCheckpoint(checkpoint: Omit<Checkpoint, 'id'>, opts?: { after?: string | null }): Promise<Checkpoint | undefined>;
  listCheckpoints(): Promise<Checkpoint[]>;
  /** The checkpoint at the highest seq (the newest), if any. */
  lastCheckpoint(): Promise<Checkpoint | undefined>;
  /** How many staged handoffs still wait to be accepted by the SMTP server. */
  outboxBacklog(): Promise<number>;
  appendHold(hold: LegalHoldInput): Promise<LegalHold>;
  listHolds(): Promise<LegalHold[]>;
  /** Every saved version of a recipient, oldest first. */
  recipientHistory(id: string): Promise<RecipientVersion[]>;

  /** Files a proposal; a conflict when the recipient has one pending already. */
  proposeRecipientChange(change: RecipientChangeInput): Promise<RecipientChange>;
  getRecipientChange(id: string): Promise<RecipientChange | undefined>;
  /** Proposals, oldest first; with `pending`, only those not yet decided. */
  listRecipientChanges(filter?: { recipientId?: string | undefined; pending?: boolean | undefined }): Promise<RecipientChange[]>;
  /**
   * Decides a pending proposal once (a conflict when it was decided already); an approval puts
   * the proposed recipient in force in the same transaction.
   */
  decideRecipientChange(id: string, decision: RecipientDecision): Promise<RecipientChange>;

  close(): Promise<void>;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
