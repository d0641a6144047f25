import { z } from 'zod';
import { Recipient, Subject } from '../../domain/registry';
import { seedDemo } from '../../service/demo';
import { addRecipients, addSubjects, ConsentGrantInput, grantConsent, withdrawConsent } from '../../service/registry';
import { Added, ConsentGranted, ConsentWithdrawn, Seeded } from '../schemas';
import { route } from '../route';

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
    handle: async ({ ctx }, { body }) => ({ body: { added: await addSubjects(ctx, body) } }),
  }),
  route({
    method: 'POST',
    path: '/api/recipients',
    operationId: 'addRecipients',
    responses: { 200: Added },
    summary: 'add or update recipients (dealer, carrier, survey-firm, authority)',
    roles: REGISTRY_ROLES,
    body: oneOrMany(Recipient),
    handle: async ({ ctx }, { body }) => ({ body: { added: await addRecipients(ctx, body) } }),
  }),
  route({
    method: 'POST',
    path: '/api/consents',
    operationId: 'grantConsent',
    responses: { 201: ConsentGranted },
    summary: "record a customer's consent to disclosure to one recipient for one purpose",
    roles: REGISTRY_ROLES,
    body: ConsentGrantInput,
    handle: async ({ ctx }, { body }) => ({ status: 201, body: await grantConsent(ctx, body) }),
  }),
  route({
    method: 'POST',
    path: '/api/consents/:id/withdraw',
    operationId: 'withdrawConsent',
    responses: { 200: ConsentWithdrawn },
    summary: 'withdraw a consent; disclosures in flight on it that have not sent are cancelled',
    roles: REGISTRY_ROLES,
    handle: async ({ ctx }, { params }) => ({ body: await withdrawConsent(ctx, params.id ?? '') }),
  }),
  route({
    method: 'POST',
    path: '/api/seed/demo',
    operationId: 'seedDemo',
    responses: { 200: Seeded },
    summary: 'load the demo data set',
    roles: ['admin'],
    handle: async ({ ctx }) => ({ body: await seedDemo(ctx) }),
  }),
];
