import { DEFAULT_TIME_ZONE, formatForPeople } from '../domain/dates';
import type { DataConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { DisclosureRecord } from '../domain/record';
import type { ServiceContext } from './context';
import { activityCalls, eventTime, fetchHistories, payloadDecoder } from './audit-history';
import { NotFoundError } from './errors';

export type Stage = 'requested' | 'checked' | 'approved' | 'rejected' | 'sent' | 'recorded' | 'acknowledged' | 'ended' | 'step';

export interface TimelineEntry {
  at?: string | undefined;
  stage: Stage;
  what: string;
  workflowId?: string | undefined;
}

/** What an activity's completion means to a reader of the timeline. */
const ACTIVITY_STAGES: Record<string, { stage: Stage; what: string }> = {
  loadConsent: { stage: 'checked', what: 'consent checked' },
  findActiveConsent: { stage: 'checked', what: 'consent looked up' },
  loadPolicy: { stage: 'checked', what: 'policy loaded' },
  loadHandoffContext: { stage: 'checked', what: 'policy, recipient and basis loaded' },
  loadRecipient: { stage: 'checked', what: 'recipient loaded' },
  stageHandoff: { stage: 'step', what: 'handoff composed and staged' },
  sendHandoff: { stage: 'sent', what: 'handoff sent' },
};

/** Signals, updates, timers and the end of the run, in history order. */
function otherEvents(history: History, workflowId: string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const e of history.events ?? []) {
    const at = eventTime(e);
    const started = e.workflowExecutionStartedEventAttributes;
    if (started != null) {
      const type = started.workflowType?.name ?? '';
      out.push({ at, stage: type === 'acknowledgement' ? 'step' : 'requested', what: `workflow ${type} started`, workflowId });
    }
    const signal = e.workflowExecutionSignaledEventAttributes?.signalName;
    if (signal != null) out.push({ at, stage: /approv/i.test(signal) ? 'approved' : /reject/i.test(signal) ? 'rejected' : 'step', what: `signal ${signal}`, workflowId });
    const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    if (update != null) out.push({ at, stage: /approv/i.test(update) ? 'approved' : /reject/i.test(update) ? 'rejected' : 'step', what: `update ${update}`, workflowId });
    if (e.timerStartedEventAttributes != null) out.push({ at, stage: 'step', what: 'timer started (hold or deadline)', workflowId });
    if (e.timerFiredEventAttributes != null) out.push({ at, stage: 'step', what: 'timer fired', workflowId });
    if (e.workflowExecutionCompletedEventAttributes != null) out.push({ at, stage: 'ended', what: 'workflow completed', workflowId });
    if (e.workflowExecutionFailedEventAttributes != null) out.push({ at, stage: 'ended', what: 'workflow failed', workflowId });
    if (e.workflowExecutionCanceledEventAttributes != null || e.workflowExecutionTerminatedEventAttributes != null) {
      out.push({ at, stage: 'ended', what: 'workflow cancelled or terminated', workflowId });
    }
  }
  return out;
}

async function activityEntries(history: History, workflowId: string, decode: ReturnType<typeof payloadDecoder>): Promise<TimelineEntry[]> {
  const out: TimelineEntry[] = [];
  for (const call of activityCalls(history)) {
    if (call.failed !== undefined) {
      out.push({ at: call.completedAt ?? call.scheduledAt, stage: 'step', what: `${call.name} failed: ${call.failed}`, workflowId });
      continue;
    }
    if (call.result === undefined) continue;
    const known = ACTIVITY_STAGES[call.name];
    let what = known?.what ?? `${call.name} done`;
    if (call.name === 'sendHandoff') {
      const sent = (await decode(call.result))[0] as { messageId?: string; payloadDigest?: string } | undefined;
      what = `${what}: ${sent?.messageId ?? ''} ${sent?.payloadDigest ?? ''}`.trim();
    }
    if (call.name === 'appendRecord') continue;
    out.push({ at: call.completedAt, stage: known?.stage ?? 'step', what, workflowId });
  }
  return out;
}

const recordEntry = (r: DisclosureRecord): TimelineEntry => ({
  at: r.occurredAt,
  stage: r.entryType === 'acknowledgement' ? 'acknowledged' : 'recorded',
  what:
    r.entryType === 'acknowledgement'
      ? `acknowledged by ${r.recipient.name} (${r.recordId})`
      : `${r.recordId}: ${r.outcome}${r.items.length > 0 ? ` [${r.items.join(', ')}]` : ''}${r.refusal !== undefined ? ` (${r.refusal.code})` : ''}`,
  workflowId: r.workflowId,
});

/** `audit show ID`: one disclosure's life, from its workflow histories and its ledger records. */
export async function disclosureTimeline(
  ctx: Pick<ServiceContext, 'store' | 'client'>,
  disclosureId: string,
  dataConverter: DataConverter | undefined,
): Promise<{ disclosureId: string; records: DisclosureRecord[]; timeline: TimelineEntry[] }> {
  const entry = await ctx.store.getDisclosure(disclosureId);
  if (entry === undefined) throw new NotFoundError(`no disclosure ${disclosureId}`);
  const records = await ctx.store.listRecords({ disclosureId });
  const workflowIds = [...new Set([entry.workflowId, ...records.map((r) => r.workflowId)])];
  const decode = payloadDecoder(dataConverter);
  const timeline: TimelineEntry[] = [{ at: entry.createdAt, stage: 'requested', what: `${entry.kind} requested by ${entry.requestedBy}` }];
  for (const f of await fetchHistories(ctx.client, workflowIds)) {
    if (!('history' in f)) {
      timeline.push({ stage: 'step', what: f.missing, workflowId: f.workflowId });
      continue;
    }
    timeline.push(...otherEvents(f.history, f.workflowId), ...(await activityEntries(f.history, f.workflowId, decode)));
  }
  timeline.push(...records.map(recordEntry));
  const order = (e: TimelineEntry) => e.at ?? '';
  return { disclosureId, records, timeline: timeline.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)) };
}

/** The timeline for a person: each moment in the zone (`2026-12-02 05:19 JST`). */
export const describeTimeline = (t: { disclosureId: string; timeline: TimelineEntry[] }, timeZone = DEFAULT_TIME_ZONE): string =>
  [`${t.disclosureId}`, ...t.timeline.map((e) => `  ${(e.at === undefined ? '?' : formatForPeople(e.at, 'en', timeZone)).padEnd(20)}  ${e.stage.padEnd(12)} ${e.what}`)].join('\n');
