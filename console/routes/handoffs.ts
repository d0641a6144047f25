import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../api/auth';
import { actorOf } from '../../api/route';
import { acknowledge, listHandoffs } from '../../service/ack';
import { confirmDeletion } from '../../service/deletion';
import { InputError, NotFoundError, RefusedError } from '../../service/errors';
import type { ConsoleContext } from '../context';
import { formOf, one, principalOf, sendPage, viewOf } from '../context';
import { guard } from '../guard';
import { handoffPage, handoffsPage } from '../pages/handoffs';
import { messagePage } from '../pages/message';

type ById = FastifyRequest<{ Params: { id: string } }>;

/** A recipient sees only its own handoffs; anyone else's is "not found", never "forbidden". */
const scope = (p: Principal | undefined): string | undefined =>
  p?.role === 'recipient' ? (p.recipientId ?? '\u0000none') : undefined;

async function own(c: ConsoleContext, req: ById) {
  const [found] = await listHandoffs(c.deps.ctx, { disclosureId: req.params.id, recipientId: scope(principalOf(req)) });
  return found;
}

function notFound(c: ConsoleContext, req: ById, reply: FastifyReply) {
  const v = viewOf(c, req, reply);
  return sendPage(reply, 404, messagePage(v, v.t('notFound'), `${req.params.id}`));
}

export function handoffRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/handoffs', { preHandler: guard(c, 'handoffs') }, async (req, reply) =>
    sendPage(
      reply,
      200,
      handoffsPage(
        viewOf(c, req, reply),
        (await listHandoffs(c.deps.ctx, { recipientId: scope(principalOf(req)) })).reverse(),
      ),
    ),
  );

  app.get<{ Params: { id: string } }>('/handoffs/:id', { preHandler: guard(c, 'handoffs') }, async (req, reply) => {
    const found = await own(c, req);
    if (found === undefined) return notFound(c, req, reply);
    return sendPage(reply, 200, handoffPage(viewOf(c, req, reply), found));
  });

  app.post<{ Params: { id: string } }>(
    '/handoffs/:id/ack',
    { preHandler: [guard(c, 'handoffs'), app.csrfProtection] },
    async (req, reply) => {
      // Only the recipient itself acknowledges receipt, as over the API.
      if (principalOf(req)?.role !== 'recipient') return notFound(c, req, reply);
      const found = await own(c, req);
      if (found === undefined) return notFound(c, req, reply);
      const outcome = await acknowledge(c.deps.ctx, {
        disclosureId: found.disclosureId,
        recipientId: found.recipientId,
        via: 'console',
        actor: actorOf(principalOf(req), 'console'),
      });
      const after = (await own(c, req)) ?? found;
      const v = viewOf(c, req, reply);
      return sendPage(
        reply,
        outcome.ok ? 200 : 409,
        handoffPage(
          v,
          after,
          outcome.ok ? { kind: 'ok', text: v.t('done') } : { kind: 'error', text: outcome.message },
        ),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    '/handoffs/:id/confirm-deletion',
    { preHandler: [guard(c, 'handoffs'), app.csrfProtection] },
    async (req, reply) => {
      const found = await own(c, req);
      if (found === undefined) return notFound(c, req, reply);
      const v = viewOf(c, req, reply);
      try {
        await confirmDeletion(c.deps.ctx, {
          disclosureId: found.disclosureId,
          by: one(formOf(req).by) ?? principalOf(req)?.name ?? '',
          actor: actorOf(principalOf(req), 'console'),
        });
        return sendPage(reply, 200, handoffPage(v, found, { kind: 'ok', text: v.t('done') }));
      } catch (err) {
        if (err instanceof InputError || err instanceof RefusedError || err instanceof NotFoundError) {
          return sendPage(reply, 400, handoffPage(v, found, { kind: 'error', text: err.message }));
        }
        throw err;
      }
    },
  );
}
