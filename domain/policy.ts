import { z } from 'zod';
import { FieldName } from './fields';
import { RecipientKind } from './registry';

/** Fields a purpose adds when the request picks one value of an option (e.g. contact=email). */
const OptionChoices = z.record(z.string(), z.array(FieldName));

/** What the purpose is, for people, in Japanese and English; the policy's key names it for machines. */
export const PurposeStatement = z.object({ ja: z.string().trim().min(1), en: z.string().trim().min(1) });

export const PurposeRule = z.object({
  statement: PurposeStatement,
  fields: z.array(FieldName),
  options: z.record(z.string(), OptionChoices).default({}),
  never: z.array(FieldName).default([]),
});
export type PurposeRule = z.infer<typeof PurposeRule>;

/**
 * When an entrustee must confirm deletion: `withinDays` after the purpose ends (survey closed,
 * shipment handed over); then a reminder every `reminderEveryDays`, and after
 * `escalateAfterReminders` reminders the privacy office is told as well.
 */
export const DeletionRule = z.object({
  withinDays: z.number().int().min(0),
  reminderEveryDays: z.number().int().positive(),
  escalateAfterReminders: z.number().int().positive(),
});
export type DeletionRule = z.infer<typeof DeletionRule>;

/**
 * Who must approve before data goes out: `distinctStaff` people counting the requester (2: an
 * approver other than the requester), within `deadlineHours`. Expedited purposes (emergencies)
 * may be released by fewer people, and then need a review by another person within
 * `reviewWithinHours`.
 */
export const ApprovalRule = z.object({
  deadlineHours: z.number().positive(),
  distinctStaff: z.number().int().min(1).max(2),
  expedited: z
    .object({
      purposes: z.array(z.string().min(1)),
      distinctStaff: z.number().int().min(1).max(2),
      reviewWithinHours: z.number().positive(),
    })
    .optional(),
});
export type ApprovalRule = z.infer<typeof ApprovalRule>;

export const KindRule = z.object({
  recipientKind: RecipientKind,
  bases: z.array(z.enum(['consent', 'entrustment', 'legal'])).min(1),
  purposes: z.record(z.string(), PurposeRule),
  /** Option values the policy fixes per recipient (e.g. a carrier that needs the phone number). */
  recipientOptions: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  deletion: DeletionRule.optional(),
  approval: ApprovalRule.optional(),
});
export type KindRule = z.infer<typeof KindRule>;

/** APPI Art. 30(1)(i): for a corporation, the representative's name as well as the title. */
export const Representative = z.object({ title: z.string().trim().min(1), name: z.string().trim().min(1) });

/** Where a customer turns with questions about their data (the answer letter names it). */
export const Contact = z.object({
  name: z.string().trim().min(1),
  email: z.email(),
  phone: z.string().trim().min(1).optional(),
  address: z.string().trim().min(1).optional(),
});

export const Provider = z.object({
  name: z.string().min(1),
  address: z.string().min(1),
  representative: Representative,
  acquisition: z.string().min(1),
  contact: Contact,
});
export type Provider = z.infer<typeof Provider>;

/**
 * How the customer's reports treat disclosures without an Art. 29 record duty: by default the
 * APPI Art. 33(5) view lists only third-party provisions; a policy may choose to list Art. 27(1)
 * disclosures as well (never while notice is withheld).
 */
export const ReportRule = z.object({
  appi: z.object({ listLegalDisclosures: z.boolean().default(false) }).default({ listLegalDisclosures: false }),
});
export type ReportRule = z.infer<typeof ReportRule>;

export const DisclosureKind = z.enum(['dealer-catalog', 'survey', 'shipping', 'legal']);
export type DisclosureKind = z.infer<typeof DisclosureKind>;

export const Policy = z
  .object({
    version: z.string().min(1),
    provider: Provider,
    supervisionWindowDays: z.number().int().positive(),
    /** How many days before it is entered a consent may claim to have been given (default 30, domain/consent-evidence.ts). */
    consentBackdateDays: z.number().int().min(0).optional(),
    /** Separation of duties; absent settings take the defaults in domain/second-person.ts. */
    secondPerson: z
      .object({
        /** A survey batch of more customers than this waits for a second person. */
        surveyBatchAbove: z.number().int().min(0).optional(),
        /** A batch to a recipient whose kind, address, email or contract changed within this many days waits too. */
        recipientChangedWithinDays: z.number().int().min(0).optional(),
        /** How long a batch waits for the second person before it ends refused. */
        approvalTimeoutHours: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    reports: ReportRule.default({ appi: { listLegalDisclosures: false } }),
    kinds: z.partialRecord(DisclosureKind, KindRule),
  })
  .superRefine((policy, ctx) => {
    for (const [kind, rule] of Object.entries(policy.kinds)) {
      for (const [purpose, p] of Object.entries(rule?.purposes ?? {})) {
        const reachable = [...p.fields, ...Object.values(p.options).flatMap((c) => Object.values(c).flat())];
        for (const f of reachable.filter((x) => p.never.includes(x))) {
          ctx.addIssue({
            code: 'custom',
            message: `field "${f}" is both allowed and listed under never`,
            path: ['kinds', kind, 'purposes', purpose],
          });
        }
      }
    }
  });
export type Policy = z.infer<typeof Policy>;

/** The slice of the policy a workflow needs, with the identity of the whole file it came from. */
export interface PolicySlice {
  version: string;
  digest: string;
  provider: Provider;
  supervisionWindowDays: number;
  kind: DisclosureKind;
  rule: KindRule;
}

export { selectFields } from './field-selection';
export type { FieldSelection } from './field-selection';
