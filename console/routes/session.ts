import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LANG_COOKIE, formOf, one, principalOf, sendPage, viewOf } from '../context';
import type { ConsoleContext } from '../context';
import { loginPage } from '../pages/login';
import { SESSION_COOKIE } from '../session';

const home = (role: string): string => (role === 'recipient' ? '/handoffs' : '/');

/** Only paths of this site, so the language switch cannot send anyone elsewhere. */
const localPath = (back: unknown): string => (typeof back === 'string' && /^\/(?![/\\])/.test(back) ? back : '/');

export function sessionRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get<{ Querystring: { ended?: string } }>('/login', async (req, reply) => {
    const p = principalOf(req);
    if (p !== undefined) return reply.redirect(home(p.role), 303);
    return sendPage(
      reply,
      200,
      loginPage(viewOf(c, req, reply), req.query.ended !== undefined ? 'sessionEnded' : undefined),
    );
  });

  app.post('/login', { preHandler: app.csrfProtection }, async (req, reply) => {
    const token = one(formOf(req).token);
    const session = token === undefined ? undefined : await c.sessions.signIn(token);
    if (session === undefined) return sendPage(reply, 401, loginPage(viewOf(c, req, reply), 'badToken'));
    reply.setCookie(SESSION_COOKIE, session.id, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: 'auto',
      maxAge: Math.floor(c.sessions.ttlMs / 1000),
    });
    return reply.redirect(home(session.principal.role), 303);
  });

  app.post('/logout', { preHandler: app.csrfProtection }, async (req: FastifyRequest, reply: FastifyReply) => {
    c.sessions.signOut(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get<{ Params: { lang: string }; Querystring: { back?: string } }>('/lang/:lang', async (req, reply) => {
    reply.setCookie(LANG_COOKIE, req.params.lang === 'en' ? 'en' : 'ja', {
      path: '/',
      sameSite: 'strict',
      httpOnly: true,
      secure: 'auto',
      maxAge: 365 * 86_400,
    });
    return reply.redirect(localPath(req.query.back), 303);
  });
}
