import type { Actor } from './actor';
import type { Basis, EntrustmentBasis } from './basis';
import type { DeletionPlan } from './deletion';
import type { FieldName } from './fields';
import type { DisclosureKind, PolicySlice, Provider } from './policy';
import type { RecordOutcome } from './record';
import type { Consent, Contract, RecipientSnapshot } from './registry';
import type { Refusal } from './refusals';
import type { Partition } from './survey';

/**
 * The steps every handoff is made of, and the events their results are reported as. A decider
 * (one per kind, in `domain/deciders/`) turns the state so far and the latest event into the
 * next step; the generic workflow (`workflows/handoff.ts`) only runs the steps.
 */

/** What to read before deciding anything; one local activity reads all of it. */
export interface ContextRequest {
  kind: DisclosureKind;
  recipientId: string;
  /** Dealer handoffs: the consent named on the form, or the active one for subject, recipient and purpose. */
  consent?: { consentId?: string | undefined; subjectId: string; purpose: string } | undefined;
  /** Entrustees: the contract on file for the recipient. */
  contract?: boolean | undefined;
}

export interface HandoffContext {
  policy: PolicySlice;
  recipient: RecipientSnapshot;
  consent?: Consent | undefined;
  contract?: Contract | undefined;
  /**
   * DISCLOSURE_TIMEZONE, read by the activity so the workflow never reads the environment: the
   * zone of contract days and of a survey's last day. Absent in histories recorded before it was
   * loaded, which keep deciding as they did then (see LEGACY_CONTRACT_ZONE, LEGACY_SURVEY_ZONE).
   */
  timeZone?: string | undefined;
}

/** One customer's message, rendered and kept in the outbox until sent. */
export interface HandoffStaging {
  disclosureId: string;
  kind: DisclosureKind;
  purpose: string;
  issuedAt: string;
  subjectId: string;
  fields: FieldName[];
  provider: Provider;
  recipient: RecipientSnapshot;
  basis: Basis;
  details: Record<string, string | number | boolean>;
  subjectLine: string;
  /** For entrustees: the contract's instructions, printed in the message. */
  instructions?: string | undefined;
}

/** A survey batch rendered as one CSV and kept in the outbox until sent. */
export interface BatchStaging {
  disclosureId: string;
  issuedAt: string;
  /** The survey design, a purpose key under kinds.survey in the policy. */
  purpose: string;
  surveyId: string;
  endsOn: string;
  subjectIds: string[];
  fields: FieldName[];
  provider: Provider;
  recipient: RecipientSnapshot;
  basis: EntrustmentBasis;
}

/** What the send activity checks again at the moment of sending, by reference; it reads current data. */
export type BasisRecheck =
  | { type: 'consent'; consentId: string; subjectId: string; recipientId: string; purpose: string }
  | { type: 'entrustment'; recipientId: string }
  /** A survey batch: the contract, and every customer in it (those requested less those excluded) not opted out. */
  | { type: 'survey'; recipientId: string; excludedSubjectIds: string[] }
  | { type: 'legal' };


/** One ledger entry as a decider states it; the workflow adds its ids and the time (see `domain/handoff-record.ts`). */
export interface RecordEntry {
  idempotencyKey: string;
  entryType: 'disclosure' | 'deletion-confirmation' | 'approval';
  disclosureId: string;
  kind: DisclosureKind;
  /** `recorded` on an approval entry, which discloses nothing. */
  outcome: RecordOutcome | 'recorded';
  refusal?: Refusal | undefined;
  subjectIds: string[];
  recipient: RecipientSnapshot;
  purpose: string;
  basis?: Basis | undefined;
  items: FieldName[];
  policy: { version: string; digest: string };
  requestedBy: string;
  /** The token that requested the disclosure through the API. */
  actor?: Actor | undefined;
  /** A survey batch a second person approved: who. */
  approvedBy?: string[] | undefined;
  /** The token (or operator) that approved or rejected a batch that waited for a second person. */
  decidedBy?: Actor | undefined;
  payloadDigest?: string | undefined;
  messageId?: string | undefined;
  details: Record<string, string | number | boolean>;
}

