import { z } from 'zod';
import { Actor } from './actor';
import { Id, IsoDate } from './registry';

import { SURVEY_DEFAULT_DESIGN } from './purposes';

export { SHIPPING_DEFAULT_OPTIONS, SHIPPING_PURPOSE, SURVEY_DEFAULT_DESIGN } from './purposes';

const Staff = z.string().trim().min(1).max(100);

/**
 * Timings are inputs so that tests can use seconds where production uses days. Unset deletion
 * timings come from the policy file.
 */
export const EntrustmentTimings = z.object({
  /** A hold before the data is gathered, during which an opt-out or a contract change still counts. */
  dispatchDelayMs: z.number().int().min(0).default(0),
  deletionDueInMs: z.number().int().min(0).optional(),
  reminderIntervalMs: z.number().int().positive().optional(),
  escalateAfterReminders: z.number().int().positive().optional(),
  /** How long a mail server that does not answer is retried before the handoff ends without delivery; a day when not given. */
  deliveryGiveUpMs: z.number().int().positive().optional(),
});
export type EntrustmentTimings = z.infer<typeof EntrustmentTimings>;

/** A survey batch: the firm runs the company's survey on these customers until `endsOn`. */
export const SurveyRequest = z.object({
  firmId: Id,
  surveyId: Id,
  /** The survey design, a purpose in the policy file; it decides the fields. */
  design: z.string().trim().min(1).max(100).default(SURVEY_DEFAULT_DESIGN),
  endsOn: IsoDate,
  subjectIds: z.array(Id).min(1, 'give at least one customer').max(100_000),
  requestedBy: Staff,
  /** The token (id and name) that requested it through the API; set by the server, never taken from a body. */
  actor: Actor.optional(),
});
export type SurveyRequest = z.infer<typeof SurveyRequest>;

export const SurveyInput = SurveyRequest.extend({
  disclosureId: z.string().min(1),
  /** Customers per activity: keeps every history event small whatever the batch size. */
  chunkSize: z.number().int().min(1).max(5_000).default(5_000),
  timings: EntrustmentTimings.default({ dispatchDelayMs: 0 }),
  /** Set when the batch waits for a second person (an approver or admin, not the requester) before anything is staged. */
  secondPerson: z.object({ reason: z.string().min(1), timeoutMs: z.number().int().positive() }).optional(),
});
export type SurveyInput = z.infer<typeof SurveyInput>;

/** One parcel of the company's mail handed to a contracted carrier. */
export const ShippingRequest = z.object({
  subjectId: Id,
  carrierId: Id,
  shipmentRef: z.string().trim().min(1).max(100),
  requestedBy: Staff,
  /** The token (id and name) that requested it through the API; set by the server, never taken from a body. */
  actor: Actor.optional(),
});
export type ShippingRequest = z.infer<typeof ShippingRequest>;

export const ShippingInput = ShippingRequest.extend({
  disclosureId: z.string().min(1),
  timings: EntrustmentTimings.default({ dispatchDelayMs: 0 }),
});
export type ShippingInput = z.infer<typeof ShippingInput>;

export const DeletionConfirmationRequest = z.object({
  disclosureId: z.string().trim().min(1),
  by: z.string().trim().min(1, 'say who confirms the deletion').max(200),
  /** The token that confirms through the API or console (or the operator); set by the server, never taken from a body. */
  actor: Actor.optional(),
});
export type DeletionConfirmationRequest = z.infer<typeof DeletionConfirmationRequest>;
