import { z } from 'zod';
import type { AckOutcome, AckRefusal } from '../../service/ack';
import { acknowledge, acknowledgeWithToken, listHandoffs, previewAck } from '../../service/ack';
import { acknowledgedPage, confirmPage, refusedPage } from '../ack-page';
import { DEFAULT_TIME_ZONE } from '../../domain/dates';
import { handoffsCsv } from '../../service/csv-exports';
import { NotFoundError } from '../../service/errors';
import type { Principal } from '../auth';
import type { RouteResult } from '../route';
import { actorOf, HttpError, route, STAFF } from '../route';
import { Acknowledged, Handoff, Handoffs, Page } from '../schemas';

const STATUS_OF: Record<AckRefusal, number> = {
  forged: 403,
  'wrong-recipient': 403,
  expired: 410,
  'already-acknowledged': 409,
  'not-delivered': 409,
  'unknown-disclosure': 404,
};

function ackResult(outcome: AckOutcome): RouteResult {
  if (!outcome.ok) throw new HttpError(STATUS_OF[outcome.reason], outcome.reason, outcome.message);
  return { status: 201, body: outcome };
}

/** A recipient sees its own handoffs only; staff see all, optionally filtered. */
const scopeOf = (p: Principal | undefined, asked: string | undefined): string | undefined =>
  p?.role === 'recipient' ? p.recipientId : asked;

const HandoffQuery = z.object({
  recipient: z.string().min(1).optional(),
  unacknowledged: z.stringbool().optional(),
  format: z.enum(['json', 'csv']).optional().describe('csv: text/csv (UTF-8 with BOM, CRLF); an Accept header preferring text/csv does the same'),
});

/** The link in a handoff: GET shows what was received and a confirm form; only the POST records. */
const viewLink = route({
  method: 'GET',
  path: '/ack/:token',
  operationId: 'showAckLink',
  responses: { 200: Page },
  page: true,
  summary: 'the acknowledgement link in a handoff: a page showing what was received, with a button that confirms receipt (records nothing)',
  roles: 'public',
  handle: async (deps, { params }) => {
    const preview = await previewAck(deps.ctx, deps.ackKey, params.token ?? '');
    if (preview.ok) return { status: 200, body: preview, html: await confirmPage(deps, preview) };
    return { status: STATUS_OF[preview.reason], body: preview, html: refusedPage(preview, deps, preview.acknowledgedAt) };
  },
});

const confirmLink = route({
  method: 'POST',
  path: '/ack/:token',
  operationId: 'confirmAckLink',
  responses: { 201: Page },
  page: true,
  summary: "the confirm button of the acknowledgement page: records the recipient's acknowledgement, once",
  roles: 'public',
  handle: async (deps, { params }) => {
    const outcome = await acknowledgeWithToken(deps.ctx, deps.ackKey, params.token ?? '');
    if (outcome.ok) return { status: 201, body: outcome, html: acknowledgedPage(outcome, deps) };
    return { status: STATUS_OF[outcome.reason], body: outcome, html: refusedPage(outcome, deps) };
  },
});

export const handoffRoutes = [
  route({
    method: 'GET',
    path: '/api/handoffs',
    operationId: 'listHandoffs',
    responses: { 200: Handoffs },
    summary: 'delivered handoffs and whether each was acknowledged (a recipient sees only its own); as JSON or text/csv',
    roles: [...STAFF, 'recipient'],
    query: HandoffQuery,
    csv: 'handoffs.csv',
    handle: async ({ ctx, timeZone }, { query, principal, format }) => {
      const handoffs = await listHandoffs(ctx, { recipientId: scopeOf(principal, query.recipient), unacknowledged: query.unacknowledged });
      return format === 'csv' ? { body: undefined, csv: handoffsCsv(handoffs, timeZone ?? DEFAULT_TIME_ZONE) } : { body: { handoffs } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/handoffs/:id',
    operationId: 'getHandoff',
    responses: { 200: Handoff },
    summary: 'one delivered handoff (a recipient sees only its own)',
    roles: [...STAFF, 'recipient'],
    handle: async ({ ctx }, { params, principal }) => {
      const [found] = await listHandoffs(ctx, { disclosureId: params.id, recipientId: scopeOf(principal, undefined) });
      if (found === undefined) throw new NotFoundError(`no delivered handoff ${params.id ?? ''}`);
      return { body: found };
    },
  }),
  route({
    method: 'POST',
    path: '/api/handoffs/:id/ack',
    operationId: 'acknowledgeHandoff',
    responses: { 201: Acknowledged },
    summary: 'the recipient acknowledges a handoff it received',
    roles: ['recipient'],
    handle: async ({ ctx }, { params, principal }) =>
      ackResult(await acknowledge(ctx, { disclosureId: params.id ?? '', recipientId: principal?.recipientId ?? '', via: 'api', actor: actorOf(principal) })),
  }),
  viewLink,
  confirmLink,
];
