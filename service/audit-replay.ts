import type { DataConverter } from '@temporalio/common';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { ServiceContext } from './context';
import type { WorkflowHistory } from './audit-history';
import { auditedWorkflowIds, fetchHistories } from './audit-history';

export interface ReplayOptions {
  /** A prebuilt workflow bundle; otherwise today's workflow sources are bundled for the replay. */
  workflowBundlePath?: string | undefined;
  /** The engine's converter, so encrypted histories decode. */
  dataConverter?: DataConverter | undefined;
}

export interface ReplayReport {
  workflowId: string;
  runId?: string | undefined;
  consistent: boolean;
  /** For an inconsistent history: DeterminismViolationError names the event that differs. */
  error?: { name: string; message: string } | undefined;
}

function replayWorkerOptions(opts: ReplayOptions): ReplayWorkerOptions {
  return {
    replayName: 'disclosure-audit',
    ...(opts.dataConverter !== undefined ? { dataConverter: opts.dataConverter } : {}),
    ...(opts.workflowBundlePath !== undefined
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
  };
}

/** Replays each history against the workflow code; one report per history, in order. */
export async function replayHistories(
  histories: WorkflowHistory[],
  opts: ReplayOptions,
  tick?: (done: number) => void,
): Promise<ReplayReport[]> {
  if (histories.length === 0) return [];
  const reports: ReplayReport[] = [];
  for await (const r of Worker.runReplayHistories(replayWorkerOptions(opts), histories)) {
    reports.push({
      workflowId: r.workflowId,
      runId: r.runId,
      consistent: r.error === undefined,
      // One line per problem: the SDK's messages may carry the workflow's stack after a newline.
      error: r.error === undefined ? undefined : { name: r.error.name, message: r.error.message.split('\n')[0] ?? '' },
    });
    tick?.(reports.length);
  }
  return reports;
}

/** `audit replay`: fetches the histories from Temporal and replays them against today's code. */
export async function auditReplay(
  ctx: Pick<ServiceContext, 'store' | 'client'>,
  selection: { ids?: string[] | undefined },
  opts: ReplayOptions,
  progress?: { tick(done: number): void },
): Promise<{ consistent: boolean; results: ReplayReport[] }> {
  const workflowIds = await auditedWorkflowIds(ctx.store, selection.ids);
  const fetched = await fetchHistories(ctx.client, workflowIds, (n) => progress?.tick(n));
  const present = fetched.filter((f): f is WorkflowHistory => 'history' in f);
  const replayed = await replayHistories(present, opts, (n) => progress?.tick(fetched.length + n));
  const missing: ReplayReport[] = fetched
    .filter((f): f is { workflowId: string; missing: string } => 'missing' in f)
    .map((f) => ({ workflowId: f.workflowId, consistent: false, error: { name: 'HistoryMissing', message: f.missing } }));
  const results = [...replayed, ...missing];
  return { consistent: results.every((r) => r.consistent), results };
}

export const describeReplay = (r: ReplayReport): string =>
  r.consistent ? `${r.workflowId}  consistent` : `${r.workflowId}  INCONSISTENT  ${r.error?.name ?? ''}: ${r.error?.message ?? ''}`;
