import { z } from 'zod';
import { Recipient, Subject } from '../../domain/registry';
import { seedDemo } from '../../service/demo';
import {
  addRecipients,
  addSubjects,
  approveRecipientChange,
  ConsentGrantInput,
  grantConsent,
  pendingRecipientChanges,
  rejectRecipientChange,
  RejectInput,
  withdrawConsent,
} from '../../service/registry';
import { Added, ConsentGranted, ConsentWithdrawn, RecipientChangeView, RecipientsAdded, RecipientChanges, Seeded } from '../schemas';
import { actorOf, route } from '../route';

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]);
/** Who may write the registry: not the requester, so that one person cannot both set up a recipient and send to it. */
const REGISTRY_ROLES = ['registrar', 'admin'] as const;

export const registryRoutes = [
  route({
    method: 'POST',
    path: '/api/subjects',
    operationId: 'addSubjects',
    responses: { 200: Added },
    summary: 'add or update customers (one object or an array)',
    roles: REGISTRY_ROLES,
    body: oneOrMany(Subject),
    handle: async ({ ctx }, { body, principal }) => ({ body: { added: await addSubjects(ctx, body, actorOf(principal)) } }),
  }),
  route({
    method: 'POST',
    path: '/api/recipients',
    operationId: 'addRecipients',
    responses: { 200: RecipientsAdded },
    summary: 'add or update recipients; a new one, or a new kind, address, email or contract, waits for a second person',
    roles: REGISTRY_ROLES,
    body: oneOrMany(Recipient),
    handle: async ({ ctx }, { body, principal }) => ({ body: await addRecipients(ctx, body, actorOf(principal)) }),
  }),
  route({
    method: 'GET',
    path: '/api/registry/pending',
    operationId: 'pendingRecipientChanges',
    responses: { 200: RecipientChanges },
    summary: 'recipient changes waiting for a second person',
    roles: REGISTRY_ROLES,
    handle: async ({ ctx }) => ({ body: { changes: await pendingRecipientChanges(ctx) } }),
  }),
  route({
    method: 'POST',
    path: '/api/registry/changes/:id/approve',
    operationId: 'approveRecipientChange',
    responses: { 200: RecipientChangeView },
    summary: 'put a proposed recipient in force (a registrar or admin other than its author)',
    roles: REGISTRY_ROLES,
    handle: async ({ ctx }, { params, principal }) => ({ body: await approveRecipientChange(ctx, params.id ?? '', actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/registry/changes/:id/reject',
    operationId: 'rejectRecipientChange',
    responses: { 200: RecipientChangeView },
    summary: 'reject a proposed recipient change, with the reason',
    roles: REGISTRY_ROLES,
    body: RejectInput,
    handle: async ({ ctx }, { params, body, principal }) => ({ body: await rejectRecipientChange(ctx, params.id ?? '', body, actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/consents',
    operationId: 'grantConsent',
    responses: { 201: ConsentGranted },
    summary: "record a customer's consent to disclosure to one recipient for one purpose",
    roles: REGISTRY_ROLES,
    body: ConsentGrantInput,
    handle: async ({ ctx }, { body, principal }) => ({ status: 201, body: await grantConsent(ctx, body, actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/consents/:id/withdraw',
    operationId: 'withdrawConsent',
    responses: { 200: ConsentWithdrawn },
    summary: 'withdraw a consent; disclosures in flight on it that have not sent are cancelled',
    roles: REGISTRY_ROLES,
    handle: async ({ ctx }, { params, principal }) => ({ body: await withdrawConsent(ctx, params.id ?? '', actorOf(principal)) }),
  }),
  route({
    method: 'POST',
    path: '/api/seed/demo',
    operationId: 'seedDemo',
    responses: { 200: Seeded },
    summary: 'load the demo data set',
    roles: ['admin'],
    handle: async ({ ctx }, { principal }) => ({ body: await seedDemo(ctx, actorOf(principal)) }),
  }),
];
