import { z } from 'zod';
import type { NoticeOutcome, NoticeRefusal } from '../../service/notices';
import { confirmNotice, confirmNoticeWithToken, eraseSubject, previewNotice, rectifySubject, SubjectChanges } from '../../service/notices';
import { noticeConfirmedPage, noticeConfirmPage, noticeRefusedPage } from '../notice-page';
import type { RouteResult } from '../route';
import { actorOf, HttpError, route } from '../route';
import { NoticesStarted, Page } from '../schemas';

const STATUS_OF: Record<NoticeRefusal, number> = {
  forged: 403,
  'wrong-recipient': 403,
  expired: 410,
  'already-confirmed': 409,
  'not-sent': 409,
  'unknown-notice': 404,
};

/** Rectification and erasure change the registry: the registry's writers only. */
const REGISTRY_ROLES = ['registrar', 'admin'] as const;

const NoticeConfirmed = z
  .object({ ok: z.literal(true), noticeId: z.string(), recordId: z.string(), confirmedAt: z.string() })
  .describe('the confirmation was recorded');

function confirmedResult(outcome: NoticeOutcome): RouteResult {
  if (!outcome.ok) throw new HttpError(STATUS_OF[outcome.reason], outcome.reason, outcome.message);
  return { status: 201, body: outcome };
}

export const noticeRoutes = [
  route({
    method: 'POST',
    path: '/api/subjects/:id/rectify',
    operationId: 'rectifySubject',
    responses: { 200: NoticesStarted.extend({ changed: z.array(z.string()) }) },
    summary: "rectify a customer's file (null removes an optional item); recipients holding a changed item are sent its new value",
    roles: REGISTRY_ROLES,
    body: SubjectChanges,
    handle: async ({ ctx }, { params, body, principal }) => ({ body: await rectifySubject(ctx, { subject: params.id, changes: body }, actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/subjects/:id/erase',
    operationId: 'eraseSubject',
    responses: { 200: NoticesStarted.extend({ cancelled: z.array(z.string()) }) },
    summary: "erase a customer's file on request; every recipient holding their data is asked to delete it",
    roles: REGISTRY_ROLES,
    handle: async ({ ctx }, { params, principal }) => ({ body: await eraseSubject(ctx, { subject: params.id }, actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/notices/:id/confirm',
    operationId: 'confirmNotice',
    responses: { 201: NoticeConfirmed },
    summary: 'the recipient confirms it acted on a downstream notice it received',
    roles: ['recipient'],
    handle: async ({ ctx }, { params, principal }) =>
      confirmedResult(await confirmNotice(ctx, { noticeId: params.id ?? '', recipientId: principal?.recipientId ?? '', via: 'api' })),
  }),
  route({
    method: 'GET',
    path: '/notice/:token',
    operationId: 'showNoticeLink',
    responses: { 200: Page },
    page: true,
    summary: 'the confirmation link in a downstream notice: a page showing what the notice asks, with a confirm button (records nothing)',
    roles: 'public',
    handle: async (deps, { params }) => {
      const preview = await previewNotice(deps.ctx, deps.ackKey, params.token ?? '');
      if (preview.ok) return { status: 200, body: preview, html: noticeConfirmPage(deps, preview) };
      return { status: STATUS_OF[preview.reason], body: preview, html: noticeRefusedPage(preview, deps) };
    },
  }),
  route({
    method: 'POST',
    path: '/notice/:token',
    operationId: 'confirmNoticeLink',
    responses: { 201: Page },
    page: true,
    summary: "the confirm button of the notice page: records the recipient's confirmation, once",
    roles: 'public',
    handle: async (deps, { params }) => {
      const outcome = await confirmNoticeWithToken(deps.ctx, deps.ackKey, params.token ?? '');
      if (outcome.ok) return { status: 201, body: outcome, html: noticeConfirmedPage(outcome, deps) };
      return { status: STATUS_OF[outcome.reason], body: outcome, html: noticeRefusedPage(outcome, deps) };
    },
  }),
];
