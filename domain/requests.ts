import { z } from 'zod';
import { Actor } from './actor';
import { Id } from './registry';

export { DEALER_CATALOG_PURPOSE } from './purposes';

/** A catalog request as staff or the web form submit it. */
export const DealerCatalogRequest = z.object({
  subjectId: Id,
  dealerId: Id,
  consentId: z.string().min(1).optional(),
  catalog: z.string().trim().min(1).max(200),
  contact: z.enum(['email', 'phone']).default('email'),
  handover: z.enum(['digital', 'in-person']).default('digital'),
  requestedBy: z.string().trim().min(1).max(100),
  /** The token (id and name) that requested it through the API; set by the server, never taken from a body. */
  actor: Actor.optional(),
});
export type DealerCatalogRequest = z.infer<typeof DealerCatalogRequest>;

/** Timings are inputs so that tests can use seconds where production uses days. */
export const Timings = z.object({
  /** A hold between staging and sending, during which a withdrawal still stops the handoff. */
  dispatchDelayMs: z.number().int().min(0).default(0),
  /** How long a mail server that does not answer is retried before the handoff ends without delivery; a day when not given. */
  deliveryGiveUpMs: z.number().int().positive().optional(),
});
export type Timings = z.infer<typeof Timings>;

export const DealerCatalogInput = DealerCatalogRequest.extend({
  disclosureId: z.string().min(1),
  timings: Timings.default({ dispatchDelayMs: 0 }),
});
export type DealerCatalogInput = z.infer<typeof DealerCatalogInput>;
