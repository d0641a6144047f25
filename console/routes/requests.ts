import type { FastifyInstance } from 'fastify';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { InputError } from '../../service/errors';
import type { ConsoleContext } from '../context';
import { formOf, one, principalOf, sendPage, viewOf } from '../context';
import { errorsByField } from '../forms';
import { guard } from '../guard';
import type { DealerFormValues } from '../pages/dealer-form';
import { dealerFormPage } from '../pages/dealer-form';

/** The service names unknown customers and dealers `subject` and `dealer`; the form's fields are the ids. */
const ALIAS = { subject: 'subjectId', dealer: 'dealerId' };

export function requestRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/requests/dealer-catalog', { preHandler: guard(c, 'request') }, async (req, reply) =>
    sendPage(reply, 200, dealerFormPage(viewOf(c, req, reply), {}, {})),
  );

  app.post(
    '/requests/dealer-catalog',
    { preHandler: [guard(c, 'request'), app.csrfProtection] },
    async (req, reply) => {
      const form = formOf(req);
      const values: DealerFormValues = {
        subjectId: one(form.subjectId),
        dealerId: one(form.dealerId),
        consentId: one(form.consentId),
        catalog: one(form.catalog),
        contact: one(form.contact),
        handover: one(form.handover),
      };
      try {
        // Who requests is the signed-in token, never a form field.
        const started = await requestDealerCatalog(c.deps.ctx, { ...values, requestedBy: principalOf(req)?.name });
        return reply.redirect(`/disclosures/${encodeURIComponent(started.id)}`, 303);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return sendPage(reply, 400, dealerFormPage(viewOf(c, req, reply), values, errorsByField(err.issues, ALIAS)));
      }
    },
  );
}
