import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../api/route';
import { InputError, RefusedError } from '../../service/errors';
import { approveLegal, rejectLegal, reviewLegal } from '../../service/legal';
import { pendingLegalRequests } from '../../service/legal-queue';
import type { ConsoleContext } from '../context';
import { formOf, many, one, principalOf, sendPage, viewOf } from '../context';
import { errorsByField } from '../forms';
import { guard } from '../guard';
import type { Outcome } from '../pages/approvals';
import { approvalsPage } from '../pages/approvals';
import { emergencyReviewsDue } from '../reviews';

type ById = FastifyRequest<{ Params: { id: string } }>;

async function show(c: ConsoleContext, req: FastifyRequest, reply: FastifyReply, status: number, outcome?: Outcome) {
  const [queue, reviews] = await Promise.all([
    pendingLegalRequests(c.deps.ctx, c.deps.replay.dataConverter, c.policy),
    emergencyReviewsDue(c.deps.ctx),
  ]);
  return sendPage(reply, status, approvalsPage(viewOf(c, req, reply), queue, reviews, c.clock(), outcome));
}

/**
 * Approve or reject through the same service calls as the API; the approver is the signed-in
 * token, named in the record (actor, via console). Whether this person may decide (not the requester, a second person) is the workflow's
 * rule: a refusal comes back from it and is shown as it is.
 */
async function decide(c: ConsoleContext, req: ById, reply: FastifyReply, act: () => Promise<unknown>, done: string) {
  const v = viewOf(c, req, reply);
  try {
    await act();
    return show(c, req, reply, 200, { id: req.params.id, kind: 'ok', text: done });
  } catch (err) {
    if (err instanceof RefusedError)
      return show(c, req, reply, 422, {
        id: req.params.id,
        kind: 'error',
        text: `${v.t('refusedByRule')}: ${err.refusal.message}`,
      });
    if (err instanceof InputError) {
      const text = err.issues.map((i) => `${i.field}: ${i.message}`).join(' / ');
      return show(c, req, reply, 400, { id: req.params.id, kind: 'error', text, errors: errorsByField(err.issues) });
    }
    throw err;
  }
}

export function approvalRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/approvals', { preHandler: guard(c, 'approvals') }, async (req, reply) => show(c, req, reply, 200));

  app.post<{ Params: { id: string } }>(
    '/approvals/:id/approve',
    { preHandler: [guard(c, 'approvals'), app.csrfProtection] },
    async (req, reply) => {
      const form = formOf(req);
      const fields = many(form.fields);
      const approval = {
        approver: principalOf(req)?.name,
        actor: actorOf(principalOf(req), 'console'),
        authorityCheck: one(form.authorityCheck) ?? '',
        fields: fields.length > 0 ? fields : [],
      };
      return decide(
        c,
        req,
        reply,
        () => approveLegal(c.deps.ctx, req.params.id, approval),
        viewOf(c, req, reply).t('approved'),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    '/approvals/:id/reject',
    { preHandler: [guard(c, 'approvals'), app.csrfProtection] },
    async (req, reply) => {
      const rejection = { by: principalOf(req)?.name, actor: actorOf(principalOf(req), 'console'), reason: one(formOf(req).reason) ?? '' };
      return decide(
        c,
        req,
        reply,
        () => rejectLegal(c.deps.ctx, req.params.id, rejection),
        viewOf(c, req, reply).t('rejected'),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    '/approvals/:id/review',
    { preHandler: [guard(c, 'approvals'), app.csrfProtection] },
    async (req, reply) => {
      const form = formOf(req);
      const review = { reviewer: principalOf(req)?.name, actor: actorOf(principalOf(req), 'console'), outcome: one(form.outcome), notes: one(form.notes) ?? '' };
      return decide(
        c,
        req,
        reply,
        () => reviewLegal(c.deps.ctx, req.params.id, review),
        viewOf(c, req, reply).t('reviewed'),
      );
    },
  );
}
