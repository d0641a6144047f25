import { z } from 'zod';
import { DeletionConfirmationRequest, ShippingRequest, SurveyRequest } from '../../domain/requests-entrustment';
import { EmergencyReview, LegalApproval, LegalRejection, LegalRequest } from '../../domain/requests-legal';
import { confirmDeletion } from '../../service/deletion';
import { NotFoundError } from '../../service/errors';
import { approveLegal, rejectLegal, requestLegal, reviewLegal } from '../../service/legal';
import { requestShipping } from '../../service/shipping';
import { approveSurveyBatch, BatchRejection, rejectSurveyBatch, requestSurvey } from '../../service/survey';
import type { Principal } from '../auth';
import { Approved, BatchDecided, DeletionConfirmed, Rejected, Reviewed, Started } from '../schemas';
import { actorOf, route } from '../route';

/**
 * The survey, shipping and legal operations. Who requests, approves, rejects or reviews is the
 * caller's token, never the body, so the workflow's "not the requester" rule holds over HTTP.
 */
const caller = (p: Principal | undefined): string => p?.name ?? 'unknown';
const REQUEST_ROLES = ['requester', 'admin'] as const;
const APPROVE_ROLES = ['approver', 'admin'] as const;

export const kindRoutes = [
  route({
    method: 'POST',
    path: '/api/disclosures/survey',
    operationId: 'requestSurvey',
    responses: { 202: Started },
    summary: "hand a survey batch to the contracted survey firm (opted-out customers are excluded)",
    roles: REQUEST_ROLES,
    body: SurveyRequest.omit({ requestedBy: true, actor: true }),
    handle: async ({ ctx }, { body, principal }) => ({ status: 202, body: await requestSurvey(ctx, { ...body, requestedBy: caller(principal), actor: actorOf(principal) }) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/survey/:id/approve',
    operationId: 'approveSurveyBatch',
    responses: { 200: BatchDecided },
    summary: 'approve a survey batch that waits for a second person (never by its requester)',
    roles: APPROVE_ROLES,
    handle: async ({ ctx }, { params, principal }) => ({ body: await approveSurveyBatch(ctx, params.id ?? '', actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/survey/:id/reject',
    operationId: 'rejectSurveyBatch',
    responses: { 200: BatchDecided },
    summary: 'reject a survey batch that waits for a second person; it ends refused and nothing is sent',
    roles: APPROVE_ROLES,
    body: BatchRejection,
    handle: async ({ ctx }, { params, body, principal }) => ({ body: await rejectSurveyBatch(ctx, params.id ?? '', body, actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/shipping',
    operationId: 'requestShipping',
    responses: { 202: Started },
    summary: 'hand one parcel of mail to the contracted carrier',
    roles: REQUEST_ROLES,
    body: ShippingRequest.omit({ requestedBy: true, actor: true }),
    handle: async ({ ctx }, { body, principal }) => ({ status: 202, body: await requestShipping(ctx, { ...body, requestedBy: caller(principal), actor: actorOf(principal) }) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/legal',
    operationId: 'requestLegal',
    responses: { 202: Started },
    summary: 'take in a legal or emergency request; a second staff member must approve',
    roles: REQUEST_ROLES,
    body: LegalRequest.omit({ requestedBy: true, actor: true }),
    handle: async ({ ctx }, { body, principal }) => ({ status: 202, body: await requestLegal(ctx, { ...body, requestedBy: caller(principal), actor: actorOf(principal) }) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/:id/approve',
    operationId: 'approveLegal',
    responses: { 200: Approved },
    summary: 'approve a legal request: the fields released (a subset of those requested) and how the authority was verified',
    roles: APPROVE_ROLES,
    body: LegalApproval.omit({ approver: true, actor: true }),
    handle: async ({ ctx }, { params, body, principal }) => ({ body: await approveLegal(ctx, params.id ?? '', { ...body, approver: caller(principal), actor: actorOf(principal) }) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/:id/reject',
    operationId: 'rejectLegal',
    responses: { 200: Rejected },
    summary: 'reject a legal request, with the reason',
    roles: APPROVE_ROLES,
    body: LegalRejection.omit({ by: true, actor: true }),
    handle: async ({ ctx }, { params, body, principal }) => ({ body: await rejectLegal(ctx, params.id ?? '', { ...body, by: caller(principal), actor: actorOf(principal) }) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/:id/review',
    operationId: 'reviewLegal',
    responses: { 200: Reviewed },
    summary: 'the mandatory review of an emergency release, by someone other than who released it',
    roles: APPROVE_ROLES,
    body: EmergencyReview.omit({ reviewer: true, actor: true }),
    handle: async ({ ctx }, { params, body, principal }) => ({ body: await reviewLegal(ctx, params.id ?? '', { ...body, reviewer: caller(principal), actor: actorOf(principal) }) }),
  }),
  route({
    method: 'POST',
    path: '/api/disclosures/:id/confirm-deletion',
    operationId: 'confirmDeletion',
    responses: { 200: DeletionConfirmed },
    summary: 'an entrustee confirms it deleted the data of a disclosure it received',
    roles: ['recipient', 'admin'],
    body: DeletionConfirmationRequest.omit({ disclosureId: true, by: true, actor: true }).extend({ by: z.string().trim().min(1).max(200).optional() }),
    handle: async ({ ctx }, { params, body, principal }) => {
      const id = params.id ?? '';
      const entry = await ctx.store.getDisclosure(id);
      if (entry === undefined || (principal?.role === 'recipient' && entry.recipientId !== principal.recipientId)) {
        throw new NotFoundError(`no disclosure ${id} to this recipient`);
      }
      return { body: await confirmDeletion(ctx, { disclosureId: id, by: body.by ?? caller(principal), actor: actorOf(principal) }) };
    },
  }),
];
