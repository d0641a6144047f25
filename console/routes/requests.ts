import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../api/auth';
import { actorOf } from '../../api/route';
import type { Actor } from '../../domain/actor';
import type { Html } from '../html';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import type { Started } from '../../service/disclosures';
import { InputError } from '../../service/errors';
import { noticeFrom, requestLegal } from '../../service/legal';
import { requestShipping } from '../../service/shipping';
import { requestSurvey } from '../../service/survey';
import type { ConsoleContext } from '../context';
import { formOf, many, one, principalOf, sendPage, viewOf } from '../context';
import type { Errors } from '../forms';
import { errorsByField } from '../forms';
import { guard } from '../guard';
import type { DealerFormValues } from '../pages/dealer-form';
import { dealerFormPage } from '../pages/dealer-form';
import type { FormValues } from '../pages/request-forms';
import { legalFormPage, shippingFormPage, surveyFormPage } from '../pages/request-forms';
import type { View } from '../view';

/** The services name unknown customers and recipients by role (`subject`, `dealer`); the forms' fields are the ids. */
/** The requester as the services take it: the staff name, and the token the record names. */
type Requester = { requestedBy: string | undefined; actor?: Actor };
const requester = (p: Principal | undefined): Requester => (p === undefined ? { requestedBy: undefined } : { requestedBy: p.name, actor: actorOf(p, 'console') });

const DEALER_ALIAS = { subject: 'subjectId', dealer: 'dealerId' };
const SURVEY_ALIAS = { firm: 'firmId', ends: 'endsOn', subjects: 'subjectIds' };
const SHIPPING_ALIAS = { subject: 'subjectId', carrier: 'carrierId' };

/** Customer ids as people paste them: separated by commas (also the Japanese 、), spaces or new lines. */
const idList = (text: string | undefined): string[] => (text ?? '').split(/[\s,、]+/).filter((s) => s !== '');

const MISSING = /^Invalid input: expected \w+, received undefined$/;

interface FormSpec {
  path: string;
  page(c: ConsoleContext, v: View, values: FormValues, errors: Errors): Html;
  read(form: Record<string, unknown>): FormValues;
  /** Calls the same service function as the API; who requests is the signed-in token, never a form field. */
  /** `by`: who requests, and the signed-in token the record names (`actor`). */
  start(c: ConsoleContext, values: FormValues, by: Requester): Promise<Started>;
  alias(values: FormValues): Record<string, string>;
}

const designs = (c: ConsoleContext): string[] => Object.keys(c.policy.kinds.survey?.purposes ?? {});

const FORMS: FormSpec[] = [
  {
    path: '/requests/dealer-catalog',
    page: (_c, v, values, errors) => dealerFormPage(v, values as DealerFormValues, errors),
    read: (form) => ({
      subjectId: one(form.subjectId),
      dealerId: one(form.dealerId),
      consentId: one(form.consentId),
      catalog: one(form.catalog),
      contact: one(form.contact),
      handover: one(form.handover),
    }),
    start: (c, values, by) => requestDealerCatalog(c.deps.ctx, { ...values, ...by }),
    alias: () => DEALER_ALIAS,
  },
  {
    path: '/requests/survey',
    page: (c, v, values, errors) => surveyFormPage(v, designs(c), values, errors),
    read: (form) => ({
      firmId: one(form.firmId),
      surveyId: one(form.surveyId),
      design: one(form.design),
      endsOn: one(form.endsOn),
      subjectIds: one(form.subjectIds),
    }),
    start: (c, { subjectIds, ...values }, by) =>
      requestSurvey(c.deps.ctx, { ...values, subjectIds: idList(subjectIds), ...by }),
    alias: () => SURVEY_ALIAS,
  },
  {
    path: '/requests/shipping',
    page: (_c, v, values, errors) => shippingFormPage(v, values, errors),
    read: (form) => ({
      subjectId: one(form.subjectId),
      carrierId: one(form.carrierId),
      shipmentRef: one(form.shipmentRef),
    }),
    start: (c, values, by) => requestShipping(c.deps.ctx, { ...values, ...by }),
    alias: () => SHIPPING_ALIAS,
  },
  {
    path: '/requests/legal',
    page: (_c, v, values, errors) => legalFormPage(v, values, errors),
    read: (form) => ({
      subjectId: one(form.subjectId),
      authorityId: one(form.authorityId),
      ground: one(form.ground),
      documentRef: one(form.documentRef),
      issuingOfficial: one(form.issuingOfficial),
      fields: many(form.fields).join(','),
      justification: one(form.justification),
      noticeMode: one(form.noticeMode),
      noticeUntil: one(form.noticeUntil),
    }),
    start: (c, { noticeMode, noticeUntil, fields, ...values }, by) => {
      if (noticeMode === 'deferred' && noticeUntil === undefined)
        throw new InputError([{ field: 'noticeUntil', message: 'give the date until which notice is prohibited' }]);
      const notice = noticeFrom(
        noticeMode === 'deferred' ? 'prohibited' : noticeMode,
        noticeMode === 'deferred' ? noticeUntil : undefined,
      );
      const requested = (fields ?? '').split(',').filter((f) => f !== '');
      return requestLegal(c.deps.ctx, { ...values, fields: requested, notice, ...by });
    },
    alias: (values) => ({
      subject: 'subjectId',
      authority: 'authorityId',
      notice: values.noticeMode === 'deferred' ? 'noticeUntil' : 'noticeMode',
    }),
  },
];

async function submit(c: ConsoleContext, spec: FormSpec, req: FastifyRequest, reply: FastifyReply) {
  const values = spec.read(formOf(req));
  try {
    const started = await spec.start(c, values, requester(principalOf(req)));
    return reply.redirect(`/disclosures/${encodeURIComponent(started.id)}`, 303);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const v = viewOf(c, req, reply);
    // A blank field reaches zod as absent; say so in the person's language rather than in zod's terms.
    const issues = err.issues.map((i) => (MISSING.test(i.message) ? { ...i, message: v.t('required') } : i));
    return sendPage(reply, 400, spec.page(c, v, values, errorsByField(issues, spec.alias(values))));
  }
}

export function requestRoutes(app: FastifyInstance, c: ConsoleContext): void {
  for (const spec of FORMS) {
    app.get(spec.path, { preHandler: guard(c, 'request') }, async (req, reply) =>
      sendPage(reply, 200, spec.page(c, viewOf(c, req, reply), {}, {})),
    );
    app.post(spec.path, { preHandler: [guard(c, 'request'), app.csrfProtection] }, async (req, reply) =>
      submit(c, spec, req, reply),
    );
  }
}
