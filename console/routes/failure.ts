import type { FastifyReply, FastifyRequest } from 'fastify';
import { InputError, NotFoundError, RefusedError } from '../../service/errors';
import type { ConsoleContext } from '../context';
import { sendPage, viewOf } from '../context';
import { messagePage } from '../pages/message';

/** The engine's named failures as pages; anything else goes to the error handler (no details shown). */
export function failurePage(c: ConsoleContext, req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const v = viewOf(c, req, reply);
  if (err instanceof NotFoundError) return sendPage(reply, 404, messagePage(v, v.t('notFound'), err.message));
  if (err instanceof InputError)
    return sendPage(
      reply,
      400,
      messagePage(v, v.t('errorTitle'), err.issues.map((i) => `${i.field}: ${i.message}`).join(' / ')),
    );
  if (err instanceof RefusedError)
    return sendPage(reply, 422, messagePage(v, v.t('refusedByRule'), `${err.refusal.code}: ${err.refusal.message}`));
  throw err;
}
