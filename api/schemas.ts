import { z } from 'zod';
import { DisclosureKind } from '../domain/policy';
import { DISCLOSURE_STATUSES } from '../domain/record';

/**
 * What the API answers, as zod schemas: fastify serialises each response through them and the
 * OpenAPI document shows them. They name the fields a client may rely on and let further fields
 * through (loose objects), so a service that adds a field never turns an answer into a 500.
 */
const Status = z.enum(DISCLOSURE_STATUSES);
const Refusal = z.looseObject({ code: z.string(), message: z.string() });

export const ErrorBody = z
  .object({
    error: z.object({
      type: z.string(),
      message: z.string(),
      issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      details: z.unknown().optional(),
    }),
  })
  .describe('what was wrong; each input issue names its field');

export const Started = z.looseObject({ id: z.string(), workflowId: z.string(), status: Status }).describe('the disclosure was registered and its workflow started');

export const StatusView = z
  .looseObject({
    id: z.string(),
    kind: DisclosureKind,
    status: Status,
    step: z.string().optional(),
    fields: z.array(z.string()),
    reason: Refusal.optional(),
  })
  .describe('where the disclosure stands');

export const DisclosureResult = StatusView.describe('the outcome of the disclosure');

export const LedgerRecord = z.looseObject({
  seq: z.number(),
  recordId: z.string(),
  entryType: z.string(),
  disclosureId: z.string(),
  /** `registry`: a write to the registry or a decision on one (entryType registry). */
  kind: z.union([DisclosureKind, z.literal('registry')]),
  outcome: z.string(),
  items: z.array(z.string()),
  occurredAt: z.string(),
  recordedAt: z.string(),
  hash: z.string(),
});
export const Records = z.object({ records: z.array(LedgerRecord) }).describe('records, oldest first');

export const Handoff = z.looseObject({
  disclosureId: z.string(),
  kind: DisclosureKind,
  recipientId: z.string(),
  recipientName: z.string(),
  items: z.array(z.string()),
  deliveredAt: z.string(),
  recordId: z.string(),
  acknowledgedAt: z.string().optional(),
});
export const Handoffs = z.object({ handoffs: z.array(Handoff) }).describe('delivered handoffs');

export const Acknowledged = z
  .object({ ok: z.literal(true), disclosureId: z.string(), recordId: z.string(), acknowledgedAt: z.string() })
  .describe('the acknowledgement was recorded');

export const Added = z.object({ added: z.array(z.string()) }).describe('the ids added or updated');

export const RecipientsAdded = z
  .object({
    added: z.array(z.string()),
    pending: z.array(z.object({ changeId: z.string(), recipientId: z.string(), changed: z.array(z.string()) })),
  })
  .describe('recipients in force at once, and those waiting for a second person');

const ActorView = z.looseObject({ name: z.string(), tokenId: z.string().optional(), via: z.string() });
export const RecipientChangeView = z
  .looseObject({
    id: z.string(),
    state: z.enum(['pending', 'approved', 'rejected']),
    recipient: z.looseObject({ id: z.string(), kind: z.string(), name: z.string() }),
    proposedBy: ActorView,
    proposedAt: z.string(),
    decidedBy: ActorView.optional(),
    decidedAt: z.string().optional(),
    reason: z.string().optional(),
  })
  .describe('a recipient change and its decision');
export const RecipientChanges = z
  .object({ changes: z.array(RecipientChangeView.extend({ changed: z.array(z.string()) })) })
  .describe('recipient changes waiting for a second person, with the fields each changes');

const Consent = z.looseObject({ id: z.string(), subjectId: z.string(), recipientId: z.string(), purpose: z.string(), grantedAt: z.string() });
export const ConsentGranted = Consent.describe('the consent as recorded');
/** The downstream notices an operation started: to whom, about which items, referring to which deliveries. */
export const NoticesStarted = z
  .object({
    subjectId: z.string(),
    cause: z.enum(['rectification', 'erasure', 'withdrawal']),
    batchId: z.string().optional(),
    workflowId: z.string().optional(),
    notices: z.array(z.object({ noticeId: z.string(), recipientId: z.string(), recipientName: z.string(), items: z.array(z.string()), disclosureIds: z.array(z.string()) })),
  })
  .describe('the recipients told, one notice each');

export const ConsentWithdrawn = z
  .object({ consent: Consent, cancelled: z.array(z.string()), notices: NoticesStarted })
  .describe('the withdrawn consent, the disclosures it cancelled, and the recipients asked to stop using and delete');

export const Seeded = z.object({ subjects: z.array(z.string()), recipients: z.array(z.string()), consents: z.array(z.string()) }).describe('the demo data ids');

export const Approved = z
  .looseObject({ id: z.string(), approvedBy: z.string(), fields: z.array(z.string()), expedited: z.boolean() })
  .describe('the approval as the workflow took it');
export const BatchDecided = z.object({ id: z.string(), decidedBy: z.string(), approved: z.boolean() }).describe('the decision, sent to the waiting batch');
export const Rejected = z.looseObject({ id: z.string(), rejectedBy: z.string() }).describe('the rejection as the workflow took it');
export const Reviewed = z.looseObject({ id: z.string(), reviewedBy: z.string(), outcome: z.string() }).describe('the review as the workflow took it');

export const DeletionConfirmed = z.looseObject({ id: z.string(), alreadyConfirmed: z.boolean() }).describe('the deletion confirmation as recorded');

export const ReplayReports = z
  .object({ consistent: z.boolean(), results: z.array(z.looseObject({ workflowId: z.string(), consistent: z.boolean() })) })
  .describe('one report per replayed history');

export const Timeline = z
  .looseObject({ disclosureId: z.string(), records: z.array(LedgerRecord), timeline: z.array(z.looseObject({ stage: z.string(), what: z.string() })) })
  .describe('the timeline of one disclosure');

export const Evidence = z
  .object({ manifest: z.looseObject({ format: z.string(), records: z.number() }), files: z.record(z.string(), z.string()) })
  .describe('the evidence bundle: relative path to file content');

export const VerifyReport = z.looseObject({ ok: z.boolean(), records: z.number() }).describe('the result of checking the chain');

/** Any page for a person; OpenAPI shows it as text/html. */
export const Page = z.string().describe('a page for a person (text/html)');
