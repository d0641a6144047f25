import { z } from 'zod';
import { dayBound, DEFAULT_TIME_ZONE } from '../../domain/dates';
import { DisclosureKind } from '../../domain/policy';
import { recordsCsv } from '../../service/csv-exports';
import { Records } from '../schemas';
import { route, STAFF } from '../route';

const Day = z.iso.date().describe('a calendar day (YYYY-MM-DD) in DISCLOSURE_TIMEZONE');

const RecordQuery = z.object({
  subject: z.string().min(1).optional(),
  recipient: z.string().min(1).optional(),
  kind: DisclosureKind.optional(),
  from: Day.optional().describe('only records from the start of this day in DISCLOSURE_TIMEZONE'),
  to: Day.optional().describe('only records up to the end of this day in DISCLOSURE_TIMEZONE'),
  format: z.enum(['json', 'csv']).optional().describe('csv: text/csv (UTF-8 with BOM, CRLF); an Accept header preferring text/csv does the same'),
});

export const recordRoutes = [
  route({
    method: 'GET',
    path: '/api/records',
    operationId: 'listRecords',
    responses: { 200: Records },
    csv: 'records.csv',
    summary: 'disclosure records (deliveries, refused attempts, acknowledgements), oldest first; as JSON or text/csv',
    roles: STAFF,
    query: RecordQuery,
    handle: async ({ ctx, timeZone }, { query, format }) => {
      const zone = timeZone ?? DEFAULT_TIME_ZONE;
      const records = await ctx.store.listRecords({
        subjectId: query.subject,
        recipientId: query.recipient,
        kind: query.kind,
        since: query.from === undefined ? undefined : dayBound(query.from, zone, false),
        until: query.to === undefined ? undefined : dayBound(query.to, zone, true),
      });
      return format === 'csv' ? { body: undefined, csv: recordsCsv(records, zone) } : { body: { records } };
    },
  }),
];
