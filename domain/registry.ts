import { z } from 'zod';
import { Actor } from './actor';

const IsoDate = z.iso.date();
const Id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, . _ : - only');

/** A customer's file, as staff load it. Every personal item is optional except the name. */
export const Subject = z.object({
  id: Id,
  name: z.string().trim().min(1),
  nameKana: z.string().trim().min(1).optional(),
  email: z.email().optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'digits, spaces and hyphens, e.g. 090-1234-5678')
    .optional(),
  postalCode: z
    .string()
    .regex(/^[0-9]{3}-?[0-9]{4}$/, 'a Japanese postal code, e.g. 100-0001')
    .optional(),
  address: z.string().trim().min(1).optional(),
  birthDate: IsoDate.optional(),
  gender: z.string().trim().min(1).optional(),
  vehicleModel: z.string().trim().min(1).optional(),
  surveyOptOut: z.boolean().default(false),
});
export type Subject = z.infer<typeof Subject>;

export const RecipientKind = z.enum(['dealer', 'carrier', 'survey-firm', 'authority']);
export type RecipientKind = z.infer<typeof RecipientKind>;

/** The entrustment contract (APPI Art. 25, GDPR Art. 28) a contractor must have on file. */
export const Contract = z
  .object({
    id: Id,
    validFrom: IsoDate,
    validTo: IsoDate,
    instructions: z.string().trim().min(1),
    lastSupervisionCheck: IsoDate,
  })
  .refine((c) => c.validFrom <= c.validTo, { message: 'validFrom must not be after validTo', path: ['validTo'] });
export type Contract = z.infer<typeof Contract>;

export const Recipient = z
  .object({
    id: Id,
    kind: RecipientKind,
    name: z.string().trim().min(1),
    address: z.string().trim().min(1),
    representative: z.string().trim().min(1).optional(),
    email: z.email(),
    phone: z.string().trim().min(1).optional(),
    contract: Contract.optional(),
  })
  .refine((r) => r.kind === 'dealer' || r.kind === 'authority' || r.contract !== undefined, {
    message: 'carriers and survey firms are entrustees and need a contract',
    path: ['contract'],
  });
export type Recipient = z.infer<typeof Recipient>;

export const ConsentChannel = z.enum(['web-form', 'app', 'paper', 'phone', 'in-person']);
export type ConsentChannel = z.infer<typeof ConsentChannel>;

/**
 * One consent as captured on a form: who agreed, to which recipient, for which purpose,
 * under which version of the notice. Withdrawal is a new fact, never an overwrite.
 */
export const Consent = z.object({
  id: z.string().min(1),
  subjectId: z.string().min(1),
  recipientId: z.string().min(1),
  purpose: z.string().min(1),
  noticeVersion: z.string().min(1),
  channel: ConsentChannel,
  grantedAt: z.iso.datetime(),
  withdrawnAt: z.iso.datetime().optional(),
  /** Who entered it: the token (API, console) or the operator (command line). */
  enteredBy: Actor.optional(),
  /** When it reached the engine. */
  receivedAt: z.iso.datetime().optional(),
  /** Where its evidence is kept: a form submission id, a scanned paper's file, a call recording. */
  evidenceRef: z.string().optional(),
  /** `grantedAt` is an earlier date the person entering it claimed, not the time it arrived. */
  grantedAtClaimed: z.boolean().optional(),
});
export type Consent = z.infer<typeof Consent>;

/** What the workflow and the record may see of a recipient: the company, never a customer. */
export type RecipientSnapshot = Pick<Recipient, 'id' | 'kind' | 'name' | 'address' | 'email'> & {
  representative?: string | undefined;
};

export function snapshotRecipient(r: Recipient): RecipientSnapshot {
  return { id: r.id, kind: r.kind, name: r.name, address: r.address, email: r.email, representative: r.representative };
}

export { Id, IsoDate };