/** After a handoff to an entrustee: chase and record its deletion confirmation, in a workflow of its own. */
export interface DeletionFollowUp {
  disclosureId: string;
  plan: DeletionPlan;
  /** The confirmation's record, less the confirmation's own details. */
  record: Omit<RecordEntry, 'idempotencyKey' | 'entryType'>;
  notice: { disclosureId: string; recipientName: string; recipientEmail: string; contractId: string; reference: string };
}

export type Step =
  | { type: 'load'; request: ContextRequest }
  | { type: 'check-subjects'; subjectIds: string[]; fields: FieldName[]; done: number }
  | { type: 'record'; entries: RecordEntry[] }
  | { type: 'stage'; staging: HandoffStaging }
  | { type: 'stage-batch'; staging: BatchStaging }
  | { type: 'hold'; ms: number }
  | { type: 'send'; disclosureId: string; recheck: BasisRecheck }
  /** Wait for a second person's decision (never the requester's), at most `timeoutMs`. */
  | { type: 'await-approval'; timeoutMs: number }
  | { type: 'finish'; record: RecordEntry; followUp?: DeletionFollowUp | undefined };

/** What a step's result, or its failure, is reported to the decider as. `now` is the workflow's time. */
export type HandoffEvent =
  | { type: 'started'; now: string }
  | { type: 'loaded'; context: HandoffContext; now: string }
  | { type: 'subjects-checked'; partition: Partition; now: string }
  | { type: 'recorded'; now: string }
  | { type: 'staged'; payloadDigest: string; messageId: string; rowCount?: number | undefined; now: string }
  | { type: 'held'; now: string }
  | { type: 'sent'; payloadDigest: string; messageId: string; sentAt: string; now: string }
  | { type: 'cancelled'; refusal: Refusal; now: string }
  /**
   * A second person's decision. `record`: the workflow records it as its own ledger entry, naming
   * `actor` (false in histories from before decisions were recorded, which replay as they ran).
   */
  | { type: 'approved'; by: string; actor?: Actor | undefined; record?: boolean | undefined; now: string }
  | { type: 'rejected'; by: string; reason: string; actor?: Actor | undefined; record?: boolean | undefined; now: string }
  | { type: 'approval-timed-out'; now: string }
  | { type: 'step-failed'; outcome: 'refused' | 'failed' | 'delivery-uncertain'; refusal: Refusal; now: string };

/** A decider: the state so far and the latest event give the next state and its step. Pure. */
export interface Decider<Input, State> {
  initial(input: Input): State;
  decide(state: State, event: HandoffEvent): { state: State; step: Step };
  /** What `status` shows: the step's name, and the fields once selected. */
  describe(state: State): { step: string; fields: FieldName[]; progress?: { done: number; total: number } | undefined };
}

/** The exhaustiveness check: a state or event the switch forgot is a compile error. */
export function unreachable(x: never): never {
  throw new Error(`unhandled case ${JSON.stringify(x)}`);
}

/** Field selection failures as the refusal the record carries. */
export function selectionRefusal(selection: { code: 'unknown-purpose' | 'bad-option'; message: string }): Refusal {
  return { code: selection.code === 'unknown-purpose' ? 'policy-purpose-unknown' : 'policy-option-invalid', message: selection.message };
}

/** A record written before the recipient could be read names it by id only. */
export function unloadedRecipient(id: string, kind: RecipientSnapshot['kind']): RecipientSnapshot {
  return { id, kind, name: `(recipient ${id} could not be read)`, address: '', email: '' };
}

/** A record written before the policy could be read says so instead of naming a version. */
export const UNLOADED_POLICY = { version: '(policy could not be read)', digest: '' } as const;

/** A step result the decider did not expect at this point: a fault in the engine, recorded as a failure. */
export function unexpected(at: string, event: HandoffEvent): Refusal {
  return { code: 'unexpected-failure', message: `event ${event.type} is not expected while ${at}` };
}
