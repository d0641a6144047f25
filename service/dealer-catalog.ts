import { DealerCatalogRequest } from '../domain/requests';
import type { HandoffInput } from '../domain/deciders';
import type { Timings } from '../domain/requests';
import type { ServiceContext } from './context';
import type { Started } from './disclosures';
import { startDisclosure } from './disclosures';
import { InputError, parseInput } from './errors';

/**
 * Validates a catalog request and starts its workflow. Unknown customers and dealers are bad
 * input (nothing starts); a missing or unsuitable consent is the workflow's to refuse and record.
 */
export async function requestDealerCatalog(
  ctx: ServiceContext,
  data: unknown,
  timings: Partial<Timings> = {},
): Promise<Started> {
  const request = parseInput(DealerCatalogRequest, data);
  const issues = [];
  if ((await ctx.store.getSubject(request.subjectId)) === undefined) {
    issues.push({ field: 'subject', message: `no customer ${request.subjectId}` });
  }
  const dealer = await ctx.store.getRecipient(request.dealerId);
  if (dealer === undefined) issues.push({ field: 'dealer', message: `no recipient ${request.dealerId}` });
  else if (dealer.kind !== 'dealer') issues.push({ field: 'dealer', message: `${request.dealerId} is a ${dealer.kind}, not a dealer` });
  if (issues.length > 0) throw new InputError(issues);

  return startDisclosure(
    ctx,
    {
      kind: 'dealer-catalog',
      workflowType: 'handoff',
      subjectIds: [request.subjectId],
      recipientId: request.dealerId,
      consentId: request.consentId,
      requestedBy: request.requestedBy,
    },
    (id): HandoffInput => ({ kind: 'dealer-catalog', firstSend: 'local', request: { ...request, disclosureId: id, timings: { ...timings, dispatchDelayMs: timings.dispatchDelayMs ?? 0 } } }),
  );
}
