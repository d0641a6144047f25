import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ConsoleContext } from './context';
import { principalOf, sendPage, viewOf } from './context';
import { loginPage } from './pages/login';
import { messagePage } from './pages/message';
import type { Area } from './view';
import { mayUse } from './view';

/**
 * Signed in, and in a role that may use this area; otherwise nothing runs. A GET without a
 * session goes to sign-in; a POST is answered 401 and changes nothing.
 */
export const guard =
  (c: ConsoleContext, area: Area): preHandlerAsyncHookHandler =>
  async (req: FastifyRequest, reply: FastifyReply) => {
    const principal = principalOf(req);
    if (principal === undefined) {
      if (req.method === 'GET') return reply.redirect('/login?ended=1', 303);
      return sendPage(reply, 401, loginPage(viewOf(c, req, reply), 'sessionEnded'));
    }
    if (!mayUse(principal.role, area)) {
      const v = viewOf(c, req, reply);
      return sendPage(reply, 403, messagePage(v, v.t('forbidden'), v.t('forbiddenText')));
    }
    return undefined;
  };
