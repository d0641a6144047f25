import { z } from 'zod';
import { Actor } from './actor';
import { FieldName } from './fields';
import { Id } from './registry';

/**
 * The grounds APPI Art. 27(1) allows a disclosure without consent on: a warrant or court order
 * and other statutes (i), a police inquiry (iv), an emergency to protect life, body or property (ii).
 */
export const LegalGround = z.enum(['warrant', 'inquiry', 'emergency', 'statute']);
export type LegalGround = z.infer<typeof LegalGround>;

export const Staff = z.string().trim().min(1).max(100);

/** Whether, and when, the customer is told about the disclosure. */
export const CustomerNotice = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('allowed') }),
  z.object({ mode: z.literal('prohibited') }),
  /** The request forbids notice until a stated moment; the notice goes out then. */
  z.object({ mode: z.literal('deferred'), until: z.iso.datetime({ offset: true }) }),
]);
export type CustomerNotice = z.infer<typeof CustomerNotice>;

const Moment = z.iso.datetime({ offset: true });

/**
 * An agency's or official's statement that an accounting would impede its activities (HIPAA
 * 164.528(a)(2)): its disclosures stay out of the accounting until `until`. An oral statement
 * holds 30 days from `statedAt` unless confirmed in writing within them.
 */
export const AccountingSuspension = z
  .object({
    agency: z.string().trim().min(1).max(200),
    until: Moment,
    form: z.enum(['written', 'oral']),
    statedAt: Moment,
    confirmedInWritingAt: Moment.optional(),
  })
  .superRefine((s, ctx) => {
    if (Date.parse(s.until) <= Date.parse(s.statedAt))
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'the suspension must end after the statement was made' });
    if (s.confirmedInWritingAt !== undefined && s.form === 'written')
      ctx.addIssue({ code: 'custom', path: ['confirmedInWritingAt'], message: 'only an oral statement is confirmed in writing' });
    if (s.confirmedInWritingAt !== undefined && Date.parse(s.confirmedInWritingAt) < Date.parse(s.statedAt))
      ctx.addIssue({ code: 'custom', path: ['confirmedInWritingAt'], message: 'the written confirmation cannot precede the statement' });
  });
export type AccountingSuspension = z.infer<typeof AccountingSuspension>;

/** The written request as staff take it in; every item is needed to judge it later. */
export const LegalRequest = z.object({
  subjectId: Id,
  authorityId: Id,
  ground: LegalGround,
  documentRef: z.string().trim().min(1).max(200),
  issuingOfficial: z.string().trim().min(1).max(200),
  fields: z.array(FieldName).min(1, 'name at least one requested field'),
  justification: z.string().trim().min(1).max(2000),
  requestedBy: Staff,
  /** The token (id and name) that requested it through the API; set by the server, never taken from a body. */
  actor: Actor.optional(),
  notice: CustomerNotice.default({ mode: 'allowed' }),
  suspension: AccountingSuspension.optional(),
});
export type LegalRequest = z.infer<typeof LegalRequest>;

/** Durations are inputs so that tests use seconds; unset ones come from the policy file. */
export const LegalTimings = z.object({
  approvalWindowMs: z.number().int().positive().optional(),
  reviewWindowMs: z.number().int().positive().optional(),
});
export type LegalTimings = z.infer<typeof LegalTimings>;

export const LegalInput = LegalRequest.extend({
  disclosureId: z.string().min(1),
  timings: LegalTimings.default({}),
  /** DISCLOSURE_TIMEZONE at intake, for the dates the aftercare shows people; absent in older histories. */
  timeZone: z.string().min(1).optional(),
});
export type LegalInput = z.infer<typeof LegalInput>;

/** A staff member's release: the fields (a subset of those requested; default all) and how the authority was verified. */
export const LegalApproval = z.object({
  approver: Staff,
  /** The token that approves through the API or console; set by the server, never taken from a body. */
  actor: Actor.optional(),
  fields: z.array(FieldName).min(1, 'release at least one field, or reject the request').optional(),
  authorityCheck: z.string().trim().min(1, 'say how the authority was verified out of band').max(500),
});
export type LegalApproval = z.infer<typeof LegalApproval>;

export const LegalRejection = z.object({
  by: Staff,
  actor: Actor.optional(),
  reason: z.string().trim().min(1).max(1000),
});
export type LegalRejection = z.infer<typeof LegalRejection>;

/** The mandatory look back at an emergency release by someone other than the person who released. */
export const EmergencyReview = z.object({
  reviewer: Staff,
  actor: Actor.optional(),
  outcome: z.enum(['upheld', 'concerns']),
  notes: z.string().trim().min(1).max(2000),
});
export type EmergencyReview = z.infer<typeof EmergencyReview>;
