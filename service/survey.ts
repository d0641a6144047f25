import type { HandoffInput } from '../domain/deciders';
import type { EntrustmentTimings } from '../domain/requests-entrustment';
import { SurveyRequest } from '../domain/requests-entrustment';
import type { ServiceContext } from './context';
import type { Started } from './disclosures';
import { startDisclosure } from './disclosures';
import { dayIn, DEFAULT_TIME_ZONE } from '../domain/dates';
import { checkRecipient, unknownDesign, unknownSubjects } from './entrustee';
import { InputError, parseInput } from './errors';

export interface SurveyOptions {
  timings?: Partial<EntrustmentTimings>;
  /** Customers per activity; the default suits batches of any size. */
  chunkSize?: number;
}

/**
 * Validates a survey batch and starts its workflow. An unknown firm, a firm of another kind, an
 * end date already past or any unknown customer makes the whole batch bad input: nothing starts.
 * Opt-outs and the contract are the workflow's to check and record.
 */
export async function requestSurvey(ctx: ServiceContext, data: unknown, options: SurveyOptions = {}): Promise<Started & { subjects: number }> {
  const parsed = parseInput(SurveyRequest, data);
  const request = { ...parsed, subjectIds: [...new Set(parsed.subjectIds)] };
  const issues = await checkRecipient(ctx, request.firmId, 'survey-firm', 'firm');
  const zone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const today = dayIn(ctx.clock(), zone);
  if (request.endsOn < today) issues.push({ field: 'ends', message: `the survey end date ${request.endsOn} is before today (${today} in ${zone})` });
  issues.push(...(await unknownSubjects(ctx, request.subjectIds, 'subjects')));
  issues.push(...(await unknownDesign(ctx, request.design)));
  if (issues.length > 0) throw new InputError(issues);

  const started = await startDisclosure(
    ctx,
    { kind: 'survey', workflowType: 'handoff', subjectIds: request.subjectIds, recipientId: request.firmId, requestedBy: request.requestedBy },
    (id): HandoffInput => ({
      kind: 'survey',
      request: { ...request, disclosureId: id, chunkSize: options.chunkSize ?? 500, timings: { dispatchDelayMs: 0, ...options.timings } },
    }),
  );
  return { ...started, subjects: request.subjectIds.length };
}
