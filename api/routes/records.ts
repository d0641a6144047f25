import { z } from 'zod';
import { DisclosureKind } from '../../domain/policy';
import { Records } from '../schemas';
import { route, STAFF } from '../route';

const RecordQuery = z.object({
  subject: z.string().min(1).optional(),
  recipient: z.string().min(1).optional(),
  kind: DisclosureKind.optional(),
});

export const recordRoutes = [
  route({
    method: 'GET',
    path: '/api/records',
    operationId: 'listRecords',
    responses: { 200: Records },
    summary: 'disclosure records (deliveries, refused attempts, acknowledgements), oldest first',
    roles: STAFF,
    query: RecordQuery,
    handle: async ({ ctx }, { query }) => ({
      body: { records: await ctx.store.listRecords({ subjectId: query.subject, recipientId: query.recipient, kind: query.kind }) },
    }),
  }),
];
