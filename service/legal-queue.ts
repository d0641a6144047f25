import type { DataConverter } from '@temporalio/common';
import { WorkflowNotFoundError } from '@temporalio/common';
import { approvalWindowMs, dueAt } from '../domain/approval';
import type { Policy } from '../domain/policy';
import type { LegalInput } from '../domain/requests-legal';
import type { DisclosureEntry } from '../store/store';
import type { ServiceContext } from './context';
import { disclosureStatus } from './disclosures';
import { eventTime, payloadDecoder, startedEvent } from './audit-history';

/** A legal or emergency request waiting for a decision, with what the approver must judge. */
export interface PendingLegal {
  id: string;
  subjectId: string;
  authorityId: string;
  requestedBy: string;
  requestedAt: string;
  ground: LegalInput['ground'];
  documentRef: string;
  issuingOfficial: string;
  fields: LegalInput['fields'];
  justification: string;
  dueAt?: string | undefined;
}

/** How many legal requests still open (no record yet) are looked at per call, newest first. */
const SCAN = 200;

async function requestOf(
  ctx: ServiceContext,
  entry: DisclosureEntry,
  decode: ReturnType<typeof payloadDecoder>,
): Promise<{ input: LegalInput; startedAt: string } | undefined> {
  try {
    const history = await ctx.client.workflow.getHandle(entry.workflowId).fetchHistory();
    const [input] = await decode(startedEvent(history)?.input?.payloads);
    const first = history.events?.[0];
    if (input === undefined || first === undefined) return undefined;
    return { input: input as LegalInput, startedAt: eventTime(first) ?? entry.createdAt };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * The approval queue: legal requests whose workflow says they await approval. The request itself
 * is read back from the workflow's start (decrypted with the engine's keys), so the queue shows
 * exactly what the workflow will judge.
 */
export async function pendingLegalRequests(
  ctx: ServiceContext,
  dataConverter: DataConverter | undefined,
  policy: Policy,
): Promise<PendingLegal[]> {
  const open = await ctx.store.pageDisclosures({ kind: 'legal', outcome: 'open', limit: SCAN });
  const decode = payloadDecoder(dataConverter);
  const rule = policy.kinds.legal?.approval;
  const out: PendingLegal[] = [];
  for (const entry of open) {
    const status = await disclosureStatus(ctx, entry.id).catch(() => undefined);
    if (status?.status !== 'awaiting-approval') continue;
    const found = await requestOf(ctx, entry, decode);
    if (found === undefined) continue;
    const { input, startedAt } = found;
    out.push({
      id: entry.id,
      subjectId: input.subjectId,
      authorityId: input.authorityId,
      requestedBy: input.requestedBy,
      requestedAt: entry.createdAt,
      ground: input.ground,
      documentRef: input.documentRef,
      issuingOfficial: input.issuingOfficial,
      fields: input.fields,
      justification: input.justification,
      // The deadline runs from the workflow's start, as the workflow's own timer does.
      dueAt: rule !== undefined ? dueAt(startedAt, approvalWindowMs(rule, input.timings?.approvalWindowMs)) : undefined,
    });
  }
  return out.reverse();
}
