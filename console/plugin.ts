import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { TokenRegistry } from '../api/auth';
import type { ApiDeps } from '../api/route';
import { readPolicy } from '../activities/policy';
import type { ConsoleContext } from './context';
import { sendPage, setPrincipal, viewOf } from './context';
import { messagePage } from './pages/message';
import { approvalRoutes } from './routes/approvals';
import { auditRoutes } from './routes/audit';
import { auditJobRoutes } from './routes/audit-jobs';
import { customerRoutes } from './routes/customers';
import { recipientRoutes } from './routes/recipients';
import { dashboardRoutes } from './routes/dashboard';
import { disclosureRoutes } from './routes/disclosure';
import { handoffRoutes } from './routes/handoffs';
import { requestRoutes } from './routes/requests';
import { sessionRoutes } from './routes/session';
import { SESSION_COOKIE, SessionStore } from './session';

export interface ConsoleOptions {
  deps: ApiDeps;
  tokens: TokenRegistry;
  policyPath: string;
  /** Zone of every date shown; DISCLOSURE_TIMEZONE, Asia/Tokyo by default. */
  timeZone?: string | undefined;
  /** How long a sign-in lasts; 8 hours by default. */
  sessionTtlMs?: number | undefined;
  clock?: (() => Date) | undefined;
}

const DEFAULT_TTL_MS = 8 * 60 * 60_000;
const STATIC_DIR = resolve(__dirname, __dirname.endsWith(join('dist', 'console')) ? '../../console/static' : 'static');

function checkedZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`DISCLOSURE_TIMEZONE: "${zone}" is not a time zone (e.g. Asia/Tokyo)`);
  }
  return zone;
}

/** Cookie, form and CSRF support for the console's routes, unless the server registered them already. */
async function registerSupport(app: FastifyInstance): Promise<void> {
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody);
  if (!app.hasReplyDecorator('generateCsrf')) {
    await app.register(fastifyCsrf, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: 'auto' },
      getToken: (req) => {
        const body = req.body as Record<string, unknown> | undefined;
        return typeof body?._csrf === 'string' ? body._csrf : undefined;
      },
    });
  }
}

/**
 * The web console: server-rendered pages on the API's server, calling the same service
 * functions as the API. Every rule is the server's; pages only show what it decided.
 */
export const consolePlugin: FastifyPluginAsync<ConsoleOptions> = async (app, opts) => {
  await registerSupport(app);
  const clock = opts.clock ?? (() => new Date());
  const c: ConsoleContext = {
    deps: opts.deps,
    sessions: new SessionStore(opts.tokens, opts.sessionTtlMs ?? DEFAULT_TTL_MS, clock),
    policy: (await readPolicy(opts.policyPath)).policy,
    policyPath: opts.policyPath,
    timeZone: checkedZone(opts.timeZone ?? process.env.DISCLOSURE_TIMEZONE ?? 'Asia/Tokyo'),
    clock,
  };
  const css = readFileSync(join(STATIC_DIR, 'console.css'), 'utf8');
  const js = readFileSync(join(STATIC_DIR, 'console.js'), 'utf8');

  app.addHook('onRequest', async (req) => {
    const principal = await c.sessions.principalOf(req.cookies[SESSION_COOKIE]);
    if (principal !== undefined) setPrincipal(req, principal);
  });

  app.setErrorHandler(async (err, req, reply) => {
    const v = viewOf(c, req, reply);
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('FST_CSRF')) return sendPage(reply, 403, messagePage(v, v.t('errorTitle'), v.t('csrfFailed')));
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, 'console request failed');
    // The message of a 4xx is the framework's own (bad body, too large); a 5xx says nothing of the cause.
    return sendPage(
      reply,
      status,
      messagePage(v, v.t('errorTitle'), status < 500 && err instanceof Error ? err.message : v.t('errorTitle')),
    );
  });

  app.get('/console.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(css),
  );
  app.get('/console.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(js),
  );
  sessionRoutes(app, c);
  dashboardRoutes(app, c);
  disclosureRoutes(app, c);
  requestRoutes(app, c);
  approvalRoutes(app, c);
  auditRoutes(app, c);
  auditJobRoutes(app, c);
  customerRoutes(app, c);
  recipientRoutes(app, c);
  handoffRoutes(app, c);
};

/** The console as an extension of the engine's HTTP server (see api/server.ts). */
export const consoleExtension =
  (opts: ConsoleOptions) =>
  async (app: FastifyInstance): Promise<void> => {
    await app.register(consolePlugin, opts);
  };
