import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../api/auth';
import type { ApiDeps } from '../api/route';
import type { Policy } from '../domain/policy';
import type { Html } from './html';
import { render } from './html';
import type { Lang } from './i18n';
import { translator } from './i18n';
import type { SessionStore } from './session';
import type { View } from './view';

/** What the console's routes share: the API's dependencies, the sessions, and how to show a page. */
export interface ConsoleContext {
  deps: ApiDeps;
  sessions: SessionStore;
  policy: Policy;
  /** For the services that read the policy themselves (the customer report's rule). */
  policyPath: string;
  timeZone: string;
  clock: () => Date;
}

const principals = new WeakMap<FastifyRequest, Principal>();
export const setPrincipal = (req: FastifyRequest, p: Principal): void => void principals.set(req, p);
export const principalOf = (req: FastifyRequest): Principal | undefined => principals.get(req);

export const LANG_COOKIE = 'dsc_lang';
export const langOf = (req: FastifyRequest): Lang => (req.cookies[LANG_COOKIE] === 'en' ? 'en' : 'ja');

export function viewOf(c: ConsoleContext, req: FastifyRequest, reply: FastifyReply): View {
  const lang = langOf(req);
  return {
    lang,
    t: translator(lang),
    timeZone: c.timeZone,
    provider: c.policy.provider.name,
    path: req.url,
    principal: principalOf(req),
    csrf: reply.generateCsrf(),
  };
}

export function sendPage(reply: FastifyReply, status: number, page: Html): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(render(page));
}

/** A form field as one string: the first value when a control was repeated. */
export const one = (v: unknown): string | undefined => {
  const first = Array.isArray(v) ? (v[0] as unknown) : v;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
};

/** A form field as a list: checkboxes send none, one or several values. */
export const many = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

export const formOf = (req: FastifyRequest): Record<string, unknown> =>
  typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
