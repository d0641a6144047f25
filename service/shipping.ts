import type { HandoffInput } from '../domain/deciders';
import type { EntrustmentTimings } from '../domain/requests-entrustment';
import { ShippingRequest } from '../domain/requests-entrustment';
import type { ServiceContext } from './context';
import type { Started } from './disclosures';
import { startDisclosure } from './disclosures';
import { checkRecipient, unknownSubjects } from './entrustee';
import { InputError, parseInput } from './errors';

/**
 * Validates a shipment and starts its workflow. An unknown customer or carrier is bad input;
 * the carrier's contract is the workflow's to check, at the start and again right before sending.
 */
export async function requestShipping(ctx: ServiceContext, data: unknown, timings: Partial<EntrustmentTimings> = {}): Promise<Started> {
  const request = parseInput(ShippingRequest, data);
  const issues = [
    ...(await unknownSubjects(ctx, [request.subjectId], 'subject')),
    ...(await checkRecipient(ctx, request.carrierId, 'carrier', 'carrier')),
  ];
  if (issues.length > 0) throw new InputError(issues);
  return startDisclosure(
    ctx,
    { kind: 'shipping', workflowType: 'handoff', subjectIds: [request.subjectId], recipientId: request.carrierId, requestedBy: request.requestedBy },
    (id): HandoffInput => ({ kind: 'shipping', firstSend: 'local', request: { ...request, disclosureId: id, timings: { dispatchDelayMs: 0, ...timings } } }),
  );
}
