import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pack } from 'tar-stream';
import { buildEvidence } from '../../service/audit-export';
import { auditedWorkflowIds } from '../../service/audit-history';
import { auditReplay } from '../../service/audit-replay';
import { InputError } from '../../service/errors';
import type { VerifyReport } from '../../service/ledger';
import { verifyLedger } from '../../service/ledger';
import { transparencyReport } from '../../service/transparency';
import type { ConsoleContext } from '../context';
import { principalOf, sendPage, viewOf } from '../context';
import { fragment } from '../html';
import type { Html } from '../html';
import type { Job } from '../jobs';
import { JobBoard, settleWithin } from '../jobs';
import type { MessageKey } from '../i18n';
import { guard } from '../guard';
import type { ReplayResult } from '../pages/audit-jobs';
import { jobPage, replayFragment, verifyFragment } from '../pages/audit-jobs';
import { messagePage } from '../pages/message';
import type { QuarterCounts } from '../pages/transparency';
import { transparencyPage } from '../pages/transparency';
import { failurePage } from './failure';

/** A short task answers with its result at once; a longer one with its progress page. */
const ANSWER_WITHIN_MS = 1500;
/** Quarters the transparency report shows, the newest last. */
const QUARTERS = 8;
const GROUNDS = ['warrant', 'inquiry', 'emergency', 'statute'];

type ByJob = FastifyRequest<{ Params: { job: string } }>;

/** The evidence bundle as a tar of the same files `audit export --out DIR` writes. */
function tarOf(files: Record<string, string>, now: Date): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: Buffer) => chunks.push(c));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const [name, content] of Object.entries(files))
    p.entry({ name: `evidence/${name}`, mode: 0o600, mtime: now }, content);
  p.finalize();
  return done;
}

/** `2026-Q2` → its first and last calendar day. */
function quarterDays(q: string): { from: string; to: string } {
  const [y, n] = [Number(q.slice(0, 4)), Number(q.slice(6))];
  const last = new Date(Date.UTC(y, n * 3, 0)).getUTCDate();
  const month = (m: number) => String(m).padStart(2, '0');
  return { from: `${y}-${month(n * 3 - 2)}-01`, to: `${y}-${month(n * 3)}-${last}` };
}

function jobRoutes<R>(
  app: FastifyInstance,
  c: ConsoleContext,
  spec: {
    path: string;
    title: MessageKey;
    board: JobBoard<R>;
    total(): Promise<number>;
    run(tick: (n: number) => void): Promise<R>;
    fragment(v: ReturnType<typeof viewOf>, job: Job<R>): Html;
  },
): void {
  const show = (req: ByJob, reply: FastifyReply, partial: boolean) => {
    const v = viewOf(c, req, reply);
    const job = spec.board.get(req.params.job, principalOf(req)?.tokenId);
    if (job === undefined) return sendPage(reply, 404, messagePage(v, v.t('notFound'), v.t('jobGone')));
    const body = spec.fragment(v, job);
    if (partial) return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(fragment(body));
    return sendPage(reply, 200, jobPage(v, spec.title, body, job.result === undefined && job.failed !== true));
  };
  app.post(spec.path, { preHandler: [guard(c, 'ledger'), app.csrfProtection] }, async (req, reply) => {
    const job = spec.board.start(principalOf(req)?.tokenId ?? '', await spec.total(), spec.run, (err) =>
      req.log.error({ err }, `console ${spec.path} failed`),
    );
    await settleWithin(job, ANSWER_WITHIN_MS);
    return reply.redirect(`${spec.path}/${job.id}`, 303);
  });
  app.get<{ Params: { job: string } }>(`${spec.path}/:job`, { preHandler: guard(c, 'ledger') }, async (req, reply) =>
    show(req, reply, false),
  );
  app.get<{ Params: { job: string } }>(
    `${spec.path}/:job/fragment`,
    { preHandler: guard(c, 'ledger') },
    async (req, reply) => show(req, reply, true),
  );
}

export function auditJobRoutes(app: FastifyInstance, c: ConsoleContext): void {
  const { ctx, replay } = c.deps;
  jobRoutes<VerifyReport>(app, c, {
    path: '/ledger/verify',
    title: 'verify',
    board: new JobBoard<VerifyReport>(),
    total: async () => (await ctx.store.ledgerHead())?.seq ?? 0,
    run: (tick) => verifyLedger(ctx.store, c.deps.ledgerKey(), { tick, done: () => undefined }),
    fragment: verifyFragment,
  });
  jobRoutes<ReplayResult>(app, c, {
    path: '/audit/replay',
    title: 'replay',
    board: new JobBoard<ReplayResult>(),
    // Each history is fetched, then replayed: two steps each.
    total: async () => 2 * (await auditedWorkflowIds(ctx.store)).length,
    run: (tick) => auditReplay(ctx, {}, replay, { tick }),
    fragment: replayFragment,
  });

  app.get('/audit/evidence.tar', { preHandler: guard(c, 'ledger') }, async (req, reply) => {
    try {
      const key = c.deps.ledgerKey();
      if (key === undefined)
        throw new InputError([{ field: 'ledger key', message: 'the engine has no ledger signing key yet' }]);
      const evidence = await buildEvidence(ctx, key);
      const stamp = evidence.manifest.createdAt.replace(/[:.]/g, '-');
      return reply
        .header('content-disposition', `attachment; filename="evidence-${stamp}.tar"`)
        .header('cache-control', 'no-store')
        .type('application/x-tar')
        .send(await tarOf(evidence.files, c.clock()));
    } catch (err) {
      return failurePage(c, req, reply, err);
    }
  });

  app.get('/transparency', { preHandler: guard(c, 'ledger') }, async (req, reply) => {
    const all = await transparencyReport(ctx.store, {}, c.timeZone);
    const quarters = Object.keys(all.byQuarter).sort().slice(-QUARTERS);
    const counts: QuarterCounts[] = [];
    for (const quarter of quarters) {
      counts.push({
        quarter,
        byGround: (await transparencyReport(ctx.store, quarterDays(quarter), c.timeZone)).byGround,
      });
    }
    const grounds = GROUNDS.filter((g) => counts.some((q) => q.byGround[g] !== undefined));
    return sendPage(reply, 200, transparencyPage(viewOf(c, req, reply), counts, grounds));
  });
}
