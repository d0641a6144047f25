import { z } from 'zod';
import { buildEvidence } from '../../service/audit-export';
import { auditReplay } from '../../service/audit-replay';
import { disclosureTimeline } from '../../service/audit-show';
import { InputError } from '../../service/errors';
import { verifyLedger } from '../../service/ledger';
import type { ApiDeps } from '../route';
import { Evidence, ReplayReports, Timeline, VerifyReport } from '../schemas';
import { route } from '../route';

const AUDIT_ROLES = ['auditor', 'admin'] as const;

const ReplayBody = z.object({
  ids: z.array(z.string().min(1)).min(1).optional(),
  all: z.boolean().optional(),
}).refine((b) => (b.ids !== undefined) !== (b.all === true), { message: 'give either ids or all: true', path: ['ids'] });

function requireKey(deps: ApiDeps) {
  const key = deps.ledgerKey();
  if (key === undefined) throw new InputError([{ field: 'ledger key', message: 'the engine has no ledger signing key yet' }]);
  return key;
}

export const auditRoutes = [
  route({
    method: 'POST',
    path: '/api/audit/replay',
    operationId: 'auditReplay',
    responses: { 200: ReplayReports },
    summary: "replay workflow histories against today's workflow code; each is consistent or names the event that differs",
    roles: AUDIT_ROLES,
    body: ReplayBody,
    handle: async ({ ctx, replay }, { body }) => ({ body: await auditReplay(ctx, { ids: body.ids }, replay) }),
  }),
  route({
    method: 'GET',
    path: '/api/audit/disclosures/:id',
    operationId: 'auditTimeline',
    responses: { 200: Timeline },
    summary: 'a readable timeline of one disclosure from its workflow history and its records',
    roles: AUDIT_ROLES,
    handle: async ({ ctx, replay }, { params }) => ({ body: await disclosureTimeline(ctx, params.id ?? '', replay.dataConverter) }),
  }),
  route({
    method: 'GET',
    path: '/api/audit/evidence',
    operationId: 'auditEvidence',
    responses: { 200: Evidence },
    summary: 'an evidence bundle (ledger slice, signed checkpoint, histories, manifest) as one JSON document of files',
    roles: AUDIT_ROLES,
    handle: async (deps) => ({ body: await buildEvidence(deps.ctx, requireKey(deps)) }),
  }),
  route({
    method: 'GET',
    path: '/api/ledger/verify',
    operationId: 'ledgerVerify',
    responses: { 200: VerifyReport, 409: VerifyReport },
    summary: 'check the whole record chain against the signed checkpoints; 409 names the first bad record',
    roles: AUDIT_ROLES,
    handle: async (deps) => {
      const report = await verifyLedger(deps.ctx.store, deps.ledgerKey());
      return { status: report.ok ? 200 : 409, body: report };
    },
  }),
];
