import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../api/route';
import { answerLetterFor } from '../../service/answer-letter';
import { renderAnswerLetterPdf } from '../../service/answer-letter-pdf';
import { InputError, NotFoundError } from '../../service/errors';
import { grantConsent, withdrawConsent } from '../../service/registry';
import { buildSubjectReport } from '../../service/reports';
import type { ConsoleContext } from '../context';
import { formOf, one, principalOf, sendPage, viewOf } from '../context';
import { errorsByField } from '../forms';
import { guard } from '../guard';
import type { CustomerMessage } from '../pages/customer';
import { customerPage, findCustomerPage } from '../pages/customer';
import type { ReportRegime } from '../pages/report';
import { REPORT_REGIMES } from '../pages/report';
import { failurePage } from './failure';

/** Records shown on the customer's page; the records page pages through the rest. */
const RECENT = 20;

type ById = FastifyRequest<{ Params: { id: string }; Querystring: { regime?: string } }>;

const regimeOf = (q: string | undefined): ReportRegime =>
  (REPORT_REGIMES as readonly string[]).includes(q ?? '') ? (q as ReportRegime) : 'appi';

async function show(c: ConsoleContext, req: ById, reply: FastifyReply, status: number, message?: CustomerMessage) {
  const id = req.params.id;
  const { store } = c.deps.ctx;
  const regime = regimeOf(req.query.regime);
  const [subject, consents, recent] = await Promise.all([
    store.getSubject(id),
    store.listConsents(id),
    store.pageRecords({ subjectId: id, limit: RECENT + 1 }),
  ]);
  if (subject === undefined && recent.length === 0)
    return failurePage(c, req, reply, new NotFoundError(`no customer ${id} and no records about them`));
  const report = await buildSubjectReport(store, id, { regimes: [regime], now: c.clock(), policyPath: c.policyPath });
  const view = {
    id,
    subject,
    consents,
    records: recent.slice(0, RECENT),
    more: recent.length > RECENT,
    regime,
    report,
  };
  return sendPage(reply, status, customerPage(viewOf(c, req, reply), view, message));
}

export function customerRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get<{ Querystring: { customer?: string } }>(
    '/customers',
    { preHandler: guard(c, 'customers') },
    async (req, reply) => {
      const id = (req.query.customer ?? '').trim();
      if (id !== '') return reply.redirect(`/customers/${encodeURIComponent(id)}`, 303);
      return sendPage(reply, 200, findCustomerPage(viewOf(c, req, reply), ''));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { regime?: string } }>(
    '/customers/:id',
    { preHandler: guard(c, 'customers') },
    async (req, reply) => show(c, req, reply, 200),
  );

  /** The APPI Art. 33(5) answer letter, the same PDF as `report --format pdf`; personal data, so never cached. */
  app.get<{ Params: { id: string } }>(
    '/customers/:id/answer-letter.pdf',
    { preHandler: guard(c, 'customers') },
    async (req, reply) => {
      try {
        const letter = await answerLetterFor(c.deps.ctx.store, req.params.id, {
          policyPath: c.policyPath,
          now: c.clock(),
          timeZone: c.timeZone,
        });
        const pdf = await renderAnswerLetterPdf(letter);
        const name = `answer-${req.params.id.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
        return reply
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .type('application/pdf')
          .send(pdf);
      } catch (err) {
        return failurePage(c, req, reply, err);
      }
    },
  );

  app.post<{ Params: { id: string }; Querystring: { regime?: string } }>(
    '/customers/:id/consents',
    { preHandler: [guard(c, 'consents'), app.csrfProtection] },
    async (req, reply) => {
      const form = formOf(req);
      const values = {
        recipient: one(form.recipient),
        purpose: one(form.purpose),
        noticeVersion: one(form.noticeVersion),
        channel: one(form.channel),
      };
      const v = viewOf(c, req, reply);
      try {
        const consent = await grantConsent(c.deps.ctx, { ...values, subject: req.params.id }, actorOf(principalOf(req), 'console'));
        return show(c, req, reply, 200, { kind: 'ok', text: `${v.t('consentGranted')}: ${consent.id}` });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        const errors = errorsByField(err.issues);
        return show(c, req, reply, 400, { kind: 'error', text: v.t('fixErrors'), errors, values });
      }
    },
  );

  app.post<{ Params: { id: string; consent: string }; Querystring: { regime?: string } }>(
    '/customers/:id/consents/:consent/withdraw',
    { preHandler: [guard(c, 'consents'), app.csrfProtection] },
    async (req, reply) => {
      const v = viewOf(c, req, reply);
      // Only a consent of this customer is withdrawn from this customer's page.
      const found = await c.deps.ctx.store.getConsent(req.params.consent);
      if (found === undefined || found.subjectId !== req.params.id)
        return failurePage(c, req, reply, new NotFoundError(`no consent ${req.params.consent} of ${req.params.id}`));
      try {
        const { consent, cancelled } = await withdrawConsent(c.deps.ctx, found.id, actorOf(principalOf(req), 'console'));
        const text = `${v.t('consentWithdrawn')}: ${consent.id}${cancelled.length > 0 ? ` · ${v.t('cancelledInFlight')}: ${cancelled.join(', ')}` : ''}`;
        return show(c, req, reply, 200, { kind: 'ok', text });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return show(c, req, reply, 409, { kind: 'error', text: err.issues.map((i) => i.message).join(' / ') });
      }
    },
  );
}
