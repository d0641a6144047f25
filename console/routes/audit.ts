import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderCsv } from '../../domain/csv';
import { DisclosureKind } from '../../domain/policy';
import type { DisclosureRecord } from '../../domain/record';
import { NotFoundError } from '../../service/errors';
import { buildSubjectReport } from '../../service/reports';
import type { ConsoleContext } from '../context';
import { sendPage, viewOf } from '../context';
import { guard } from '../guard';
import { ledgerPage } from '../pages/ledger';
import { recordsPage } from '../pages/records';
import type { ReportRegime } from '../pages/report';
import { REPORT_REGIMES, reportPage } from '../pages/report';

const blank = (v: unknown) => (v === '' ? undefined : v);
const Text = z.preprocess(blank, z.string().trim().min(1).max(200).optional());
const RecordQuery = z.object({
  kind: z.preprocess(blank, DisclosureKind.optional()),
  recipient: Text,
  customer: Text,
  /** The cursor: the seq of the last record of the page before. */
  before: z.preprocess(blank, z.coerce.number().int().positive().optional()),
});
type Q = FastifyRequest<{ Querystring: Record<string, string> }>;

/** Records per page, newest first, by keyset on seq; the CSV has every record that matches. */
const PAGE_SIZE = 50;

const CSV_HEADER = [
  'recordId',
  'seq',
  'entryType',
  'disclosureId',
  'kind',
  'outcome',
  'recipientId',
  'recipientName',
  'items',
  'requestedItems',
  'purpose',
  'occurredAt',
  'requestedBy',
  'approvedBy',
  'hash',
];
const csvRow = (r: DisclosureRecord): string[] => [
  r.recordId,
  String(r.seq),
  r.entryType,
  r.disclosureId,
  r.kind,
  r.outcome,
  r.recipient.id,
  r.recipient.name,
  r.items.join(' '),
  (r.requestedItems ?? []).join(' '),
  r.purpose,
  r.occurredAt,
  r.requestedBy,
  (r.approvedBy ?? []).join(' '),
  r.hash,
];

async function ledgerStatus(c: ConsoleContext) {
  const [head, checkpoints] = await Promise.all([c.deps.ctx.store.ledgerHead(), c.deps.ctx.store.listCheckpoints()]);
  const latest = checkpoints[checkpoints.length - 1];
  return {
    head,
    latestCheckpoint: latest !== undefined ? { id: latest.id, seq: latest.seq, signedAt: latest.signedAt } : undefined,
    now: c.clock(),
  };
}

async function records(c: ConsoleContext, req: Q, reply: FastifyReply, csv: boolean) {
  const parsed = RecordQuery.safeParse(req.query);
  const v = viewOf(c, req, reply);
  if (!parsed.success)
    return sendPage(
      reply,
      400,
      recordsPage(
        v,
        req.query,
        [],
        '/records.csv',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ),
    );
  const { before, ...q } = parsed.data;
  const filter = { kind: q.kind, recipientId: q.recipient, subjectId: q.customer };
  if (csv) {
    const found = await c.deps.ctx.store.listRecords(filter);
    return reply
      .header('content-disposition', 'attachment; filename="records.csv"')
      .header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .send(renderCsv(CSV_HEADER, found.map(csvRow)));
  }
  const rows = await c.deps.ctx.store.pageRecords({ ...filter, beforeSeq: before, limit: PAGE_SIZE + 1 });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const withParams = (path: string, extra?: [string, string]): string => {
    const p = new URLSearchParams(params);
    if (extra !== undefined) p.set(...extra);
    return p.size > 0 ? `${path}?${p}` : path;
  };
  const links = {
    first: before !== undefined ? withParams('/records') : undefined,
    next: rows.length > PAGE_SIZE && last !== undefined ? withParams('/records', ['before', String(last.seq)]) : undefined,
  };
  return sendPage(reply, 200, recordsPage(v, q, page, withParams('/records.csv'), [], links));
}

export function auditRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/ledger', { preHandler: guard(c, 'ledger') }, async (req, reply) =>
    sendPage(reply, 200, ledgerPage(viewOf(c, req, reply), await ledgerStatus(c))),
  );

  app.get<{ Querystring: Record<string, string> }>(
    '/records',
    { preHandler: guard(c, 'records') },
    async (req, reply) => records(c, req, reply, false),
  );
  app.get<{ Querystring: Record<string, string> }>(
    '/records.csv',
    { preHandler: guard(c, 'records') },
    async (req, reply) => records(c, req, reply, true),
  );

  app.get<{ Querystring: Record<string, string> }>(
    '/report',
    { preHandler: guard(c, 'report') },
    async (req, reply) => {
      const v = viewOf(c, req, reply);
      const customer = (req.query.customer ?? '').trim();
      const regime: ReportRegime = (REPORT_REGIMES as readonly string[]).includes(req.query.regime ?? '')
        ? (req.query.regime as ReportRegime)
        : 'appi';
      if (customer === '') return sendPage(reply, 200, reportPage(v, '', regime, undefined));
      try {
        const report = await buildSubjectReport(c.deps.ctx.store, customer, { regimes: [regime], now: c.clock(), policyPath: c.policyPath });
        return sendPage(reply, 200, reportPage(v, customer, regime, report));
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        return sendPage(reply, 404, reportPage(v, customer, regime, undefined, err.message));
      }
    },
  );
}
