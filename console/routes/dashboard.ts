import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DisclosureKind } from '../../domain/policy';
import { DISCLOSURE_OUTCOMES } from '../../store/disclosure-page';
import type { ConsoleContext } from '../context';
import { sendPage, viewOf } from '../context';
import { dayBound } from '../dates';
import { guard } from '../guard';
import type { DashboardQuery } from '../pages/dashboard';
import { dashboardPage } from '../pages/dashboard';

const PAGE_SIZE = 50;
const blank = (v: unknown) => (v === '' ? undefined : v);
const Day = z.preprocess(blank, z.iso.date('a date as YYYY-MM-DD').optional());
const Text = z.preprocess(blank, z.string().trim().min(1).max(200).optional());

const Query = z.object({
  kind: z.preprocess(blank, DisclosureKind.optional()),
  status: z.preprocess(blank, z.enum(DISCLOSURE_OUTCOMES).optional()),
  recipient: Text,
  customer: Text,
  from: Day,
  to: Day,
  /** The cursor: the last row of the previous page, `createdAt|id`. */
  after: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[^|]+\|[^|]+$/, 'a page cursor')
      .optional(),
  ),
});

const hrefWith = (q: Record<string, string | undefined>): string => {
  const params = new URLSearchParams(
    Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
  const s = params.toString();
  return s === '' ? '/' : `/?${s}`;
};

export function dashboardRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get<{ Querystring: Record<string, string> }>('/', { preHandler: guard(c, 'dashboard') }, async (req, reply) => {
    const v = viewOf(c, req, reply);
    const parsed = Query.safeParse(req.query);
    const raw = req.query as DashboardQuery;
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      return sendPage(reply, 400, dashboardPage(v, raw, [], {}, errors));
    }
    const q = parsed.data;
    const [afterAt, afterId] = q.after?.split('|') ?? [];
    const rows = await c.deps.ctx.store.pageDisclosures({
      kind: q.kind,
      outcome: q.status,
      recipientId: q.recipient,
      subjectId: q.customer,
      since: q.from !== undefined ? dayBound(q.from, c.timeZone, false) : undefined,
      until: q.to !== undefined ? dayBound(q.to, c.timeZone, true) : undefined,
      after: afterAt !== undefined && afterId !== undefined ? { createdAt: afterAt, id: afterId } : undefined,
      limit: PAGE_SIZE + 1,
    });
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    const filters = {
      kind: q.kind,
      status: q.status,
      recipient: q.recipient,
      customer: q.customer,
      from: q.from,
      to: q.to,
    };
    const links = {
      first: q.after !== undefined ? hrefWith(filters) : undefined,
      next:
        rows.length > PAGE_SIZE && last !== undefined
          ? hrefWith({ ...filters, after: `${last.createdAt}|${last.id}` })
          : undefined,
    };
    return sendPage(reply, 200, dashboardPage(v, filters, page, links, []));
  });
}
