import { z } from 'zod';
import { DealerCatalogRequest } from '../../domain/requests';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import type { Principal } from '../auth';
import { DisclosureResult, Started, StatusView } from '../schemas';
import { actorOf, route, STAFF } from '../route';

/** The requester is the caller: a body cannot claim to come from someone else. */
const DealerCatalogBody = DealerCatalogRequest.omit({ requestedBy: true, actor: true }).extend({
  dispatchDelayMs: z.number().int().min(0).optional(),
});

const staffId = (p: Principal | undefined): string => p?.name ?? 'unknown';

export const disclosureRoutes = [
  route({
    method: 'POST',
    path: '/api/disclosures/dealer-catalog',
    operationId: 'requestDealerCatalog',
    responses: { 202: Started },
    summary: "pass a customer's catalog request to the dealer they selected, on their consent",
    roles: ['requester', 'admin'],
    body: DealerCatalogBody,
    handle: async ({ ctx }, { body, principal }) => {
      const { dispatchDelayMs, ...request } = body;
      const started = await requestDealerCatalog(ctx, { ...request, requestedBy: staffId(principal), actor: actorOf(principal) }, { dispatchDelayMs: dispatchDelayMs ?? 0 });
      return { status: 202, body: started };
    },
  }),
  route({
    method: 'GET',
    path: '/api/disclosures/:id',
    operationId: 'disclosureStatus',
    responses: { 200: StatusView },
    summary: 'where a disclosure stands: status, step, fields sent, reason when refused',
    roles: STAFF,
    handle: async ({ ctx }, { params }) => ({ body: await disclosureStatus(ctx, params.id ?? '') }),
  }),
  route({
    method: 'GET',
    path: '/api/disclosures/:id/result',
    operationId: 'disclosureResult',
    responses: { 200: DisclosureResult },
    summary: 'wait until a disclosure ends and return its outcome',
    roles: STAFF,
    handle: async ({ ctx }, { params }) => ({ body: await waitForDisclosure(ctx, params.id ?? '') }),
  }),
];
