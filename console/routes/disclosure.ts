import type { FastifyInstance } from 'fastify';
import { disclosureTimeline } from '../../service/audit-show';
import { disclosureStatus } from '../../service/disclosures';
import { NotFoundError } from '../../service/errors';
import type { ConsoleContext } from '../context';
import { sendPage, viewOf } from '../context';
import { guard } from '../guard';
import { disclosurePage } from '../pages/disclosure';
import { failurePage } from './failure';

export function disclosureRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get<{ Params: { id: string } }>('/disclosures/:id', { preHandler: guard(c, 'dashboard') }, async (req, reply) => {
    const { ctx, replay } = c.deps;
    try {
      const entry = await ctx.store.getDisclosure(req.params.id);
      if (entry === undefined) throw new NotFoundError(`no disclosure ${req.params.id}`);
      const [status, shown] = await Promise.all([
        disclosureStatus(ctx, entry.id).catch((err: unknown) => {
          if (err instanceof NotFoundError) return undefined;
          throw err;
        }),
        disclosureTimeline(ctx, entry.id, replay.dataConverter),
      ]);
      return sendPage(reply, 200, disclosurePage(viewOf(c, req, reply), entry, status, shown));
    } catch (err) {
      return failurePage(c, req, reply, err);
    }
  });
}
