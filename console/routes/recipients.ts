import type { FastifyInstance } from 'fastify';
import { checkContract } from '../../domain/basis';
import type { Recipient } from '../../domain/registry';
import { NotFoundError } from '../../service/errors';
import type { PendingChange } from '../../service/registry';
import { pendingRecipientChanges } from '../../service/registry';
import type { ConsoleContext } from '../context';
import { sendPage, viewOf } from '../context';
import { guard } from '../guard';
import type { RecipientRow } from '../pages/recipients';
import { recipientPage, recipientsPage } from '../pages/recipients';
import { failurePage } from './failure';

const DAY_MS = 86_400_000;

/** Entrustees need a contract in force with a recent supervision check; the badge applies the send's own rule. */
function rowOf(c: ConsoleContext, r: Recipient, pending: PendingChange[]): RecipientRow {
  return { ...contractRow(c, r), pending: pending.find((p) => p.recipient.id === r.id) };
}

function contractRow(c: ConsoleContext, r: Recipient): RecipientRow {
  if (r.kind === 'dealer' || r.kind === 'authority') {
    return { recipient: r, state: r.contract === undefined ? 'not-needed' : 'ok' };
  }
  const window = c.policy.supervisionWindowDays;
  const supervisionDue =
    r.contract === undefined
      ? undefined
      : new Date(Date.parse(r.contract.lastSupervisionCheck) + window * DAY_MS).toISOString().slice(0, 10);
  const decision = checkContract(r.contract, c.clock(), window, c.timeZone);
  if (decision.ok) return { recipient: r, state: 'ok', supervisionDue };
  const code = decision.refusal.code;
  const state = code === 'supervision-overdue' ? code : code === 'contract-missing' ? 'missing' : 'not-in-force';
  return { recipient: r, state, supervisionDue };
}

export function recipientRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/recipients', { preHandler: guard(c, 'registry') }, async (req, reply) => {
    const [all, pending] = await Promise.all([c.deps.ctx.store.listRecipients(), pendingRecipientChanges(c.deps.ctx)]);
    const rows = all.map((r) => rowOf(c, r, pending));
    return sendPage(reply, 200, recipientsPage(viewOf(c, req, reply), rows, pending));
  });

  app.get<{ Params: { id: string } }>('/recipients/:id', { preHandler: guard(c, 'registry') }, async (req, reply) => {
    const { store } = c.deps.ctx;
    const [found, versions, pending] = await Promise.all([
      store.getRecipient(req.params.id),
      store.recipientHistory(req.params.id),
      pendingRecipientChanges(c.deps.ctx),
    ]);
    if (found === undefined) return failurePage(c, req, reply, new NotFoundError(`no recipient ${req.params.id}`));
    return sendPage(reply, 200, recipientPage(viewOf(c, req, reply), rowOf(c, found, pending), versions.reverse()));
  });
}
